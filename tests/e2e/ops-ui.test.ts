import type { WorkflowHandle } from '@temporalio/client';
import { keepChargeForReview } from '../../db/rooms';
import { addDays, localDate } from '../../domain/stays/dates';
import type { OrderView } from '../../domain/orders/status';
import type { ReturnView } from '../../domain/returns/return';
import type { ReservationView } from '../../domain/stays/reservation';
import {
  SA_CONNECTOR,
  SA_CURRENCY,
  SA_NEEDS_ATTENTION,
  SA_TOTAL,
  SA_WAITING_SINCE,
} from '../../domain/search-attributes';
import {
  acmeHeaders,
  alpineHeaders,
  CUSTOMER_ADDRESS,
  http,
  restOrder,
  seedStock,
  setTrackingProgression,
  uniqueId,
  waitForOrder,
} from '../support/fixtures';
import { recordHistoryIfAsked } from '../support/histories';
import { hubForTests, QUICK_DELIVERY } from '../support/hub-lifecycle';
import { doubleRoomBooking, upsertDoublesLodge } from '../support/properties';
import { expectViewFinds, expectViewMisses } from '../support/saved-views';

/** What the Temporal UI shows of a process: its summary, details and current details. */
async function uiTextOf(handle: WorkflowHandle) {
  const description = await handle.describe();
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  return {
    summary: (await description.staticSummary()) ?? '',
    details: (await description.staticDetails()) ?? '',
    current: metadata.currentDetails ?? '',
    attributes: description.typedSearchAttributes,
  };
}

/** The fixtures' personal data: none of it may reach what the UI shows. */
const GUEST = { name: 'Grace Hopper', email: 'grace@example.com' };
const PERSONAL = [
  CUSTOMER_ADDRESS.name,
  CUSTOMER_ADDRESS.line1,
  CUSTOMER_ADDRESS.postalCode,
  GUEST.name,
  GUEST.email,
  '@',
];
function expectNoPersonalData(texts: string[]): void {
  for (const text of texts) for (const value of PERSONAL) expect(text).not.toContain(value);
}

/**
 * Ops in the Temporal UI: processes say what they are and what they wait for, the saved views of
 * docs/operations.md find them, and each repair is taken, or refused with its reason.
 */
describe('the Temporal UI speaks the business, and the runbook holds', () => {
  const hub = hubForTests({
    // A person decides acme's returns here, so one waits for approval.
    adjust: (config) => {
      config.tenants.find((t) => t.id === 'acme')!.returns.approval = 'manual';
    },
    testsMoveTrackers: true,
  });
  let sku: string;
  let propertyId: string;
  /** The first test's delivered order, which the second returns goods of. */
  let deliveredId: string;
  const today = localDate(Date.now(), 'Europe/Vienna');

  beforeAll(async () => {
    sku = uniqueId('OPS');
    await seedStock(hub().services.sequelize, 'acme', { [sku]: { 'ops-main': 20 } });
    propertyId = uniqueId('ops-lodge');
    await upsertDoublesLodge(hub().services.sequelize, { id: propertyId, rooms: 5, amount: '150.00' });
  });

  const post = <T>(path: string, body: unknown, headers = acmeHeaders()) =>
    http.post<T>(`${hub().apiUrl}${path}`, body, { headers });
  const workflow = (id: string) => hub().services.client.workflow.getHandle(id);

  it('a delivered order and a checked-out stay name their business facts, and no personal data', async () => {
    await setTrackingProgression(hub().sandboxUrl, QUICK_DELIVERY);
    const externalId = uniqueId('ui');
    expect((await post('/v1/orders', restOrder(externalId, [{ sku, quantity: 2 }]))).status).toBe(202);
    const order = await waitForOrder(hub().apiUrl, `rest:${externalId}`, [
      'delivered',
      'rejected',
      'exception',
    ]);
    expect(order.status).toBe('delivered');
    deliveredId = order.id;
    await setTrackingProgression(hub().sandboxUrl, null);

    const shown = await uiTextOf(workflow(`order:acme:rest:${externalId}`));
    expect(shown.summary).toBe(`Order rest:${externalId} · acme · 1 line · 39.98 USD · to Portland, US`);
    expect(shown.details).toContain(`- **Lines:** 2 × ${sku}`);
    expect(shown.details).toContain('- **Ships to:** Portland, US');
    expect(shown.current).toBe('Delivered: 1 parcel, invoiced.');
    expect(shown.attributes.get(SA_TOTAL)).toBe(39.98);
    expect(shown.attributes.get(SA_CURRENCY)).toBe('USD');
    expect(shown.attributes.get(SA_NEEDS_ATTENTION)).toBe(false);
    expect(shown.attributes.get(SA_WAITING_SINCE)).toBeInstanceOf(Date);
    expectNoPersonalData([shown.summary, shown.details, shown.current]);
    await recordHistoryIfAsked(
      hub().services.client,
      `order:acme:rest:${externalId}`,
      'order-delivered-ops-attributes',
    );

    // A stay from booking to check-out; a POS charge kept for review is released to its folio.
    const stay = await post<ReservationView>(
      '/v1/reservations',
      doubleRoomBooking({
        channel: 'rest',
        externalId: uniqueId('ui-stay'),
        propertyId,
        arrival: today,
        nights: 1,
        guest: GUEST,
      }),
      alpineHeaders(),
    );
    expect(stay.status).toBe(201);
    const act = (action: string, body: Record<string, unknown> = {}) =>
      post<ReservationView>(`/v1/reservations/${stay.data.id}/${action}`, body, alpineHeaders());
    expect((await act('check-in')).status).toBe(200);
    const chargeId = uniqueId('pos');
    await keepChargeForReview(hub().services.sequelize, {
      tenantId: 'alpine',
      propertyId,
      chargeId,
      reason: 'room 999 has no guest in house',
      charge: { id: chargeId, description: 'Dinner', amount: '40.00', tax: '4.00', currency: 'EUR' },
    });
    const release = (body: unknown) =>
      post<{ folio: ReservationView['folio'] }>(
        `/v1/properties/${propertyId}/charge-reviews/${chargeId}/release`,
        body,
        alpineHeaders(),
      );
    expect((await release({})).status).toBe(400);
    const released = await release({ reservationId: stay.data.id });
    expect(released.status).toBe(200);
    expect(released.data.folio.entries).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: chargeId, amount: '40.00' })]),
    );
    expect((await release({ reservationId: stay.data.id })).status).toBe(404); // closed: taken once
    expect(
      (await act('payments', { amount: '209.00', method: 'card', reference: uniqueId('pay') })).status,
    ).toBe(200);
    const out = await act('check-out');
    expect(out.status).toBe(200);

    const stayShown = await uiTextOf(workflow(`reservation:alpine:${stay.data.id}`));
    expect(stayShown.summary).toBe(
      `Stay ${stay.data.id} · ${propertyId} · dbl · ${today} → ${addDays(today, 1)} (1 night) · guest G. H.`,
    );
    expect(stayShown.details).toContain('- **Guest:** G. H.');
    expect(stayShown.current).toMatch(/^Checked out of room \d+\. Folio settled\.$/);
    expectNoPersonalData([stayShown.summary, stayShown.details, stayShown.current]);
    await recordHistoryIfAsked(
      hub().services.client,
      `reservation:alpine:${stay.data.id}`,
      'reservation-charge-released-checked-out',
    );

    // A charge released to a stay that has ended is refused with the stay's reason, and kept.
    const lateId = uniqueId('pos');
    await keepChargeForReview(hub().services.sequelize, {
      tenantId: 'alpine',
      propertyId,
      chargeId: lateId,
      reason: 'room 999 has no guest in house',
      charge: { id: lateId, description: 'Spa', amount: '20.00', tax: '2.00', currency: 'EUR' },
    });
    const late = await post(
      `/v1/properties/${propertyId}/charge-reviews/${lateId}/release`,
      { reservationId: stay.data.id },
      alpineHeaders(),
    );
    expect(late.status).toBe(409);
    expect(JSON.stringify(late.data)).toMatch(/is checked.out; only a guest in house can be charged/);
    const kept = await http.get<{ charges: Array<{ chargeId: string }> }>(
      `${hub().apiUrl}/v1/properties/${propertyId}/charge-reviews`,
      { headers: alpineHeaders() },
    );
    expect(kept.data.charges.map((c) => c.chargeId)).toEqual([lateId]);
  }, 120_000);

  it('finds each process by its saved view, and takes or refuses each repair with a reason', async () => {
    // An order whose carrier never scans: a label a "day" old (the view's time filled with now).
    const externalId = uniqueId('quiet');
    expect((await post('/v1/orders', restOrder(externalId, [{ sku, quantity: 1 }]))).status).toBe(202);
    const labelled = await waitForOrder(hub().apiUrl, `rest:${externalId}`, ['label_purchased']);
    const orderId = `order:acme:rest:${externalId}`;
    const label = labelled.labels![0]!;
    const client = hub().services.client;
    const aDayAgo = { 'a day ago': new Date(Date.now() + 60_000).toISOString() };
    await expectViewFinds(client, 'Labels without a scan for a day', orderId, aDayAgo);
    expect((await uiTextOf(workflow(orderId))).current).toMatch(
      new RegExp(
        `^Label bought with ${label.connectorId} \\(.+\\), waiting for the first carrier scan; raises an exception on .+ if none comes\\.$`,
      ),
    );

    // The carrier reports trouble: an exception, waiting for a person, on that carrier.
    await http.post(`${hub().sandboxUrl}/__sandbox/easypost/track`, {
      trackingCode: label.trackingCode,
      status: 'failure',
    });
    await waitForOrder(hub().apiUrl, `rest:${externalId}`, ['exception']);
    await expectViewFinds(client, 'Orders in exception', orderId);
    await expectViewFinds(client, 'Everything waiting for a person', orderId);
    await expectViewFinds(client, 'Everything waiting on one partner', orderId, {
      connector: label.connectorId!,
    });
    await expectViewMisses(client, 'Labels without a scan for a day', orderId, aDayAgo);
    expect((await uiTextOf(workflow(orderId))).attributes.get(SA_CONNECTOR)).toBe(label.connectorId);

    // The runbook's repair: nothing was picked up, so it can be cancelled; then it needs no one.
    const cancelled = await post<OrderView>(`/v1/orders/rest:${externalId}/cancel`, {
      reason: 'carrier lost it',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.data.status).toBe('cancelled');
    await expectViewMisses(client, 'Everything waiting for a person', orderId);
    const tooLate = await post(`/v1/orders/rest:${externalId}/cancel`, { reason: 'again' });
    expect(tooLate.status).toBe(409);
    expect(JSON.stringify(tooLate.data)).toContain('cancelled');
    await recordHistoryIfAsked(client, orderId, 'order-exception-cancelled');

    // A return waiting for a person's approval; rejected, it refuses a later approval with the reason.
    const requested = await post<ReturnView>(`/v1/orders/${deliveredId}/returns`, {
      lines: [{ sku, quantity: 1, reason: 'too small' }],
    });
    expect(requested.status).toBe(201);
    expect(requested.data.status).toBe('requested');
    const returnId = `return:acme:${requested.data.id}`;
    await expectViewFinds(client, 'Returns waiting for approval', returnId);
    const returnShown = await uiTextOf(workflow(returnId));
    expect(returnShown.summary).toBe(
      `Return ${requested.data.id} · order ${deliveredId} · acme · 1 × ${sku}`,
    );
    expect(returnShown.current).toMatch(
      /^\*\*Needs attention\*\*: waiting for a person to approve or reject it/,
    );
    expect((await post(`/v1/returns/${requested.data.id}/reject`, { reason: 'worn' })).status).toBe(200);
    const approve = await post(`/v1/returns/${requested.data.id}/approve`, {});
    expect(approve.status).toBe(409);
    expect(JSON.stringify(approve.data)).toMatch(/rejected/);
    await expectViewMisses(client, 'Returns waiting for approval', returnId);
    await recordHistoryIfAsked(client, returnId, 'return-awaiting-approval-rejected');

    // A stay arriving today, held without a guarantee; re-accommodation does not apply to it.
    const held = await post<ReservationView>(
      '/v1/reservations',
      {
        channel: 'rest',
        externalId: uniqueId('held'),
        propertyId,
        roomTypeId: 'dbl',
        ratePlanId: 'flex',
        arrival: today,
        departure: addDays(today, 2),
        guests: { adults: 1 },
        guest: GUEST,
      },
      alpineHeaders(),
    );
    expect(held.status).toBe(201);
    expect(held.data.status).toBe('held');
    const stayId = `reservation:alpine:${held.data.id}`;
    await expectViewFinds(client, 'Arrivals today without a guarantee', stayId, { today });
    expect((await uiTextOf(workflow(stayId))).current).toMatch(/^Held until .+ UTC, waiting for a guarantee/);
    const reaccommodate = await post(`/v1/reservations/${held.data.id}/reaccommodate`, {}, alpineHeaders());
    expect(reaccommodate.status).toBe(409);
    expect(JSON.stringify(reaccommodate.data)).toMatch(/overbooked/);
    expect(
      (
        await post(
          `/v1/reservations/${held.data.id}/confirm`,
          { guarantee: { kind: 'card' } },
          alpineHeaders(),
        )
      ).status,
    ).toBe(200);
    await expectViewMisses(client, 'Arrivals today without a guarantee', stayId, { today });

    // Once nothing is set aside on the store (again), resolving its mappings is refused with the reason.
    await post('/v1/channels/acme-shopify/mappings/resolve', {});
    const resolve = await post('/v1/channels/acme-shopify/mappings/resolve', {});
    expect(resolve.status).toBe(409);
    expect(JSON.stringify(resolve.data)).toContain('no mapping of acme-shopify is set aside');
  }, 120_000);
});
