import { sqlMigration } from '../migration';

/**
 * The order and return events reports read, kept apart from the outbox: the outbox forgets
 * delivered events after 30 days, a quarter's report must not. A trigger copies each `order.*`
 * and `return.*` event as it is recorded (the same transaction, once per event id); events
 * already recorded are copied now.
 */
export const up = sqlMigration(`
    CREATE TABLE order_report_events (
      event_id     text PRIMARY KEY,
      tenant_id    text NOT NULL,
      type         text NOT NULL,
      order_id     text NOT NULL,
      occurred_at  timestamptz NOT NULL,
      data         jsonb NOT NULL
    );
    CREATE INDEX order_report_events_by_order ON order_report_events (tenant_id, order_id, type);
    CREATE INDEX order_report_events_by_time ON order_report_events (tenant_id, type, occurred_at);

    CREATE FUNCTION keep_order_report_event() RETURNS trigger AS $$
    BEGIN
      IF NEW.payload->'data'->>'orderId' IS NOT NULL THEN
        INSERT INTO order_report_events (event_id, tenant_id, type, order_id, occurred_at, data)
        VALUES (NEW.id, NEW.tenant_id, NEW.type, NEW.payload->'data'->>'orderId',
                COALESCE((NEW.payload->>'occurredAt')::timestamptz, NEW.created_at), NEW.payload->'data')
        ON CONFLICT (event_id) DO NOTHING;
      END IF;
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql;

    CREATE TRIGGER outbound_events_keep_for_reports AFTER INSERT ON outbound_events
      FOR EACH ROW WHEN (NEW.type LIKE 'order.%' OR NEW.type LIKE 'return.%')
      EXECUTE FUNCTION keep_order_report_event();

    INSERT INTO order_report_events (event_id, tenant_id, type, order_id, occurred_at, data)
    SELECT id, tenant_id, type, payload->'data'->>'orderId',
           COALESCE((payload->>'occurredAt')::timestamptz, created_at), payload->'data'
      FROM outbound_events
     WHERE (type LIKE 'order.%' OR type LIKE 'return.%') AND payload->'data'->>'orderId' IS NOT NULL
    ON CONFLICT (event_id) DO NOTHING;
  `);

export const down = sqlMigration(`
    DROP TRIGGER outbound_events_keep_for_reports ON outbound_events;
    DROP FUNCTION keep_order_report_event();
    DROP TABLE order_report_events;
  `);
