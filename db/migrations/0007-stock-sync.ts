import { sqlMigration } from '../migration';

/**
 * Stock to marketplaces. Each marketplace connection sells a tenant's stock at some of its
 * locations; every change to a SKU's on-hand or reserved units at such a location marks that
 * (connection, SKU, location) dirty, in the same transaction, by trigger, and notifies the sync.
 * What the marketplace acknowledged is kept, so only real differences are sent. Listings map a
 * SKU to the marketplace's inventory item, as read from its catalogue; one the marketplace
 * refuses is set aside for ops instead of stalling the connection.
 */
export const up = sqlMigration(`
    CREATE TABLE stock_connections (
      tenant_id     text NOT NULL,
      connector_id  text NOT NULL,
      location_ids  text[] NOT NULL,
      PRIMARY KEY (tenant_id, connector_id)
    );

    CREATE TABLE stock_dirty (
      tenant_id     text NOT NULL,
      connector_id  text NOT NULL,
      sku           text NOT NULL,
      location_id   text NOT NULL,
      marked_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (tenant_id, connector_id, sku, location_id)
    );

    CREATE TABLE stock_acked (
      tenant_id     text NOT NULL,
      connector_id  text NOT NULL,
      sku           text NOT NULL,
      location_id   text NOT NULL,
      available     integer NOT NULL,
      acked_at      timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, connector_id, sku, location_id)
    );

    CREATE TABLE stock_listings (
      tenant_id          text NOT NULL,
      connector_id       text NOT NULL,
      sku                text NOT NULL,
      inventory_item_id  text NOT NULL,
      set_aside          text,
      set_aside_at       timestamptz,
      refreshed_at       timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, connector_id, sku)
    );

    CREATE FUNCTION mark_stock_dirty() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW.on_hand = OLD.on_hand AND NEW.reserved = OLD.reserved THEN
        RETURN NEW;
      END IF;
      INSERT INTO stock_dirty (tenant_id, connector_id, sku, location_id, marked_at)
        SELECT c.tenant_id, c.connector_id, NEW.sku, NEW.location_id, clock_timestamp()
          FROM stock_connections c
         WHERE c.tenant_id = NEW.tenant_id AND NEW.location_id = ANY (c.location_ids)
      ON CONFLICT (tenant_id, connector_id, sku, location_id) DO UPDATE SET marked_at = EXCLUDED.marked_at;
      -- Identical payloads in one transaction arrive once.
      PERFORM pg_notify('crossdock_channel_dirty', c.tenant_id || ' ' || c.connector_id)
         FROM stock_connections c
        WHERE c.tenant_id = NEW.tenant_id AND NEW.location_id = ANY (c.location_ids);
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql;

    CREATE TRIGGER inventory_levels_mark_stock
      AFTER INSERT OR UPDATE ON inventory_levels
      FOR EACH ROW EXECUTE FUNCTION mark_stock_dirty();
  `);

export const down = sqlMigration(`
    DROP TRIGGER inventory_levels_mark_stock ON inventory_levels;
    DROP FUNCTION mark_stock_dirty();
    DROP TABLE stock_listings;
    DROP TABLE stock_acked;
    DROP TABLE stock_dirty;
    DROP TABLE stock_connections;
  `);
