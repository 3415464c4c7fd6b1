import { sqlMigration } from '../migration';

/**
 * The property model: properties (time zone, currency, business date), room types, rooms with
 * their housekeeping status, rate plans with their cancellation terms, and an inventory calendar
 * per room type per date. The calendar's CHECK constraint is the last word against selling a
 * night beyond its rooms, whichever channels book at once. Each reservation's nights are kept,
 * so holds, confirmations and releases move exactly what they took.
 */
export const up = sqlMigration(`
    CREATE TABLE properties (
      tenant_id      text NOT NULL,
      id             text NOT NULL,
      name           text NOT NULL,
      time_zone      text NOT NULL,
      currency       text NOT NULL,
      business_date  date,
      created_at     timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    );

    CREATE TABLE room_types (
      tenant_id      text NOT NULL,
      property_id    text NOT NULL,
      id             text NOT NULL,
      name           text NOT NULL,
      max_occupancy  integer NOT NULL DEFAULT 2 CHECK (max_occupancy > 0),
      PRIMARY KEY (tenant_id, property_id, id),
      FOREIGN KEY (tenant_id, property_id) REFERENCES properties (tenant_id, id)
    );

    CREATE TABLE rooms (
      tenant_id      text NOT NULL,
      property_id    text NOT NULL,
      number         text NOT NULL,
      room_type_id   text NOT NULL,
      status         text NOT NULL DEFAULT 'clean'
                       CHECK (status IN ('dirty', 'clean', 'inspected', 'out_of_service', 'out_of_order')),
      -- Nights an out-of-order room is off the calendar: [from, until).
      out_of_order_from   date,
      out_of_order_until  date,
      status_reason  text,
      -- The reservation staying in the room, from check-in to check-out: one guest party per room.
      occupied_by    text UNIQUE,
      updated_at     timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, property_id, number),
      FOREIGN KEY (tenant_id, property_id, room_type_id) REFERENCES room_types (tenant_id, property_id, id)
    );

    CREATE TABLE rate_plans (
      tenant_id      text NOT NULL,
      property_id    text NOT NULL,
      id             text NOT NULL,
      room_type_id   text NOT NULL,
      name           text NOT NULL,
      amount         numeric(12, 2) NOT NULL CHECK (amount >= 0),
      tax_percent    numeric(5, 2) NOT NULL DEFAULT 0,
      cancellation   jsonb NOT NULL,
      PRIMARY KEY (tenant_id, property_id, id),
      FOREIGN KEY (tenant_id, property_id, room_type_id) REFERENCES room_types (tenant_id, property_id, id)
    );

    CREATE TABLE rate_amounts (
      tenant_id      text NOT NULL,
      property_id    text NOT NULL,
      rate_plan_id   text NOT NULL,
      date           date NOT NULL,
      amount         numeric(12, 2) NOT NULL CHECK (amount >= 0),
      PRIMARY KEY (tenant_id, property_id, rate_plan_id, date),
      FOREIGN KEY (tenant_id, property_id, rate_plan_id) REFERENCES rate_plans (tenant_id, property_id, id)
    );

    CREATE TABLE room_type_calendar (
      tenant_id            text NOT NULL,
      property_id          text NOT NULL,
      room_type_id         text NOT NULL,
      date                 date NOT NULL,
      physical             integer NOT NULL,
      out_of_order         integer NOT NULL DEFAULT 0,
      sold                 integer NOT NULL DEFAULT 0,
      held                 integer NOT NULL DEFAULT 0,
      closed               boolean NOT NULL DEFAULT false,
      closed_to_arrival    boolean NOT NULL DEFAULT false,
      closed_to_departure  boolean NOT NULL DEFAULT false,
      min_los              integer,
      max_los              integer,
      PRIMARY KEY (tenant_id, property_id, room_type_id, date),
      FOREIGN KEY (tenant_id, property_id, room_type_id) REFERENCES room_types (tenant_id, property_id, id),
      CONSTRAINT room_nights_never_oversold CHECK (
        sold >= 0 AND held >= 0 AND out_of_order >= 0 AND sold + held + out_of_order <= physical
      )
    );

    CREATE TABLE stay_nights (
      tenant_id        text NOT NULL,
      reservation_key  text NOT NULL,
      property_id      text NOT NULL,
      room_type_id     text NOT NULL,
      date             date NOT NULL,
      amount           numeric(12, 2) NOT NULL,
      -- held → sold (confirmed) → stayed (checked in): the night audit tells arrivals from no-shows.
      status           text NOT NULL CHECK (status IN ('held', 'sold', 'stayed')),
      PRIMARY KEY (tenant_id, reservation_key, date)
    );
    CREATE INDEX stay_nights_by_date ON stay_nights (tenant_id, property_id, date);

    -- POS charges that could not go on a folio (unknown room, guest gone): kept for a person.
    CREATE TABLE pos_charge_reviews (
      tenant_id     text NOT NULL,
      property_id   text NOT NULL,
      charge_id     text NOT NULL,
      reason        text NOT NULL,
      charge        jsonb NOT NULL,
      received_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, charge_id)
    );
  `);

export const down = sqlMigration(`
    DROP TABLE pos_charge_reviews;
    DROP TABLE stay_nights;
    DROP TABLE room_type_calendar;
    DROP TABLE rate_amounts;
    DROP TABLE rate_plans;
    DROP TABLE rooms;
    DROP TABLE room_types;
    DROP TABLE properties;
  `);
