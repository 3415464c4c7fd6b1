import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { HubEvent } from '../domain/events';
import { rowsOf } from './statements';

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
  await rowsOf(
    sequelize,
    `INSERT INTO outbound_events (id, tenant_id, type, payload) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO NOTHING`,
    [event.id, event.tenantId, event.type, JSON.stringify(event)],
    transaction,
  );
}

export interface DeliveryRow {
  event_id: string;
  subscriber_id: string;
  url: string;
  attempts: number;
  payload: HubEvent;
}

/** A subscriber as the outbox routes events to it. */
export interface EventRoute {
  id: string;
  url: string;
  tenantId: string;
  events: readonly string[];
}

/**
 * Creates one pending delivery per subscriber for events not yet expanded, and marks them
 * expanded, in one statement (so atomically, with no transaction around it: the dispatcher runs
 * this four times a second, busy or not). Returns how many events.
 */
export async function expandEvents(sequelize: Sequelize, routes: EventRoute[], limit = 200): Promise<number> {
  const [row] = await rowsOf<{ events: number }>(
    sequelize,
    `WITH batch AS (
       SELECT id, tenant_id, type FROM outbound_events WHERE NOT expanded
        ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED),
     deliveries AS (
       INSERT INTO event_deliveries (event_id, subscriber_id, url)
       SELECT b.id, r.id, r.url
         FROM batch b
         JOIN jsonb_to_recordset($2::jsonb) AS r(id text, url text, "tenantId" text, events jsonb)
           ON r."tenantId" = b.tenant_id AND r.events @> jsonb_build_array(b.type)
       ON CONFLICT DO NOTHING),
     marked AS (
       UPDATE outbound_events e SET expanded = true FROM batch WHERE e.id = batch.id RETURNING 1)
     SELECT count(*)::int AS events FROM marked`,
    [limit, JSON.stringify(routes)],
  );
  return row?.events ?? 0;
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
  return rowsOf<DeliveryRow>(
    sequelize,
    `UPDATE event_deliveries d SET next_attempt_at = now() + make_interval(secs => $2)
       FROM outbound_events e
      WHERE e.id = d.event_id
        AND (d.event_id, d.subscriber_id) IN (
          SELECT event_id, subscriber_id FROM event_deliveries
           WHERE status = 'pending' AND next_attempt_at <= now()
           ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING d.event_id, d.subscriber_id, d.url, d.attempts, e.payload`,
    [limit, leaseSeconds],
  );
}

export async function markDelivered(sequelize: Sequelize, row: DeliveryRow): Promise<void> {
  await rowsOf(
    sequelize,
    `UPDATE event_deliveries SET status = 'delivered', delivered_at = now(), attempts = attempts + 1, last_error = NULL
      WHERE event_id = $1 AND subscriber_id = $2`,
    [row.event_id, row.subscriber_id],
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

/** A delivery's subscriber as stored: subscriber ids are unique within their tenant only. */
export const storedSubscriberId = (tenantId: string, subscriberId: string) => `${tenantId}/${subscriberId}`;
const ownSubscriberId = (tenantId: string, stored: string) => stored.slice(tenantId.length + 1);

/** A delivery as ops see it: the event, the subscriber, and how delivering it went. */
export interface DeliveryView {
  eventId: string;
  type: string;
  subscriberId: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** Where a page of deliveries ended: the event's time and id, and the subscriber. */
export type DeliveryKey = [string, string, string];

/** A tenant's deliveries, newest event first, filtered as asked. */
export async function listDeliveries(
  sequelize: Sequelize,
  tenantId: string,
  filter: { status?: string; type?: string; since?: string; subscriberId?: string },
  page: { after?: DeliveryKey; limit: number },
): Promise<DeliveryView[]> {
  const rows = await sequelize.query<{
    event_id: string;
    type: string;
    subscriber_id: string;
    status: DeliveryView['status'];
    attempts: number;
    last_error: string | null;
    created_at: Date;
    delivered_at: Date | null;
  }>(
    `SELECT d.event_id, e.type, d.subscriber_id, d.status, d.attempts, d.last_error, e.created_at, d.delivered_at
       FROM event_deliveries d JOIN outbound_events e ON e.id = d.event_id
      WHERE e.tenant_id = :tenantId
        AND (CAST(:status AS text) IS NULL OR d.status = :status)
        AND (CAST(:type AS text) IS NULL OR e.type = :type)
        AND (CAST(:since AS timestamptz) IS NULL OR e.created_at >= CAST(:since AS timestamptz))
        AND (CAST(:subscriberId AS text) IS NULL OR d.subscriber_id = :subscriberId)
        AND (CAST(:afterAt AS timestamptz) IS NULL
             OR (e.created_at, d.event_id, d.subscriber_id) < (CAST(:afterAt AS timestamptz), :afterId, :afterSubscriber))
      ORDER BY e.created_at DESC, d.event_id DESC, d.subscriber_id DESC
      LIMIT :limit`,
    {
      replacements: {
        tenantId,
        status: filter.status ?? null,
        type: filter.type ?? null,
        since: filter.since ?? null,
        subscriberId: filter.subscriberId ? storedSubscriberId(tenantId, filter.subscriberId) : null,
        afterAt: page.after?.[0] ?? null,
        afterId: page.after?.[1] ?? '',
        afterSubscriber: page.after ? storedSubscriberId(tenantId, page.after[2]) : '',
        limit: page.limit,
      },
      type: QueryTypes.SELECT,
    },
  );
  return rows.map((r) => ({
    eventId: r.event_id,
    type: r.type,
    subscriberId: ownSubscriberId(tenantId, r.subscriber_id),
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: new Date(r.created_at).toISOString(),
    deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
  }));
}

/**
 * Sends a tenant's event again: its deliveries (or the one to `subscriberId`) become pending with
 * a fresh count of attempts, so the dispatcher delivers each once more. Returns the subscribers.
 */
export async function redeliverEvent(
  sequelize: Sequelize,
  tenantId: string,
  eventId: string,
  subscriberId?: string,
): Promise<string[]> {
  const rows = await sequelize.query<{ subscriber_id: string }>(
    `UPDATE event_deliveries d
        SET status = 'pending', attempts = 0, last_error = NULL, delivered_at = NULL, next_attempt_at = now()
       FROM outbound_events e
      WHERE e.id = d.event_id AND e.tenant_id = :tenantId AND d.event_id = :eventId
        AND (CAST(:subscriberId AS text) IS NULL OR d.subscriber_id = :subscriberId)
      RETURNING d.subscriber_id`,
    {
      replacements: {
        tenantId,
        eventId,
        subscriberId: subscriberId ? storedSubscriberId(tenantId, subscriberId) : null,
      },
      type: QueryTypes.SELECT,
    },
  );
  return rows.map((r) => ownSubscriberId(tenantId, r.subscriber_id)).sort();
}

/**
 * Catches a subscriber up: every event of its tenant and types since `since` is delivered to it
 * once more (a delivery it never had is created). Returns how many deliveries were queued.
 */
export async function replayToSubscriber(
  sequelize: Sequelize,
  tenantId: string,
  subscriber: { id: string; url: string; events: readonly string[] },
  since: string,
): Promise<number> {
  const rows = await sequelize.query<{ event_id: string }>(
    `INSERT INTO event_deliveries (event_id, subscriber_id, url)
     SELECT id, :subscriberId, :url FROM outbound_events
      WHERE tenant_id = :tenantId AND type IN (:types) AND created_at >= CAST(:since AS timestamptz)
     ON CONFLICT (event_id, subscriber_id) DO UPDATE
        SET status = 'pending', attempts = 0, last_error = NULL, delivered_at = NULL, next_attempt_at = now(),
            url = EXCLUDED.url
     RETURNING event_id`,
    {
      replacements: {
        tenantId,
        subscriberId: storedSubscriberId(tenantId, subscriber.id),
        url: subscriber.url,
        types: subscriber.events,
        since,
      },
      type: QueryTypes.SELECT,
    },
  );
  return rows.length;
}
