import { sqlMigration } from '../migration';

/**
 * Inventory that cannot oversell: `reserved` never exceeds `on_hand`, enforced by the database
 * itself, and every movement is written to a ledger. Every row carries its tenant.
 */
export const up = sqlMigration(`
    CREATE TABLE locations (
      tenant_id    text NOT NULL,
      id           text NOT NULL,
      name         text NOT NULL,
      address      jsonb NOT NULL,
      created_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    );

    CREATE TABLE items (
      tenant_id            text NOT NULL,
      sku                  text NOT NULL,
      name                 text NOT NULL,
      weight_grams         integer NOT NULL DEFAULT 500 CHECK (weight_grams > 0),
      low_stock_threshold  integer NOT NULL DEFAULT 0 CHECK (low_stock_threshold >= 0),
      created_at           timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, sku)
    );

    CREATE TABLE inventory_levels (
      tenant_id    text NOT NULL,
      sku          text NOT NULL,
      location_id  text NOT NULL,
      on_hand      integer NOT NULL DEFAULT 0,
      reserved     integer NOT NULL DEFAULT 0,
      updated_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, sku, location_id),
      FOREIGN KEY (tenant_id, sku) REFERENCES items (tenant_id, sku),
      FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id),
      CONSTRAINT inventory_never_oversold CHECK (on_hand >= 0 AND reserved >= 0 AND reserved <= on_hand)
    );

    CREATE TABLE stock_reservations (
      tenant_id    text NOT NULL,
      order_key    text NOT NULL,
      sku          text NOT NULL,
      location_id  text NOT NULL,
      quantity     integer NOT NULL CHECK (quantity > 0),
      status       text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'released', 'fulfilled')),
      created_at   timestamptz NOT NULL DEFAULT now(),
      updated_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, order_key, sku, location_id),
      FOREIGN KEY (tenant_id, sku, location_id) REFERENCES inventory_levels (tenant_id, sku, location_id)
    );

    CREATE TABLE inventory_movements (
      id           bigserial PRIMARY KEY,
      tenant_id    text NOT NULL,
      sku          text NOT NULL,
      location_id  text NOT NULL,
      kind         text NOT NULL CHECK (kind IN ('set', 'adjust', 'reserve', 'release', 'fulfil')),
      on_hand_delta  integer NOT NULL DEFAULT 0,
      reserved_delta integer NOT NULL DEFAULT 0,
      reference    text,
      reason       text,
      created_at   timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX inventory_movements_by_sku ON inventory_movements (tenant_id, sku, created_at);

    CREATE TABLE shipments (
      tenant_id            text NOT NULL,
      shipment_key         text NOT NULL,
      order_key            text NOT NULL,
      connector_id         text NOT NULL,
      carrier_shipment_id  text,
      status               text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'created', 'purchased')),
      tracking_code        text,
      label_url            text,
      label_key            text,
      rate                 jsonb,
      created_at           timestamptz NOT NULL DEFAULT now(),
      updated_at           timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, shipment_key)
    );
    CREATE INDEX shipments_by_order ON shipments (tenant_id, order_key);
  `);

export const down = sqlMigration(`
    DROP TABLE shipments;
    DROP TABLE inventory_movements;
    DROP TABLE stock_reservations;
    DROP TABLE inventory_levels;
    DROP TABLE items;
    DROP TABLE locations;
  `);
