import { sqlMigration } from '../migration';
import { markChannelsDirtyFunction } from './mark-channels-dirty';

/**
 * Master data a tenant declares itself (setup file or REST), not only what a seed wrote:
 * locations, catalogue items and properties get every attribute an integrator declares, and each
 * row records who manages it (`file`: the tenant's setup file, `api`: REST) and when it was
 * retired. Nothing is deleted: a retired row stays for the history that names it, and stops being
 * sold. Rooms retired leave the calendar's room count; closed periods close nights by a column of
 * their own, so a channel's stop-sell and a property's season never overwrite each other. Each
 * night records its rate plan, so a plan with future stays is never retired from under them.
 */
export const up = sqlMigration(`
    ALTER TABLE locations
      ADD COLUMN kind        text NOT NULL DEFAULT 'warehouse' CHECK (kind IN ('warehouse', 'store')),
      ADD COLUMN ships_to    text[] NOT NULL DEFAULT '{}',
      ADD COLUMN active      boolean NOT NULL DEFAULT true,
      ADD COLUMN managed_by  text NOT NULL DEFAULT 'api' CHECK (managed_by IN ('file', 'api')),
      ADD COLUMN retired_at  timestamptz,
      ADD COLUMN updated_at  timestamptz NOT NULL DEFAULT now();

    ALTER TABLE items
      ADD COLUMN active             boolean NOT NULL DEFAULT true,
      ADD COLUMN reorder_quantity   integer NOT NULL DEFAULT 0 CHECK (reorder_quantity >= 0),
      ADD COLUMN returnable         boolean NOT NULL DEFAULT true,
      ADD COLUMN length_mm          integer CHECK (length_mm > 0),
      ADD COLUMN width_mm           integer CHECK (width_mm > 0),
      ADD COLUMN height_mm          integer CHECK (height_mm > 0),
      ADD COLUMN hs_code            text,
      ADD COLUMN country_of_origin  text,
      ADD COLUMN managed_by         text NOT NULL DEFAULT 'api' CHECK (managed_by IN ('file', 'api')),
      ADD COLUMN retired_at         timestamptz,
      ADD COLUMN updated_at         timestamptz NOT NULL DEFAULT now();
    -- Keyset pages of a large catalogue (GET /v1/items) and of low stock per location.
    CREATE INDEX inventory_levels_by_location ON inventory_levels (tenant_id, location_id, sku);

    ALTER TABLE properties
      ADD COLUMN address         jsonb,
      ADD COLUMN check_in_time   text NOT NULL DEFAULT '15:00',
      ADD COLUMN check_out_time  text NOT NULL DEFAULT '11:00',
      ADD COLUMN closed_periods  jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN managed_by      text NOT NULL DEFAULT 'api' CHECK (managed_by IN ('file', 'api')),
      ADD COLUMN retired_at      timestamptz,
      ADD COLUMN updated_at      timestamptz NOT NULL DEFAULT now();

    ALTER TABLE room_types
      ADD COLUMN base_occupancy  integer,
      ADD COLUMN managed_by      text NOT NULL DEFAULT 'api' CHECK (managed_by IN ('file', 'api')),
      ADD COLUMN retired_at      timestamptz;
    UPDATE room_types SET base_occupancy = LEAST(2, max_occupancy);
    ALTER TABLE room_types ALTER COLUMN base_occupancy SET NOT NULL,
      ADD CONSTRAINT room_types_base_within_max CHECK (base_occupancy > 0 AND base_occupancy <= max_occupancy);

    ALTER TABLE rooms
      ADD COLUMN floor       text,
      ADD COLUMN features    text[] NOT NULL DEFAULT '{}',
      ADD COLUMN managed_by  text NOT NULL DEFAULT 'api' CHECK (managed_by IN ('file', 'api')),
      ADD COLUMN retired_at  timestamptz;

    ALTER TABLE rate_plans
      ADD COLUMN extra_guest_amount  numeric(12, 2) CHECK (extra_guest_amount >= 0),
      ADD COLUMN meals_included      text[] NOT NULL DEFAULT '{}',
      ADD COLUMN no_show             jsonb,
      ADD COLUMN guarantee_required  boolean NOT NULL DEFAULT true,
      ADD COLUMN deposit             jsonb,
      ADD COLUMN managed_by          text NOT NULL DEFAULT 'api' CHECK (managed_by IN ('file', 'api')),
      ADD COLUMN retired_at          timestamptz;

    ALTER TABLE stay_nights ADD COLUMN rate_plan_id text;
    CREATE INDEX stay_nights_by_room_type ON stay_nights (tenant_id, property_id, room_type_id, date);

    ALTER TABLE room_type_calendar ADD COLUMN closed_period boolean NOT NULL DEFAULT false;

    -- A closed period is a change channels must hear of, like a stop-sell.
    CREATE OR REPLACE FUNCTION ${markChannelsDirtyFunction(['closed_period'])}
  `);

export const down = sqlMigration(`
    CREATE OR REPLACE FUNCTION ${markChannelsDirtyFunction()}
    ALTER TABLE room_type_calendar DROP COLUMN closed_period;
    DROP INDEX stay_nights_by_room_type;
    ALTER TABLE stay_nights DROP COLUMN rate_plan_id;
    ALTER TABLE rate_plans DROP COLUMN extra_guest_amount, DROP COLUMN meals_included, DROP COLUMN no_show,
      DROP COLUMN guarantee_required, DROP COLUMN deposit, DROP COLUMN managed_by, DROP COLUMN retired_at;
    ALTER TABLE rooms DROP COLUMN floor, DROP COLUMN features, DROP COLUMN managed_by, DROP COLUMN retired_at;
    ALTER TABLE room_types DROP CONSTRAINT room_types_base_within_max, DROP COLUMN base_occupancy,
      DROP COLUMN managed_by, DROP COLUMN retired_at;
    ALTER TABLE properties DROP COLUMN address, DROP COLUMN check_in_time, DROP COLUMN check_out_time,
      DROP COLUMN closed_periods, DROP COLUMN managed_by, DROP COLUMN retired_at, DROP COLUMN updated_at;
    DROP INDEX inventory_levels_by_location;
    ALTER TABLE items DROP COLUMN active, DROP COLUMN reorder_quantity, DROP COLUMN returnable,
      DROP COLUMN length_mm, DROP COLUMN width_mm, DROP COLUMN height_mm, DROP COLUMN hs_code,
      DROP COLUMN country_of_origin, DROP COLUMN managed_by, DROP COLUMN retired_at, DROP COLUMN updated_at;
    ALTER TABLE locations DROP COLUMN kind, DROP COLUMN ships_to, DROP COLUMN active,
      DROP COLUMN managed_by, DROP COLUMN retired_at, DROP COLUMN updated_at;
  `);
