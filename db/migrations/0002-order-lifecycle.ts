import { sqlMigration } from '../migration';

/**
 * The full order lifecycle: where each location is (routing), rate quotes per carrier, labels
 * that can be voided, postings to channels and accounting recorded before and after the call (so
 * a retry looks up instead of posting twice), webhook receipts, sync cursors, and an outbox of
 * events written in the same transaction as the change they announce.
 */
export const up = sqlMigration(`
    ALTER TABLE locations ADD COLUMN latitude double precision, ADD COLUMN longitude double precision;

    ALTER TABLE shipments DROP CONSTRAINT shipments_status_check;
    ALTER TABLE shipments ADD CONSTRAINT shipments_status_check
      CHECK (status IN ('pending', 'created', 'purchased', 'voided'));
    ALTER TABLE shipments ADD COLUMN location_id text, ADD COLUMN tracking_status text;
    CREATE INDEX shipments_by_tracking_code ON shipments (tracking_code);

    CREATE TABLE carrier_quotes (
      tenant_id            text NOT NULL,
      shipment_key         text NOT NULL,
      connector_id         text NOT NULL,
      carrier_shipment_id  text NOT NULL,
      rates                jsonb NOT NULL,
      created_at           timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, shipment_key, connector_id)
    );

    CREATE TABLE partner_postings (
      tenant_id     text NOT NULL,
      connector_id  text NOT NULL,
      kind          text NOT NULL,
      reference     text NOT NULL,
      remote_id     text,
      payload       jsonb,
      created_at    timestamptz NOT NULL DEFAULT now(),
      updated_at    timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, connector_id, kind, reference)
    );

    CREATE TABLE webhook_receipts (
      source       text NOT NULL,
      delivery_id  text NOT NULL,
      topic        text NOT NULL,
      received_at  timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (source, delivery_id)
    );

    CREATE TABLE sync_cursors (
      connector_id  text NOT NULL,
      stream        text NOT NULL,
      position      text NOT NULL,
      updated_at    timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (connector_id, stream)
    );

    CREATE TABLE outbound_events (
      id           text PRIMARY KEY,
      tenant_id    text NOT NULL,
      type         text NOT NULL,
      payload      jsonb NOT NULL,
      -- deliveries are created per subscriber by the dispatcher, from the config it runs with
      expanded     boolean NOT NULL DEFAULT false,
      created_at   timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX outbound_events_unexpanded ON outbound_events (created_at) WHERE NOT expanded;

    CREATE TABLE event_deliveries (
      event_id         text NOT NULL REFERENCES outbound_events (id),
      subscriber_id    text NOT NULL,
      url              text NOT NULL,
      status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
      attempts         integer NOT NULL DEFAULT 0,
      next_attempt_at  timestamptz NOT NULL DEFAULT now(),
      last_error       text,
      delivered_at     timestamptz,
      PRIMARY KEY (event_id, subscriber_id)
    );
    CREATE INDEX event_deliveries_due ON event_deliveries (next_attempt_at) WHERE status = 'pending';
  `);

export const down = sqlMigration(`
    DROP TABLE event_deliveries;
    DROP TABLE outbound_events;
    DROP TABLE sync_cursors;
    DROP TABLE webhook_receipts;
    DROP TABLE partner_postings;
    DROP TABLE carrier_quotes;
    DROP INDEX shipments_by_tracking_code;
    ALTER TABLE shipments DROP COLUMN location_id, DROP COLUMN tracking_status;
    ALTER TABLE shipments DROP CONSTRAINT shipments_status_check;
    ALTER TABLE shipments ADD CONSTRAINT shipments_status_check
      CHECK (status IN ('pending', 'created', 'purchased'));
    ALTER TABLE locations DROP COLUMN latitude, DROP COLUMN longitude;
  `);
