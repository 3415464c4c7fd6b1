import { createHmac } from 'node:crypto';
import { declareItem } from '../../db/master-data/declare';
import type { HubEvent } from '../../domain/events';
import { signPayload } from '../../worker/event-dispatcher';
import { recordHistoryIfAsked } from '../support/histories';
import type { shopifyReconcile } from '../../workflows';
import {
  acmeHeaders,
  eventually,
  globexHeaders,
  http,
  labelsBought,
  sandboxStats,
  seedStock,
  shopifyOrderBody,
  uniqueId,
  waitForOrder,
} from '../support/fixtures';
import { hubForTests } from '../support/hub-lifecycle';

/**
 * Channels end to end: Shopify webhooks (signed, redelivered) and the scheduled reconcile, Square
 * POS webhooks, cancellations from the channel and from the API, the inventory API, and the
 * signed events subscribers receive. Every partner is a sandbox emulator reached over HTTP.
 */
describe('sales channels end to end', () => {
  const hub = hubForTests({ tracking: { inTransitAfterMs: 200, deliveredAfterMs: 600 } });
  let sku: string;
  const acme = acmeHeaders;

  beforeAll(async () => {
    sku = uniqueId('CH');
    await seedStock(hub().services.sequelize, 'acme', { [sku]: { 'ch-west': 50 } });
  });

  const shopifyWebhookUrl = () => `${hub().apiUrl}/webhooks/shopify/acme-shopify`;

  async function createShopifyOrder(quantity: number, extra: Record<string, unknown> = {}): Promise<number> {
    const res = await http.post<{ order: { id: number } }>(
      `${hub().sandboxUrl}/__sandbox/shopify/orders`,
      shopifyOrderBody(sku, quantity, extra),
    );
    return res.data.order.id;
  }

  async function deliverWebhook(orderId: number, topic: string, times: number) {
    const res = await http.post<{ deliveries: Array<{ status: number; body: Record<string, unknown> }> }>(
      `${hub().sandboxUrl}/__sandbox/shopify/orders/${orderId}/webhooks`,
      { topic, address: shopifyWebhookUrl(), times },
    );
    return res.data.deliveries;
  }

  const waitFor = (id: string, statuses: string[], headers = acme()) =>
    waitForOrder(hub().apiUrl, id, statuses, headers);

  async function reconcile() {
    return hub().services.client.workflow.execute<typeof shopifyReconcile>('shopifyReconcile', {
      taskQueue: hub().config.temporal.orchestrationTaskQueue,
      workflowId: uniqueId('reconcile-test'),
      args: [{ connectorId: 'acme-shopify' }],
    });
  }

  it('turns a Shopify order delivered three times by webhook and also reconciled into one order, one label, one invoice, one fulfilment', async () => {
    const before = await sandboxStats(hub().sandboxUrl);
    const orderId = await createShopifyOrder(2);
    const deliveries = await deliverWebhook(orderId, 'orders/create', 3);
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200]);
    expect(deliveries.map((d) => d.body.duplicate)).toEqual([false, true, true]);
    // Shopify may also send the same order under another event (orders/updated): still one order.
    const updated = await deliverWebhook(orderId, 'orders/updated', 1);
    expect(updated[0]!.body).toMatchObject({ orderId: `shopify:${orderId}`, duplicate: true });
    const reconciled = await reconcile();
    expect(reconciled.seen).toBeGreaterThanOrEqual(1);

    const order = await waitFor(`shopify:${orderId}`, ['delivered', 'exception', 'rejected', 'failed']);
    expect(order.status).toBe('delivered');
    expect(order.totals).toEqual({
      subtotal: '50.00',
      tax: '2.40',
      shipping: '5.00',
      total: '57.40',
      currency: 'USD',
    });
    expect(order.channelFulfilmentIds).toHaveLength(1);

    const after = await sandboxStats(hub().sandboxUrl);
    expect(labelsBought(after) - labelsBought(before)).toBe(1);
    expect(after.quickbooks.invoices - before.quickbooks.invoices).toBe(1);
    expect(after.quickbooks.payments - before.quickbooks.payments).toBe(1);
    expect(after.shopify.fulfillments - before.shopify.fulfillments).toBe(1);

    const store = await http.get<{
      order: { fulfillment_status: string };
      fulfillments: Array<{ tracking_number: string }>;
    }>(`${hub().sandboxUrl}/__sandbox/shopify/orders/${orderId}`);
    expect(store.data.order.fulfillment_status).toBe('fulfilled');
    expect(store.data.fulfillments.map((f) => f.tracking_number)).toEqual([order.labels![0]!.trackingCode]);
    const invoice = (
      await http.get<
        Array<{
          path: string;
          body: { TxnTaxDetail?: { TotalTax: number }; CurrencyRef?: { value: string } };
        }>
      >(`${hub().sandboxUrl}/__sandbox/calls?partner=quickbooks`)
    ).data.find(
      (c) =>
        c.path.endsWith('/invoice') &&
        (c.body as { PrivateNote?: string }).PrivateNote === `order:acme:shopify:${orderId}`,
    );
    expect(invoice?.body).toMatchObject({ TxnTaxDetail: { TotalTax: 2.4 }, CurrencyRef: { value: 'USD' } });
  });

  it('keeps a reconcile schedule per Shopify store, at the configured interval', async () => {
    const schedule = await hub()
      .services.client.schedule.getHandle('shopify-reconcile:acme-shopify')
      .describe();
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'shopifyReconcile' });
    expect(schedule.spec.intervals?.[0]?.every).toBe(300_000);
    expect(schedule.policies.overlap).toBe('SKIP');
    const housekeeping = await hub().services.client.schedule.getHandle('crossdock-housekeeping').describe();
    expect(housekeeping.action).toMatchObject({ type: 'startWorkflow', workflowType: 'hubHousekeeping' });
    const pruned = await hub().services.client.workflow.execute('hubHousekeeping', {
      taskQueue: hub().config.temporal.orchestrationTaskQueue,
      workflowId: uniqueId('housekeeping-test'),
      args: [{ olderThanDays: 30 }],
    });
    expect(pruned).toEqual({ webhookReceipts: expect.any(Number), events: expect.any(Number) });
  });

  it('recovers an order whose webhook never came through the reconcile, run by ops on demand', async () => {
    const orderId = await createShopifyOrder(1);
    const answer = await http.post(`${hub().apiUrl}/v1/channels/acme-shopify/reconcile`, undefined, {
      headers: acmeHeaders(),
    });
    expect(answer.status).toBe(200);
    const { found: result, workflowId } = answer.data as { found: { started: number }; workflowId: string };
    expect(result.started).toBeGreaterThanOrEqual(1);
    await recordHistoryIfAsked(hub().services.client, workflowId, 'store-reconcile-on-demand');
    const order = await waitFor(`shopify:${orderId}`, ['label_purchased', 'shipped', 'delivered']);
    expect(order.timeline[0]!.note).toBe('via reconcile');
  });

  it('rejects a Shopify order whose address holds the NUL character, naming the field, instead of failing to store it', async () => {
    const base = shopifyOrderBody(sku, 1);
    const orderId = await createShopifyOrder(1, {
      shipping_address: { ...base.shipping_address, address1: '1 Compiler Way\u0000' },
    });
    const deliveries = await deliverWebhook(orderId, 'orders/create', 1);
    expect(deliveries.map((d) => d.status)).toEqual([200]);
    const order = await waitFor(`shopify:${orderId}`, ['rejected', 'delivered', 'exception', 'failed']);
    expect({ status: order.status, rejection: order.rejection }).toEqual({
      status: 'rejected',
      rejection: {
        type: 'InvalidAddress',
        reasons: ['shippingAddress.line1: must not contain the NUL character (U+0000)'],
      },
    });
    await recordHistoryIfAsked(
      hub().services.client,
      `order:acme:shopify:${orderId}`,
      'order-rejected-patch-set-2',
    );
  });

  it('refuses a webhook whose signature does not match the body, and starts nothing', async () => {
    const body = JSON.stringify({ ...shopifyOrderBody(sku, 1), id: 424242 });
    const forged = createHmac('sha256', 'not-the-secret').update(body).digest('base64');
    const res = await http.post(shopifyWebhookUrl(), body, {
      headers: {
        'Content-Type': 'application/json',
        'X-Shopify-Topic': 'orders/create',
        'X-Shopify-Hmac-Sha256': forged,
        'X-Shopify-Event-Id': uniqueId('evt'),
      },
    });
    expect(res.status).toBe(401);
    expect((await http.get(`${hub().apiUrl}/v1/orders/shopify:424242`, { headers: acme() })).status).toBe(
      404,
    );
  });

  it('cancels on the channel’s word without refunding again, and refunds through Shopify when the API cancels', async () => {
    const before = await sandboxStats(hub().sandboxUrl);
    const byChannel = await createShopifyOrder(1, { financial_status: 'pending' });
    await deliverWebhook(byChannel, 'orders/create', 1);
    await waitFor(`shopify:${byChannel}`, ['awaiting_payment']);
    await http.patch(`${hub().sandboxUrl}/__sandbox/shopify/orders/${byChannel}`, {
      cancelled_at: new Date().toISOString(),
    });
    const [cancelWebhook] = await deliverWebhook(byChannel, 'orders/cancelled', 1);
    expect(cancelWebhook!.body).toMatchObject({ cancelled: true });
    const cancelled = await waitFor(`shopify:${byChannel}`, ['cancelled']);
    expect(cancelled.cancellation).toEqual({ reason: 'cancelled on Shopify', origin: 'channel' });

    const byApi = await createShopifyOrder(1, { financial_status: 'pending' });
    await deliverWebhook(byApi, 'orders/create', 1);
    await waitFor(`shopify:${byApi}`, ['awaiting_payment']);
    const res = await http.post(
      `${hub().apiUrl}/v1/orders/shopify:${byApi}/cancel`,
      { reason: 'customer called' },
      { headers: acme() },
    );
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      status: 'cancelled',
      cancellation: { origin: 'api', refunded: '32.40' },
    });
    const after = await sandboxStats(hub().sandboxUrl);
    expect(after.shopify.cancellations - before.shopify.cancellations).toBe(1);
    const store = await http.get<{ order: { cancelled_at: string | null } }>(
      `${hub().sandboxUrl}/__sandbox/shopify/orders/${byApi}`,
    );
    expect(store.data.order.cancelled_at).not.toBeNull();

    const again = await http.post(
      `${hub().apiUrl}/v1/orders/shopify:${byApi}/cancel`,
      { reason: 'twice' },
      { headers: acme() },
    );
    expect(again.status).toBe(409);
  });

  it('takes a Square POS order by signed webhook, ships it and books it in Xero once', async () => {
    const widget = uniqueId('POS');
    await seedStock(hub().services.sequelize, 'globex', { [widget]: { 'pos-store': 10 } });
    const variation = uniqueId('VAR').toUpperCase();
    await http.post(`${hub().sandboxUrl}/__sandbox/square/catalog`, {
      id: variation,
      sku: widget,
      name: 'Widget',
    });
    const created = await http.post<{ order: { id: string } }>(
      `${hub().sandboxUrl}/__sandbox/square/orders`,
      {
        location_id: 'L1',
        line_items: [
          {
            uid: 'li-1',
            name: 'Widget',
            quantity: '3',
            catalog_object_id: variation,
            base_price_money: { amount: 1250, currency: 'USD' },
          },
        ],
        fulfillments: [
          {
            type: 'SHIPMENT',
            shipment_details: {
              shipping_type: 'Ground',
              recipient: {
                display_name: 'Linus Pauling',
                email_address: 'linus@example.com',
                address: {
                  address_line_1: '5 Vitamin Rd',
                  locality: 'Austin',
                  administrative_district_level_1: 'TX',
                  postal_code: '78701',
                  country: 'US',
                },
              },
            },
          },
        ],
        taxes: [{ uid: 'sales-tax', name: 'Sales tax', percentage: '8', scope: 'ORDER' }],
        tenders: [{ type: 'CARD', amount_money: { amount: 4050, currency: 'USD' } }],
      },
    );
    const squareId = created.data.order.id;
    const before = await sandboxStats(hub().sandboxUrl);
    const notificationUrl = hub().services.connectors.find('globex-square', 'pos')!.options
      .notificationUrl as string;
    const sent = await http.post<{ deliveries: Array<{ status: number; body: Record<string, unknown> }> }>(
      `${hub().sandboxUrl}/__sandbox/square/orders/${squareId}/webhooks`,
      { notificationUrl, deliverTo: `${hub().apiUrl}/webhooks/square/globex-square`, times: 2 },
    );
    expect(sent.data.deliveries.map((d) => [d.status, d.body.duplicate])).toEqual([
      [200, false],
      [200, true],
    ]);
    const globex = globexHeaders();
    const order = await waitFor(`pos:${squareId}`, ['delivered', 'rejected', 'exception'], globex);
    expect(order.status).toBe('delivered');
    expect(order.totals?.total).toBe('40.50');
    const after = await sandboxStats(hub().sandboxUrl);
    expect(after.xero.invoices - before.xero.invoices).toBe(1);
    expect(after.xero.payments - before.xero.payments).toBe(1);
  });

  it('keeps stock through the inventory API with a ledger, refusing counts below what is promised', async () => {
    const item = uniqueId('INV');
    await seedStock(hub().services.sequelize, 'acme', { [item]: { 'inv-a': 10 } });
    await declareItem(hub().services.sequelize, 'acme', {
      sku: item,
      name: 'Inventory item',
      lowStockThreshold: 6,
    });
    const set = await http.put(
      `${hub().apiUrl}/v1/inventory/${item}/inv-a`,
      { set: 12, reason: 'cycle count' },
      { headers: acme() },
    );
    expect(set.data).toEqual({ sku: item, locationId: 'inv-a', onHand: 12, reserved: 0, available: 12 });
    const adjusted = await http.put(
      `${hub().apiUrl}/v1/inventory/${item}/inv-a`,
      { adjust: -7, reason: 'damaged in storage' },
      { headers: acme() },
    );
    expect(adjusted.data).toMatchObject({ onHand: 5, available: 5 });
    const negative = await http.put(
      `${hub().apiUrl}/v1/inventory/${item}/inv-a`,
      { adjust: -6, reason: 'oops' },
      { headers: acme() },
    );
    expect(negative.status).toBe(409);
    const invalid = await http.put(
      `${hub().apiUrl}/v1/inventory/${item}/inv-a`,
      { adjust: 0 },
      { headers: acme() },
    );
    expect(invalid.status).toBe(400);
    const unknownLocation = await http.put(
      `${hub().apiUrl}/v1/inventory/${item}/nowhere`,
      { set: 1, reason: 'x' },
      { headers: acme() },
    );
    expect(unknownLocation.status).toBe(404);

    const levels = await http.get(`${hub().apiUrl}/v1/inventory/${item}`, { headers: acme() });
    expect(levels.data).toMatchObject({
      sku: item,
      low: true,
      totals: { onHand: 5, reserved: 0, available: 5 },
    });
    const ledger = await http.get<{
      movements: Array<{ kind: string; onHandDelta: number; reason: string }>;
    }>(`${hub().apiUrl}/v1/inventory/${item}/movements`, { headers: acme() });
    expect(ledger.data.movements.map((m) => [m.kind, m.onHandDelta, m.reason])).toEqual([
      ['adjust', -7, 'damaged in storage'],
      ['set', 2, 'cycle count'],
      ['set', 10, 'test'],
    ]);

    const low = await eventually('inventory.low to reach the subscriber', async () => {
      const inbox = (
        await http.get<Array<{ body: HubEvent }>>(`${hub().sandboxUrl}/__sandbox/inbox/acme-erp`)
      ).data;
      return inbox.find((e) => e.body.type === 'inventory.low' && e.body.data.sku === item);
    });
    expect(low.body.data).toMatchObject({ available: 5, threshold: 6, suggestedQuantity: 7 });
  });

  it('sends subscribers signed events for each state an order reaches, once each', async () => {
    const orderId = await createShopifyOrder(1);
    await deliverWebhook(orderId, 'orders/create', 2);
    await waitFor(`shopify:${orderId}`, ['delivered']);
    const events = await eventually('order events to reach the subscriber', async () => {
      const inbox = (
        await http.get<Array<{ headers: Record<string, string>; body: HubEvent }>>(
          `${hub().sandboxUrl}/__sandbox/inbox/acme-erp`,
        )
      ).data.filter((e) => e.body.data.orderId === `shopify:${orderId}`);
      return inbox.length >= 3 ? inbox : undefined;
    });
    expect(events.map((e) => e.body.type).sort()).toEqual([
      'order.created',
      'order.delivered',
      'order.shipped',
    ]);
    for (const event of events) {
      const timestamp = Number(/t=(\d+)/.exec(event.headers['x-crossdock-signature']!)![1]);
      const expected = signPayload(
        process.env.CROSSDOCK_ACME_EVENTS_SECRET!,
        JSON.stringify(event.body),
        timestamp,
      );
      expect(event.headers['x-crossdock-signature']).toBe(expected);
      expect(event.headers['x-crossdock-event-id']).toBe(event.body.id);
    }
  });
});
