import { returnViewSchema, type ReturnView } from '../../domain/returns/return';
import {
  acmeHeaders,
  described,
  eventually,
  globexHeaders,
  http,
  postRestOrder,
  sandboxStats,
  seedStock,
  shopifyOrderBody,
  uniqueId,
  waitForOrder,
} from '../support/fixtures';
import { recordHistoryIfAsked } from '../support/histories';
import { hubForTests, QUICK_DELIVERY, shortPartnerTimeouts } from '../support/hub-lifecycle';
import { clearFaults, injectFaults, ORDER_PARTNERS } from '../support/sandbox-faults';

interface ShopifyOrderState {
  order: { id: number; total_price: string; line_items: Array<{ id: number; sku: string }> };
}

/**
 * Returns of a delivered Shopify order through the API, Shopify's own webhooks and the sandbox
 * partners, with one partner call in six going wrong: every refund and credit memo happens
 * once, and the refunds of several returns add up to exactly what the customer paid.
 */
describe('returns end to end', () => {
  const hub = hubForTests({ adjust: shortPartnerTimeouts, tracking: QUICK_DELIVERY, injectsFaults: true });
  const headers = acmeHeaders;

  /** A Shopify order of two SKUs, taken in by webhook and delivered by the sandbox carrier. */
  async function deliveredShopifyOrder(a: string, b: string) {
    const created = await http.post<ShopifyOrderState>(
      `${hub().sandboxUrl}/__sandbox/shopify/orders`,
      shopifyOrderBody(a, 2, {
        line_items: [
          { sku: a, title: `Item ${a}`, quantity: 2, price: '25.00', tax_lines: [{ price: '2.00' }] },
          { sku: b, title: `Item ${b}`, quantity: 1, price: '10.00', tax_lines: [{ price: '0.80' }] },
        ],
      }),
    );
    const order = created.data.order;
    await http.post(`${hub().sandboxUrl}/__sandbox/shopify/orders/${order.id}/webhooks`, {
      topic: 'orders/create',
      address: `${hub().apiUrl}/webhooks/shopify/acme-shopify`,
    });
    await waitForOrder(hub().apiUrl, `shopify:${order.id}`, ['delivered']);
    return order;
  }

  /** Asks the API to return goods of a delivered Shopify order. */
  const requestReturn = (orderId: number, body: unknown) =>
    http.post<ReturnView>(`${hub().apiUrl}/v1/orders/shopify:${orderId}/returns`, body, {
      headers: headers(),
    });
  /** The returns the API lists for a Shopify order. */
  const returnsOf = <T>(orderId: number) =>
    http.get<{ returns: T[] }>(`${hub().apiUrl}/v1/orders/shopify:${orderId}/returns`, {
      headers: headers(),
    });

  async function returnView(id: string, status: ReturnView['status']): Promise<ReturnView> {
    return eventually(
      `return ${id} to be ${status}`,
      async () => {
        const response = await http.get<ReturnView>(`${hub().apiUrl}/v1/returns/${id}`, {
          headers: headers(),
        });
        return response.data.status === status ? described(returnViewSchema, response.data) : undefined;
      },
      60_000,
    );
  }

  async function inboxEvents(rmaIds: string[]): Promise<string[]> {
    const inbox = await http.get<Array<{ body: { id: string; type: string; data: { rmaId?: string } } }>>(
      `${hub().sandboxUrl}/__sandbox/inbox/acme-erp`,
    );
    const ids = new Set<string>();
    return inbox.data
      .map((d) => d.body)
      .filter((event) => rmaIds.includes(event.data.rmaId ?? '') && !ids.has(event.id) && ids.add(event.id))
      .map((event) => `${event.data.rmaId === rmaIds[0] ? 1 : 2}:${event.type}`)
      .sort();
  }

  it('returns an order in two parts, by API and by Shopify webhook, refunding exactly what was paid', async () => {
    const [a, b] = [uniqueId('RTA'), uniqueId('RTB')];
    await seedStock(hub().services.sequelize, 'acme', { [a]: { 'rt-a': 10 }, [b]: { 'rt-a': 10 } });
    const order = await deliveredShopifyOrder(a, b);
    expect(order.total_price).toBe('68.20');
    const before = await sandboxStats(hub().sandboxUrl);
    await injectFaults(hub().sandboxUrl, ORDER_PARTNERS, {
      errorRate: 0.06,
      rateLimitRate: 0.03,
      retryAfterSeconds: 1,
      lostResponseRate: 0.08,
    });

    // 1. One unit of A through the API; the same reference again is the same RMA.
    const body = { reference: 'ticket-4711', lines: [{ sku: a, quantity: 1, reason: 'too small' }] };
    const first = await requestReturn(order.id, body);
    expect(first.status).toBe(201);
    expect(first.data.status).not.toBe('rejected');
    const again = await requestReturn(order.id, body);
    expect(again.status).toBe(200);
    expect(again.data.id).toBe(first.data.id);
    const tooMany = await requestReturn(order.id, { lines: [{ sku: a, quantity: 2 }] });
    expect(tooMany.status).toBe(422);
    expect(JSON.stringify(tooMany.data)).toContain('1 of 2 delivered can still be returned');

    // The carrier's scans of the return label move it in transit; the warehouse receives it.
    const rma1 = await returnView(first.data.id, 'in_transit');
    expect(rma1.label?.labelKey).toBeTruthy();
    const received = await http.post<ReturnView>(
      `${hub().apiUrl}/v1/returns/${rma1.id}/receive`,
      { lines: [{ sku: a, quantity: 1, condition: 'sellable' }] },
      { headers: headers() },
    );
    expect(received.status).toBe(200);
    const refunded1 = await returnView(rma1.id, 'refunded');
    expect(refunded1.refund).toMatchObject({ total: '26.00', paid: '26.00', shipping: '0.00' });

    // 2. The rest, asked for on Shopify (the webhook delivered twice): shipping comes back with the last unit.
    const lineA = order.line_items.find((l) => l.sku === a)!;
    const lineB = order.line_items.find((l) => l.sku === b)!;
    await clearFaults(hub().sandboxUrl);
    const requested = await http.post<{ results: Array<{ status: number; body: unknown }> }>(
      `${hub().sandboxUrl}/__sandbox/shopify/orders/${order.id}/returns`,
      {
        lines: [
          { line_item_id: lineA.id, quantity: 1, reason: 'size_too_large' },
          { line_item_id: lineB.id, quantity: 1, reason: 'defective' },
        ],
        address: `${hub().apiUrl}/webhooks/shopify/acme-shopify`,
        times: 2,
      },
    );
    expect(requested.data.results.map((r) => r.status)).toEqual([200, 200]);
    await injectFaults(hub().sandboxUrl, ORDER_PARTNERS, { errorRate: 0.06, lostResponseRate: 0.08 });
    const listed = await eventually('the second return', async () => {
      const response = await returnsOf<{ id: string }>(order.id);
      return response.data.returns.length === 2 ? response.data.returns : undefined;
    });
    const rma2 = await returnView(listed[1]!.id, 'in_transit');
    expect(rma2.origin).toBe('channel');
    expect(rma2.lines.map((l) => l.reason)).toEqual(['size_too_large', 'defective']);
    await http.post(
      `${hub().apiUrl}/v1/returns/${rma2.id}/receive`,
      {
        lines: [
          { sku: a, quantity: 1, condition: 'sellable' },
          { sku: b, quantity: 1, condition: 'sellable' },
        ],
      },
      { headers: headers() },
    );
    const refunded2 = await returnView(rma2.id, 'refunded');
    expect(refunded2.refund).toMatchObject({ total: '42.20', shipping: '5.40' });

    // Nothing is left to return; the partners saw each refund and credit memo once.
    const nothingLeft = await requestReturn(order.id, { lines: [{ sku: b, quantity: 1 }] });
    expect(nothingLeft.status).toBe(422);
    const after = await sandboxStats(hub().sandboxUrl);
    expect(after.shopify.refunds - before.shopify.refunds).toBe(2);
    expect(after.quickbooks.creditMemos - before.quickbooks.creditMemos).toBe(2);
    expect(
      after.easypost.returnLabels +
        after['easypost-b'].returnLabels -
        before.easypost.returnLabels -
        before['easypost-b'].returnLabels,
    ).toBe(2);
    const onShopify = await http.get<{ order: { financial_status: string } }>(
      `${hub().sandboxUrl}/__sandbox/shopify/orders/${order.id}`,
    );
    expect(onShopify.data.order.financial_status).toBe('refunded');
    // Both units of A are back on hand (10 − 2 shipped + 2 returned), with their ledger entries.
    const levels = await http.get<{ locations: Array<{ locationId: string; onHand: number }> }>(
      `${hub().apiUrl}/v1/inventory/${a}`,
      { headers: headers() },
    );
    expect(levels.data.locations.find((l) => l.locationId === 'rt-a')?.onHand).toBe(10);
    const ledger = await http.get<{ movements: Array<{ kind: string; reference: string }> }>(
      `${hub().apiUrl}/v1/inventory/${a}/movements`,
      { headers: headers() },
    );
    expect(
      ledger.data.movements
        .filter((m) => m.kind === 'return_restock')
        .map((m) => m.reference)
        .sort(),
    ).toEqual([rma1.id, rma2.id].sort());
    await recordHistoryIfAsked(
      hub().services.client,
      `return:acme:${rma1.id}`,
      'return-refunded-patches-at-start',
    );
    await recordHistoryIfAsked(
      hub().services.client,
      `return:acme:${rma2.id}`,
      'return-from-shopify-refunded',
    );
    const events = await eventually('return events', async () => {
      const seen = await inboxEvents([rma1.id, rma2.id]);
      return seen.length === 8 ? seen : undefined;
    });
    expect(events).toEqual([
      '1:return.approved',
      '1:return.received',
      '1:return.refunded',
      '1:return.requested',
      '2:return.approved',
      '2:return.received',
      '2:return.refunded',
      '2:return.requested',
    ]);
  }, 240_000);

  it('counts a refund made in Shopify’s admin, so those units are never refunded twice', async () => {
    const [a, b] = [uniqueId('RTC'), uniqueId('RTD')];
    await seedStock(hub().services.sequelize, 'acme', { [a]: { 'rt-a': 10 }, [b]: { 'rt-a': 10 } });
    const order = await deliveredShopifyOrder(a, b);
    const lineA = order.line_items.find((l) => l.sku === a)!;
    const made = await http.post<{ results: Array<{ status: number; body: unknown }> }>(
      `${hub().sandboxUrl}/__sandbox/shopify/orders/${order.id}/refunds`,
      {
        refund: {
          note: 'goodwill, customer kept the goods',
          refund_line_items: [{ line_item_id: lineA.id, quantity: 1 }],
          transactions: [{ parent_id: order.id + 1, amount: '27.00', kind: 'refund' }],
        },
        address: `${hub().apiUrl}/webhooks/shopify/acme-shopify`,
      },
    );
    expect(made.data.results.map((r) => r.status)).toEqual([200]);
    expect(made.data.results[0]!.body).toMatchObject({ recorded: true });

    const refused = await requestReturn(order.id, { lines: [{ sku: a, quantity: 2 }] });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.data)).toContain('1 of 2 delivered can still be returned');
    const listed = await returnsOf<{ status: string; refunded?: string }>(order.id);
    expect(listed.data.returns).toEqual([expect.objectContaining({ status: 'refunded', refunded: '27.00' })]);

    // A return Shopify sends for an order the hub has not seen delivered is refused, so Shopify retries it.
    // (Cancelled on Shopify: a later reconcile must not take it in as a new order and ship it.)
    const unknown = await http.post<ShopifyOrderState>(
      `${hub().sandboxUrl}/__sandbox/shopify/orders`,
      shopifyOrderBody(a, 1, { cancelled_at: new Date().toISOString() }),
    );
    const early = await http.post<{ results: Array<{ status: number }> }>(
      `${hub().sandboxUrl}/__sandbox/shopify/orders/${unknown.data.order.id}/returns`,
      {
        lines: [{ line_item_id: unknown.data.order.line_items[0]!.id, quantity: 1 }],
        address: `${hub().apiUrl}/webhooks/shopify/acme-shopify`,
      },
    );
    expect(early.data.results.map((r) => r.status)).toEqual([409]);
  }, 120_000);

  it('posts the credit for a returned REST order to Xero once, as a credit note', async () => {
    const globex = globexHeaders();
    const sku = uniqueId('RTX');
    await seedStock(hub().services.sequelize, 'globex', { [sku]: { 'gx-a': 5 } });
    const externalId = uniqueId('gx');
    const placed = await postRestOrder(hub().apiUrl, externalId, [{ sku, quantity: 2 }], globex);
    expect(placed.status).toBe(202);
    await waitForOrder(hub().apiUrl, `rest:${externalId}`, ['delivered'], globex);
    const before = await sandboxStats(hub().sandboxUrl);
    const requested = await http.post<ReturnView>(
      `${hub().apiUrl}/v1/orders/rest:${externalId}/returns`,
      { lines: [{ sku, quantity: 1 }] },
      { headers: globex },
    );
    expect(requested.status).toBe(201);
    await eventually('the return label', async () => {
      const view = await http.get<ReturnView>(`${hub().apiUrl}/v1/returns/${requested.data.id}`, {
        headers: globex,
      });
      return view.data.label ? view.data : undefined;
    });
    const received = await http.post<ReturnView>(
      `${hub().apiUrl}/v1/returns/${requested.data.id}/receive`,
      { lines: [{ sku, quantity: 1, condition: 'sellable' }] },
      { headers: globex },
    );
    expect(received.status).toBe(200);
    const done = await eventually('the refund', async () => {
      const view = await http.get<ReturnView>(`${hub().apiUrl}/v1/returns/${requested.data.id}`, {
        headers: globex,
      });
      return view.data.status === 'refunded' ? view.data : undefined;
    });
    // A REST order has no channel to refund through: the amount is announced, the books get the credit.
    expect(done.refund).toMatchObject({ total: '19.99', paid: '19.99' });
    expect(done.refund?.channelRefundId).toBeUndefined();
    expect(done.refund?.creditNoteId).toBeTruthy();
    const after = await sandboxStats(hub().sandboxUrl);
    expect(after.xero.creditNotes - before.xero.creditNotes).toBe(1);
    expect(after.shopify.refunds - before.shopify.refunds).toBe(0);
    // Listed among the tenant's refunded returns (visibility follows within moments), and not another's.
    const listed = await eventually('the return listed as refunded', async () => {
      const page = await http.get<{ returns: Array<{ id: string; orderId: string; status: string }> }>(
        `${hub().apiUrl}/v1/returns?status=refunded&limit=1000`,
        { headers: globex },
      );
      return page.data.returns.find((r) => r.id === requested.data.id);
    });
    expect(listed).toMatchObject({ orderId: `rest:${externalId}`, status: 'refunded' });
    const others = await http.get<{ returns: Array<{ id: string }> }>(
      `${hub().apiUrl}/v1/returns?limit=1000`,
      {
        headers: headers(),
      },
    );
    expect(others.data.returns.map((r) => r.id)).not.toContain(requested.data.id);
    expect((await http.get(`${hub().apiUrl}/v1/returns?status=lost`, { headers: globex })).status).toBe(400);
  }, 120_000);
});
