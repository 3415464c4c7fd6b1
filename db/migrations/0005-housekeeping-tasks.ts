import { sqlMigration } from '../migration';

/**
 * Housekeeping tasks: a departure clean when a party checks out, and a stay-over service for each
 * room still occupied when the night audit opens a new business date. One task per room, date and
 * kind, however often check-out or the audit is retried; a room cleaned closes its open tasks.
 */
export const up = sqlMigration(`
    CREATE TABLE housekeeping_tasks (
      id               bigserial PRIMARY KEY,
      tenant_id        text NOT NULL,
      property_id      text NOT NULL,
      room_number      text NOT NULL,
      kind             text NOT NULL CHECK (kind IN ('departure', 'stay_over')),
      business_date    date NOT NULL,
      reservation_key  text,
      status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
      created_at       timestamptz NOT NULL DEFAULT now(),
      done_at          timestamptz,
      UNIQUE (tenant_id, property_id, room_number, business_date, kind),
      FOREIGN KEY (tenant_id, property_id, room_number) REFERENCES rooms (tenant_id, property_id, number)
    );
    CREATE INDEX housekeeping_tasks_by_date ON housekeeping_tasks (tenant_id, property_id, business_date);
  `);

export const down = sqlMigration(`DROP TABLE housekeeping_tasks;`);
