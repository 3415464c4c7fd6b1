import { sqlMigration } from '../migration';

/**
 * Indexes for what `/metrics` reads at every scrape, so the figures stay cheap however many
 * events were delivered and parcels shipped: deliveries given up on, and parcels bought but not
 * yet scanned by the carrier.
 */
export const up = sqlMigration(`
    CREATE INDEX event_deliveries_dead ON event_deliveries (subscriber_id) WHERE status = 'dead';
    CREATE INDEX shipments_awaiting_scan ON shipments (created_at)
      WHERE status = 'purchased' AND (tracking_status IS NULL OR tracking_status IN ('pre_transit', 'unknown'));
  `);

export const down = sqlMigration(`
    DROP INDEX shipments_awaiting_scan;
    DROP INDEX event_deliveries_dead;
  `);
