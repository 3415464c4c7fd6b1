import {
  eventually,
  http,
  labelsBought,
  orderViews,
  postRestOrder,
  sandboxStats,
  seedStock,
  shopifyOrderBody,
  uniqueId,
} from '../support/fixtures';
import { hubForTests, QUICK_DELIVERY, shortPartnerTimeouts } from '../support/hub-lifecycle';
import { injectFaults, ORDER_PARTNERS } from '../support/sandbox-faults';

/**
 * One partner call in five goes wrong: 5xx, 429 with Retry-After, a hang past the connector's
 * timeout, or an answer lost after the partner did the work. Every order must still arrive, with
 * exactly one label, one invoice, one payment and (for Shopify orders) one fulfilment each.
 */
describe('orders under partner faults', () => {
  const hub = hubForTests({ adjust: shortPartnerTimeouts, tracking: QUICK_DELIVERY, injectsFaults: true });
  let sku: string;

  beforeAll(async () => {
    sku = uniqueId('FLT');
    await seedStock(hub().services.sequelize, 'acme', { [sku]: { 'flt-a': 100 } });
  });

  it('completes every order with no duplicate label, invoice, payment or fulfilment', async () => {
    const before = await sandboxStats(hub().sandboxUrl);
    await injectFaults(hub().sandboxUrl, ORDER_PARTNERS, {
      errorRate: 0.08,
      rateLimitRate: 0.04,
      retryAfterSeconds: 1,
      timeoutRate: 0.04,
      timeoutMs: 3000,
      lostResponseRate: 0.04,
    });

    const restIds = Array.from({ length: 8 }, () => uniqueId('flt'));
    const accepted = await Promise.all(
      restIds.map((id) => postRestOrder(hub().apiUrl, id, [{ sku, quantity: 1 }])),
    );
    expect(accepted.map((r) => r.status)).toEqual(restIds.map(() => 202));
    const shopifyIds: number[] = [];
    for (let i = 0; i < 6; i++) {
      const created = await http.post<{ order: { id: number } }>(
        `${hub().sandboxUrl}/__sandbox/shopify/orders`,
        shopifyOrderBody(sku, 1),
      );
      shopifyIds.push(created.data.order.id);
      const sent = await http.post<{ deliveries: Array<{ status: number }> }>(
        `${hub().sandboxUrl}/__sandbox/shopify/orders/${created.data.order.id}/webhooks`,
        { topic: 'orders/create', address: `${hub().apiUrl}/webhooks/shopify/acme-shopify`, times: 2 },
      );
      expect(sent.data.deliveries.map((d) => d.status)).toEqual([200, 200]);
    }

    const ids = [...restIds.map((id) => `rest:${id}`), ...shopifyIds.map((id) => `shopify:${id}`)];
    const orders = await eventually(
      'every order to be delivered',
      async () => {
        const views = await orderViews(hub().apiUrl, ids);
        return views.every((v) => ['delivered', 'rejected', 'failed', 'cancelled'].includes(v.status))
          ? views
          : undefined;
      },
      240_000,
    ).catch(async (error: Error) => {
      // Name the orders that did not arrive and where each stopped, for whoever reads the failure.
      const stuck = (await orderViews(hub().apiUrl, ids))
        .filter((v) => v.status !== 'delivered')
        .map((v) => `${v.id} ${v.status}: ${v.timeline.at(-1)?.note ?? ''}`);
      throw new Error(`${error.message}; not delivered: ${stuck.join(' | ')}`);
    });
    expect(orders.map((o) => o.status)).toEqual(ids.map(() => 'delivered'));

    const after = await sandboxStats(hub().sandboxUrl);
    expect(labelsBought(after) - labelsBought(before)).toBe(ids.length);
    expect(after.quickbooks.invoices - before.quickbooks.invoices).toBe(ids.length);
    expect(after.quickbooks.payments - before.quickbooks.payments).toBe(ids.length);
    expect(after.shopify.fulfillments - before.shopify.fulfillments).toBe(shopifyIds.length);
    expect(new Set(orders.map((o) => o.labels![0]!.trackingCode)).size).toBe(ids.length);

    // The faults did happen: partners answered errors and 429s that the hub rode out.
    const calls = (
      await http.get<Array<{ partner: string; status: number }>>(`${hub().sandboxUrl}/__sandbox/calls`)
    ).data;
    const failures = calls.filter(
      (c) => ORDER_PARTNERS.includes(c.partner) && (c.status === 503 || c.status === 429),
    );
    expect(failures.length).toBeGreaterThan(0);
  }, 300_000);
});
