import axios from 'axios';
import { type Sequelize, QueryTypes } from 'sequelize';
import { createDatabase } from '../../db/database';
import { claimDueDeliveries, deliveriesOf, expandEvents, recordEvent } from '../../db/outbox';
import { pruneOldRecords } from '../../db/retention';
import type { HubEvent } from '../../domain/events';
import {
  deliveryLeaseSeconds,
  EventDispatcher,
  eventRoutes,
  retryDelaySeconds,
  signPayload,
} from '../../worker/event-dispatcher';
import { createLogger } from '../../platform/logger';
import { uniqueId } from '../support/fixtures';
import { endpointsFromEnv, testConfig } from '../support/hub';

/** The outbox against real PostgreSQL and a subscriber endpoint in the sandbox. */
describe('event outbox dispatcher', () => {
  let sequelize: Sequelize;
  let dispatcher: EventDispatcher;
  const sandbox = axios.create({ baseURL: process.env.CROSSDOCK_SANDBOX_URL, validateStatus: () => true });

  beforeAll(() => {
    sequelize = createDatabase(endpointsFromEnv().databaseUrl);
    dispatcher = new EventDispatcher(sequelize, testConfig(), createLogger('silent'));
  });
  afterAll(async () => {
    await sandbox.delete('/__sandbox/faults');
    await sequelize.close();
  });

  function event(type: HubEvent['type'] = 'order.shipped'): HubEvent {
    return {
      id: uniqueId('evt'),
      type,
      tenantId: 'acme',
      occurredAt: new Date().toISOString(),
      data: { orderId: uniqueId('rest') },
    };
  }

  async function received(id: string) {
    const inbox = (
      await sandbox.get<Array<{ headers: Record<string, string>; body: HubEvent }>>(
        '/__sandbox/inbox/acme-erp',
      )
    ).data;
    return inbox.filter((e) => e.body.id === id);
  }

  it('delivers each event once per subscriber, signed, even when recorded twice', async () => {
    const shipped = event();
    await recordEvent(sequelize, shipped);
    await recordEvent(sequelize, shipped);
    await dispatcher.runOnce();
    await dispatcher.runOnce();
    const got = await received(shipped.id);
    expect(got).toHaveLength(1);
    expect(got[0]!.body).toEqual(shipped);
    const header = got[0]!.headers['x-crossdock-signature']!;
    const timestamp = Number(/t=(\d+)/.exec(header)![1]);
    expect(header).toBe(
      signPayload(process.env.CROSSDOCK_ACME_EVENTS_SECRET!, JSON.stringify(got[0]!.body), timestamp),
    );
    expect(await deliveriesOf(sequelize, shipped.id)).toEqual([
      { subscriber_id: 'acme/acme-erp', status: 'delivered', attempts: 1, last_error: null },
    ]);
  });

  it('retries a failing subscriber with backoff and delivers when it recovers', async () => {
    const delayed = event('order.delivered');
    await recordEvent(sequelize, delayed);
    await sandbox.put('/__sandbox/faults/inbox', { failNext: { count: 1, status: 503 } });
    await dispatcher.runOnce();
    const [failed] = await deliveriesOf(sequelize, delayed.id);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, last_error: 'HTTP 503' });
    expect(await received(delayed.id)).toHaveLength(0);
    // Due again now (instead of in retryDelaySeconds(1) = 4 s) so the test does not wait.
    await sequelize.query(`UPDATE event_deliveries SET next_attempt_at = now() WHERE event_id = :id`, {
      replacements: { id: delayed.id },
      type: QueryTypes.UPDATE,
    });
    await dispatcher.runOnce();
    expect(await received(delayed.id)).toHaveLength(1);
    expect((await deliveriesOf(sequelize, delayed.id))[0]).toMatchObject({
      status: 'delivered',
      attempts: 2,
    });
  });

  it('hands on the deliveries of a dispatcher that died after its lease (three timeouts), not before', async () => {
    const stranded = event('order.cancelled');
    await recordEvent(sequelize, stranded);
    // Dispatchers with a 1 s timeout, so a lease of 3 s: one expands and claims the event, then dies.
    expect(deliveryLeaseSeconds(1_000)).toBe(3);
    await expandEvents(sequelize, eventRoutes(testConfig()));
    const claimed = await claimDueDeliveries(sequelize, 50, deliveryLeaseSeconds(1_000));
    const claimedAt = Date.now();
    expect(claimed.map((d) => d.event_id)).toContain(stranded.id);
    const survivor = new EventDispatcher(sequelize, testConfig(), createLogger('silent'), {
      timeoutMs: 1_000,
    });
    await survivor.runOnce();
    expect(await received(stranded.id)).toHaveLength(0); // still leased to the one that died
    await new Promise((resolve) => setTimeout(resolve, 3_200 - (Date.now() - claimedAt)));
    await survivor.runOnce();
    expect(await received(stranded.id)).toHaveLength(1);
    expect((await deliveriesOf(sequelize, stranded.id))[0]).toMatchObject({
      status: 'delivered',
      attempts: 1,
    });

    // The dispatcher's own claims carry the same lease: seen while a slow subscriber answers.
    const slow = event('order.cancelled');
    await recordEvent(sequelize, slow);
    await sandbox.put('/__sandbox/faults/inbox', { latencyMs: 600 });
    const running = survivor.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [lease] = await sequelize.query<{ seconds: number }>(
      `SELECT extract(epoch FROM next_attempt_at - now())::float AS seconds FROM event_deliveries WHERE event_id = :id`,
      { replacements: { id: slow.id }, type: QueryTypes.SELECT },
    );
    await running;
    await sandbox.put('/__sandbox/faults/inbox', { latencyMs: 0 });
    expect(lease!.seconds).toBeGreaterThan(2);
    expect(lease!.seconds).toBeLessThanOrEqual(3);
    expect(await received(slow.id)).toHaveLength(1);
  });

  it('backs off exponentially to an hour and gives up after thirty attempts', () => {
    expect([1, 2, 3, 10, 20].map((n) => retryDelaySeconds(n))).toEqual([4, 8, 16, 2048, 3600]);
    expect(retryDelaySeconds(30)).toBeUndefined();
  });

  it('sends events only to subscribers of that tenant and type', async () => {
    const other = { ...event(), tenantId: 'globex' };
    await recordEvent(sequelize, other);
    await dispatcher.runOnce();
    expect(await deliveriesOf(sequelize, other.id)).toEqual([]);
  });

  it('prunes old receipts and fully delivered events, keeping dead deliveries and recent rows', async () => {
    const delivered = event();
    const dead = event();
    for (const e of [delivered, dead]) await recordEvent(sequelize, e);
    await dispatcher.runOnce();
    await sequelize.query(`UPDATE event_deliveries SET status = 'dead' WHERE event_id = :id`, {
      replacements: { id: dead.id },
    });
    await sequelize.query(
      `UPDATE outbound_events SET created_at = now() - interval '40 days' WHERE id IN (:ids)`,
      {
        replacements: { ids: [delivered.id, dead.id] },
      },
    );
    const oldReceipt = uniqueId('old');
    const newReceipt = uniqueId('new');
    await sequelize.query(
      `INSERT INTO webhook_receipts (source, delivery_id, topic, received_at) VALUES
         ('test', :oldReceipt, 't', now() - interval '40 days'), ('test', :newReceipt, 't', now())`,
      { replacements: { oldReceipt, newReceipt } },
    );
    const pruned = await pruneOldRecords(sequelize, 30);
    expect(pruned.events).toBeGreaterThanOrEqual(1);
    expect(pruned.webhookReceipts).toBeGreaterThanOrEqual(1);
    const left = await sequelize.query<{ id: string }>(`SELECT id FROM outbound_events WHERE id IN (:ids)`, {
      replacements: { ids: [delivered.id, dead.id] },
      type: QueryTypes.SELECT,
    });
    expect(left.map((r) => r.id)).toEqual([dead.id]);
    const receipts = await sequelize.query<{ delivery_id: string }>(
      `SELECT delivery_id FROM webhook_receipts WHERE delivery_id IN (:ids)`,
      { replacements: { ids: [oldReceipt, newReceipt] }, type: QueryTypes.SELECT },
    );
    expect(receipts.map((r) => r.delivery_id)).toEqual([newReceipt]);
  });
});
