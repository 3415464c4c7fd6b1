import { randomUUID } from 'node:crypto';
import type { HubEvent } from '../../domain/events';
import { recordEvent } from '../../db/outbox';
import { acmeHeaders, eventually, globexHeaders, http } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * The events repair kit: list deliveries by status, send a dead one again, and catch a subscriber
 * up after an outage; each request delivers each event once more, to the tenant's own subscribers.
 */
describe('event deliveries, listed and sent again', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  }, 60_000);
  afterAll(() => hub?.stop());
  const globex = globexHeaders;
  const received = async (eventId: string) =>
    (await http.get<Array<{ body: HubEvent }>>(`${hub.sandboxUrl}/__sandbox/inbox/acme-erp`)).data.filter(
      (e) => e.body.id === eventId,
    ).length;
  const deliveriesOf = async (query: string) =>
    (
      await http.get<{ deliveries: Array<{ eventId: string; status: string; attempts: number }> }>(
        `${hub.apiUrl}/v1/events?${query}`,
        { headers: acmeHeaders() },
      )
    ).data.deliveries;

  it('lists a dead delivery, sends it once more on request, and replays a subscriber’s events since a time', async () => {
    const since = new Date(Date.now() - 1_000).toISOString();
    const event: HubEvent = {
      id: `evt-${randomUUID()}`,
      type: 'order.shipped',
      tenantId: 'acme',
      occurredAt: new Date().toISOString(),
      data: { orderId: 'rest:repair-kit' },
    };
    await recordEvent(hub.services.sequelize, event);
    await eventually('the first delivery', async () => ((await received(event.id)) === 1 ? true : undefined));
    expect(
      await deliveriesOf(`status=delivered&type=order.shipped&since=${encodeURIComponent(since)}`),
    ).toEqual(expect.arrayContaining([expect.objectContaining({ eventId: event.id, status: 'delivered' })]));

    // As after 30 refused attempts: given up, kept for ops.
    await hub.services.sequelize.query(
      `UPDATE event_deliveries SET status = 'dead', attempts = 30, last_error = 'HTTP 500' WHERE event_id = :id`,
      { replacements: { id: event.id } },
    );
    expect(await deliveriesOf('status=dead&subscriber=acme-erp')).toEqual(
      expect.arrayContaining([expect.objectContaining({ eventId: event.id, status: 'dead', attempts: 30 })]),
    );
    // Another tenant cannot touch it.
    expect(
      (await http.post(`${hub.apiUrl}/v1/events/${event.id}/redeliver`, {}, { headers: globex() })).status,
    ).toBe(404);
    const redeliver = await http.post(
      `${hub.apiUrl}/v1/events/${event.id}/redeliver`,
      {},
      { headers: acmeHeaders() },
    );
    expect(redeliver.status).toBe(200);
    expect(redeliver.data).toEqual({ eventId: event.id, redelivering: ['acme-erp'] });
    await eventually('the redelivery', async () => ((await received(event.id)) === 2 ? true : undefined));
    expect((await deliveriesOf('status=dead&subscriber=acme-erp')).map((d) => d.eventId)).not.toContain(
      event.id,
    );

    // A subscriber down since `since` is caught up: this event (and any other of its types since) once more.
    const replay = await http.post(
      `${hub.apiUrl}/v1/subscribers/acme-erp/replay?since=${encodeURIComponent(since)}`,
      undefined,
      { headers: acmeHeaders() },
    );
    expect(replay.status).toBe(200);
    expect(replay.data.queued).toBeGreaterThanOrEqual(1);
    await eventually('the replay', async () => ((await received(event.id)) === 3 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await received(event.id)).toBe(3);
  });

  it('refuses what it cannot do, naming why', async () => {
    const bad = await http.get(`${hub.apiUrl}/v1/events?status=lost&since=yesterday`, {
      headers: acmeHeaders(),
    });
    expect(bad.status).toBe(400);
    expect(bad.data.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['since', 'status']);
    const unknown = await http.post(
      `${hub.apiUrl}/v1/subscribers/nobody/replay?since=2026-01-01T00:00:00Z`,
      undefined,
      {
        headers: acmeHeaders(),
      },
    );
    expect(unknown.status).toBe(404);
    const noSince = await http.post(`${hub.apiUrl}/v1/subscribers/acme-erp/replay`, undefined, {
      headers: acmeHeaders(),
    });
    expect(noSince.status).toBe(400);
    expect(
      (await http.post(`${hub.apiUrl}/v1/events/evt-none/redeliver`, {}, { headers: acmeHeaders() })).status,
    ).toBe(404);
  });
});
