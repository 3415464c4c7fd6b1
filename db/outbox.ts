import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { HubEvent } from '../domain/events';

/**
 * Writes an event to the outbox. Called in the same transaction as the change it announces (or
 * after a workflow state is durable), so an event is never sent for something that did not
 * happen, and never lost for something that did. Idempotent on the event id.
 */
export async function recordEvent(
  sequelize: Sequelize,
  event: HubEvent,
  transaction?: Transaction,
): Promise<void> {
  await sequelize.query(
    `INSERT INTO outbound_events (id, tenant_id, type, payload) VALUES (:id, :tenantId, :type, :payload)
     ON CONFLICT (id) DO NOTHING`,
    {
      replacements: {
        id: event.id,
        tenantId: event.tenantId,
        type: event.type,
        payload: JSON.stringify(event),
      },
      transaction,
    },
  );
}

export interface DeliveryRow {
  event_id: string;
  subscriber_id: string;
  url: string;
  attempts: number;
  payload: HubEvent;
}

/** Creates one pending delivery per subscriber for events not yet expanded; returns how many events. */
export async function expandEvents(
  sequelize: Sequelize,
  subscribersFor: (tenantId: string, type: string) => Array<{ id: string; url: string }>,
  limit = 200,
): Promise<number> {
  return sequelize.transaction(async (transaction) => {
    const events = await sequelize.query<{ id: string; tenant_id: string; type: string }>(
      `SELECT id, tenant_id, type FROM outbound_events WHERE NOT expanded
        ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED`,
      { replacements: { limit }, type: QueryTypes.SELECT, transaction },
    );
    for (const event of events) {
      for (const subscriber of subscribersFor(event.tenant_id, event.type)) {
        await sequelize.query(
          `INSERT INTO event_deliveries (event_id, subscriber_id, url) VALUES (:eventId, :subscriberId, :url)
           ON CONFLICT DO NOTHING`,
          {
            replacements: { eventId: event.id, subscriberId: subscriber.id, url: subscriber.url },
            transaction,
          },
        );
      }
    }
    if (events.length > 0) {
      await sequelize.query(`UPDATE outbound_events SET expanded = true WHERE id IN (:ids)`, {
        replacements: { ids: events.map((e) => e.id) },
        transaction,
      });
    }
    return events.length;
  });
}

/**
 * Claims due deliveries for `leaseSeconds`: their next attempt moves into the future before the
 * call is made, so another dispatcher (or this one after a crash) picks them up only later.
 */
export async function claimDueDeliveries(
  sequelize: Sequelize,
  limit: number,
  leaseSeconds: number,
): Promise<DeliveryRow[]> {
  return sequelize.query<DeliveryRow>(
    `UPDATE event_deliveries d SET next_attempt_at = now() + make_interval(secs => :lease)
       FROM outbound_events e
      WHERE e.id = d.event_id
        AND (d.event_id, d.subscriber_id) IN (
          SELECT event_id, subscriber_id FROM event_deliveries
           WHERE status = 'pending' AND next_attempt_at <= now()
           ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)
      RETURNING d.event_id, d.subscriber_id, d.url, d.attempts, e.payload`,
    { replacements: { limit, lease: leaseSeconds }, type: QueryTypes.SELECT },
  );
}

export async function markDelivered(sequelize: Sequelize, row: DeliveryRow): Promise<void> {
  await sequelize.query(
    `UPDATE event_deliveries SET status = 'delivered', delivered_at = now(), attempts = attempts + 1, last_error = NULL
      WHERE event_id = :eventId AND subscriber_id = :subscriberId`,
    { replacements: { eventId: row.event_id, subscriberId: row.subscriber_id } },
  );
}

export async function markFailed(
  sequelize: Sequelize,
  row: DeliveryRow,
  error: string,
  retryInSeconds: number | undefined,
): Promise<void> {
  await sequelize.query(
    `UPDATE event_deliveries
        SET attempts = attempts + 1, last_error = :error,
            status = CASE WHEN :dead THEN 'dead' ELSE 'pending' END,
            next_attempt_at = now() + make_interval(secs => :retry)
      WHERE event_id = :eventId AND subscriber_id = :subscriberId`,
    {
      replacements: {
        eventId: row.event_id,
        subscriberId: row.subscriber_id,
        error: error.slice(0, 500),
        dead: retryInSeconds === undefined,
        retry: retryInSeconds ?? 0,
      },
    },
  );
}

export async function deliveriesOf(sequelize: Sequelize, eventId: string) {
  return sequelize.query<{
    subscriber_id: string;
    status: string;
    attempts: number;
    last_error: string | null;
  }>(`SELECT subscriber_id, status, attempts, last_error FROM event_deliveries WHERE event_id = :eventId`, {
    replacements: { eventId },
    type: QueryTypes.SELECT,
  });
}
