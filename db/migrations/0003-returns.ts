import { sqlMigration } from '../migration';

/**
 * Returns (RMAs). Each row holds units of one order against later returns: what was requested,
 * then what was received, until it is voided (rejected or expired). Refunded units and the
 * refund itself are written under the order's lock, so several returns of one order can never
 * pay back more than was paid. Returned goods enter the ledger as restocks or write-offs.
 */
export const up = sqlMigration(`
    CREATE TABLE returns (
      tenant_id       text NOT NULL,
      rma_id          text NOT NULL,
      order_key       text NOT NULL,
      order_id        text NOT NULL,
      status          text NOT NULL DEFAULT 'open'
                        CHECK (status IN ('open', 'received', 'refunded', 'closed', 'void')),
      origin          text NOT NULL,
      lines           jsonb NOT NULL,
      received        jsonb,
      refunded_units  jsonb NOT NULL DEFAULT '{}',
      refund          jsonb,
      created_at      timestamptz NOT NULL DEFAULT now(),
      updated_at      timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, rma_id)
    );
    CREATE INDEX returns_by_order ON returns (tenant_id, order_key);

    ALTER TABLE inventory_movements DROP CONSTRAINT inventory_movements_kind_check;
    ALTER TABLE inventory_movements ADD CONSTRAINT inventory_movements_kind_check
      CHECK (kind IN ('set', 'adjust', 'reserve', 'release', 'fulfil', 'return_restock', 'write_off'));
  `);

export const down = sqlMigration(`
    ALTER TABLE inventory_movements DROP CONSTRAINT inventory_movements_kind_check;
    ALTER TABLE inventory_movements ADD CONSTRAINT inventory_movements_kind_check
      CHECK (kind IN ('set', 'adjust', 'reserve', 'release', 'fulfil'));
    DROP TABLE returns;
  `);
