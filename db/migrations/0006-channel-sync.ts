import { sqlMigration } from '../migration';
import { markChannelsDirtyFunction } from './mark-channels-dirty';

/**
 * Channel synchronisation. Each OTA connection sells one property; every change to a room type's
 * night (booking, cancellation, hold, expiry, out of order, restrictions, a rate plan's amount)
 * marks it dirty for every connection of that property, in the same transaction, by trigger: no
 * code path can change the calendar and forget a channel, and a mark survives any crash. A notification wakes the sync.
 * What each channel acknowledged is kept, so only real differences are sent. A room type whose
 * mapping the channel refused is set aside for ops instead of stalling the channel.
 */
export const up = sqlMigration(`
    CREATE TABLE channel_connections (
      tenant_id     text NOT NULL,
      connector_id  text NOT NULL,
      property_id   text NOT NULL,
      PRIMARY KEY (tenant_id, connector_id)
    );
    CREATE INDEX channel_connections_by_property ON channel_connections (tenant_id, property_id);

    CREATE TABLE channel_dirty (
      tenant_id     text NOT NULL,
      connector_id  text NOT NULL,
      room_type_id  text NOT NULL,
      date          date NOT NULL,
      marked_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (tenant_id, connector_id, room_type_id, date)
    );

    CREATE TABLE channel_acked (
      tenant_id     text NOT NULL,
      connector_id  text NOT NULL,
      room_type_id  text NOT NULL,
      date          date NOT NULL,
      bookable      integer,
      restrictions  jsonb,
      rates         jsonb,
      acked_at      timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, connector_id, room_type_id, date)
    );

    CREATE TABLE channel_mapping_issues (
      tenant_id     text NOT NULL,
      connector_id  text NOT NULL,
      room_type_id  text NOT NULL,
      reason        text NOT NULL,
      raised_at     timestamptz NOT NULL DEFAULT now(),
      resolved_at   timestamptz,
      PRIMARY KEY (tenant_id, connector_id, room_type_id)
    );

    CREATE FUNCTION mark_channel_night(tenant text, property text, room_type text, night date) RETURNS void AS $$
    BEGIN
      INSERT INTO channel_dirty (tenant_id, connector_id, room_type_id, date, marked_at)
        SELECT c.tenant_id, c.connector_id, room_type, night, clock_timestamp()
          FROM channel_connections c
         WHERE c.tenant_id = tenant AND c.property_id = property
      ON CONFLICT (tenant_id, connector_id, room_type_id, date) DO UPDATE SET marked_at = EXCLUDED.marked_at;
      -- Identical payloads in one transaction arrive once.
      PERFORM pg_notify('crossdock_channel_dirty', c.tenant_id || ' ' || c.connector_id)
         FROM channel_connections c
        WHERE c.tenant_id = tenant AND c.property_id = property;
    END
    $$ LANGUAGE plpgsql;

    -- Free rooms and restrictions of a room type's night.
    CREATE FUNCTION ${markChannelsDirtyFunction()}

    -- A rate plan's amount for a night: its room type's night.
    CREATE FUNCTION mark_channels_dirty_for_rate() RETURNS trigger AS $$
    BEGIN
      PERFORM mark_channel_night(NEW.tenant_id, NEW.property_id, p.room_type_id, NEW.date)
         FROM rate_plans p
        WHERE p.tenant_id = NEW.tenant_id AND p.property_id = NEW.property_id AND p.id = NEW.rate_plan_id;
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql;

    CREATE TRIGGER rate_amounts_mark_channels
      AFTER INSERT OR UPDATE ON rate_amounts
      FOR EACH ROW EXECUTE FUNCTION mark_channels_dirty_for_rate();

    CREATE TRIGGER room_type_calendar_marks_channels
      AFTER INSERT OR UPDATE ON room_type_calendar
      FOR EACH ROW EXECUTE FUNCTION mark_channels_dirty();
  `);

export const down = sqlMigration(`
    DROP TRIGGER rate_amounts_mark_channels ON rate_amounts;
    DROP TRIGGER room_type_calendar_marks_channels ON room_type_calendar;
    DROP FUNCTION mark_channels_dirty_for_rate();
    DROP FUNCTION mark_channels_dirty();
    DROP FUNCTION mark_channel_night(text, text, text, date);
    DROP TABLE channel_mapping_issues;
    DROP TABLE channel_acked;
    DROP TABLE channel_dirty;
    DROP TABLE channel_connections;
  `);
