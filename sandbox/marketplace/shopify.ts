import { createHmac, randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { deliverWebhook } from '../shared/webhooks';
import type { SecretSource } from '../shared/secrets';
import { BulkOperations } from './shopify-bulk';
import { CostBucket, runShopifyGraphql, shopifySchema } from './shopify-graphql';
import { ShopifyInventory } from './shopify-inventory';

type Json = Record<string, unknown>;

interface LineItem extends Json {
  id: number;
  sku: string | null;
  quantity: number;
  price: string;
  fulfillable_quantity: number;
}
interface Order extends Json {
  id: number;
  name: string;
  currency: string;
  updated_at: string;
  cancelled_at: string | null;
  financial_status: string;
  fulfillment_status: string | null;
  line_items: LineItem[];
  total_price: string;
}
interface Refund extends Json {
  id: number;
  order_id: number;
  note: string | null;
  refund_line_items: Array<{ id: number; line_item_id: number; quantity: number }>;
  transactions: Array<{ id: number; kind: 'refund'; amount: string; status: 'success'; parent_id: number }>;
}
interface FulfillmentOrder {
  id: number;
  order_id: number;
  status: 'open' | 'in_progress' | 'closed' | 'cancelled';
  line_items: Array<{
    id: number;
    line_item_id: number;
    quantity: number;
    fulfillable_quantity: number;
    fulfillment_order_id: number;
  }>;
}
interface Fulfillment extends Json {
  id: number;
  order_id: number;
  tracking_number: string | null;
  tracking_numbers: string[];
}

function shopifyError(res: Response, status: number, errors: unknown): void {
  res.status(status).json({ errors });
}

/**
 * A Shopify store behind its GraphQL Admin API (`/admin/api/<version>/graphql.json`, as
 * shopify-api-node's `graphql()` calls it): orders, fulfillment orders and fulfilments,
 * cancellations and refunds, and the catalogue and stock of `ShopifyInventory`, with Shopify's
 * cost-based throttle. Webhooks (still REST payloads, as Shopify sends them) go out on request
 * through the control surface, signed like Shopify's, as often as a test asks.
 */
export class ShopifyEmulator {
  readonly orders = new Map<number, Order>();
  readonly fulfillmentOrders = new Map<number, FulfillmentOrder[]>();
  readonly fulfillments = new Map<number, Fulfillment[]>();
  readonly cancellations: Array<{ orderId: number; amount?: string }> = [];
  readonly refunds = new Map<number, Refund[]>();
  private nextId: number;
  readonly inventory: ShopifyInventory;
  /** Shopify's GraphQL cost bucket, shared by every query of the store. */
  private bucket = new CostBucket();
  /** The store's bulk query operations (set up with its GraphQL root in `router`). */
  bulk: BulkOperations | undefined;
  /** Where the store's API answers, as the last request reached it: bulk results are offered there. */
  private publicUrl = '';
  throttled = 0;

  constructor(
    private readonly secrets: SecretSource,
    /** A store of its own (Shopify's tokens are per shop); absent: the configured sandbox token's. */
    readonly accessToken?: string,
    /** Where its ids start: Shopify's ids are unique across stores. */
    firstId = 5_000_000_000,
  ) {
    this.nextId = firstId;
    this.inventory = new ShopifyInventory(() => this.id());
  }

  private id(): number {
    return this.nextId++;
  }

  refundCount(): number {
    return [...this.refunds.values()].reduce((sum, list) => sum + list.length, 0);
  }

  fulfillmentCount(): number {
    return [...this.fulfillments.values()].reduce((sum, list) => sum + list.length, 0);
  }

  /** Creates an order as a storefront checkout would; fields not given take fixture-like values. */
  createOrder(input: Json): Order {
    const id = typeof input.id === 'number' ? input.id : this.id();
    const now = new Date().toISOString();
    const lineItems = ((input.line_items as Json[] | undefined) ?? []).map((line) => ({
      requires_shipping: true,
      tax_lines: [],
      ...line,
      id: typeof line.id === 'number' ? line.id : this.id(),
      fulfillable_quantity: Number(line.quantity),
    })) as unknown as LineItem[];
    const order: Order = {
      total_price: totalPrice(lineItems, (input.shipping_lines as Json[] | undefined) ?? []),
      name: `#${1000 + this.orders.size + 1}`,
      email: 'customer@example.com',
      currency: 'USD',
      financial_status: 'paid',
      fulfillment_status: null,
      cancelled_at: null,
      created_at: now,
      shipping_lines: [],
      ...input,
      id,
      updated_at: now,
      line_items: lineItems,
    } as Order;
    this.orders.set(id, order);
    this.fulfillmentOrders.set(id, [
      {
        id: this.id(),
        order_id: id,
        status: 'open',
        line_items: lineItems.map((line) => ({
          id: this.id(),
          line_item_id: line.id,
          quantity: line.quantity,
          fulfillable_quantity: line.quantity,
          fulfillment_order_id: 0,
        })),
      },
    ]);
    for (const fo of this.fulfillmentOrders.get(id)!)
      fo.line_items.forEach((li) => (li.fulfillment_order_id = fo.id));
    this.fulfillments.set(id, []);
    return order;
  }

  updateOrder(id: number, patch: Json): Order | undefined {
    const order = this.orders.get(id);
    if (!order) return undefined;
    Object.assign(order, patch, { updated_at: new Date().toISOString() });
    return order;
  }

  /** Sends `topic` for an order to `address`, `times` times with the same event and webhook ids. */
  async sendWebhook(topic: string, orderId: number, address: string, times: number) {
    const order = this.orders.get(orderId);
    if (!order) return undefined;
    return this.deliver(topic, order, address, times);
  }

  /** Delivers a payload as Shopify does: HMAC over the raw body, one event id for every repeat. */
  async deliver(topic: string, payload: unknown, address: string, times: number) {
    const body = JSON.stringify(payload);
    const secret = this.secrets('shopifyWebhookSecret') ?? '';
    const headers = {
      'X-Shopify-Topic': topic,
      'X-Shopify-Hmac-Sha256': createHmac('sha256', secret).update(body).digest('base64'),
      'X-Shopify-Shop-Domain': 'crossdock-sandbox.myshopify.com',
      'X-Shopify-API-Version': '2024-10',
      'X-Shopify-Webhook-Id': randomUUID(),
      'X-Shopify-Event-Id': randomUUID(),
      'X-Shopify-Triggered-At': new Date().toISOString(),
    };
    const results = [];
    for (let i = 0; i < times; i++) results.push(await deliverWebhook(address, body, headers));
    return results;
  }

  /** A customer's return request, shaped like the `returns/request` webhook. */
  requestReturn(
    orderId: number,
    lines: Array<{ line_item_id: number; quantity: number; reason?: string }>,
  ): Json | undefined {
    const order = this.orders.get(orderId);
    if (!order) return undefined;
    const id = this.id();
    return {
      id,
      admin_graphql_api_id: `gid://shopify/Return/${id}`,
      status: 'requested',
      name: `${order.name}-R1`,
      order: { id: order.id, admin_graphql_api_id: `gid://shopify/Order/${order.id}` },
      total_return_line_items: lines.length,
      return_line_items: lines.map((line) => ({
        id: this.id(),
        quantity: line.quantity,
        return_reason: line.reason ?? 'other',
        return_reason_note: '',
        fulfillment_line_item: {
          id: this.id(),
          line_item: {
            id: line.line_item_id,
            admin_graphql_api_id: `gid://shopify/LineItem/${line.line_item_id}`,
          },
        },
      })),
    };
  }

  /** Sets the store's GraphQL cost bucket (Shopify's plans differ: 1,000 to 10,000 points). */
  configureBucket(bucket: { maximumAvailable: number; restoreRate: number } | null): void {
    this.bucket = bucket ? new CostBucket(bucket.maximumAvailable, bucket.restoreRate) : new CostBucket();
  }

  /** The store's Admin API; `graphqlRoot` (`shopifyRootValue` of this store) answers its GraphQL. */
  /** `bulkOperationRunQuery`, its result offered beside the store's API. */
  runBulkQuery(query: string) {
    return this.bulk!.run(query, (key) => `${this.publicUrl}/bulk/${key}.jsonl`);
  }

  router(graphqlRoot: Record<string, unknown>): Router {
    const router = Router();
    this.bulk = new BulkOperations(shopifySchema, () => graphqlRoot);
    // A bulk operation's result file: a signed download link on Shopify, no access token needed.
    router.get('/bulk/:file', (req, res) => {
      const body = this.bulk!.file(String(req.params.file).replace(/\.jsonl$/, ''));
      if (body === undefined) return shopifyError(res, 404, 'Not Found');
      res.type('application/jsonl').send(body);
    });
    router.use((req, res, next) => {
      const token = this.accessToken ?? this.secrets('shopifyToken');
      if (!token || req.headers['x-shopify-access-token'] !== token)
        return shopifyError(
          res,
          401,
          '[API] Invalid API key or access token (unrecognized login or wrong password)',
        );
      next();
    });
    // The GraphQL Admin API: Shopify's cost-based throttle answers THROTTLED in the body, with 200.
    router.post('/graphql.json', async (req: Request, res: Response) => {
      this.publicUrl = `${req.protocol}://${req.get('host')}${req.baseUrl}`;
      const answer = await runShopifyGraphql(
        (req.body ?? {}) as { query?: unknown },
        graphqlRoot,
        this.bucket,
      );
      if (answer.throttled) this.throttled += 1;
      res.status(answer.status).json(answer.body);
    });
    router.use((req, res) => shopifyError(res, 404, 'Not Found'));
    return router;
  }

  /**
   * A fulfilment of fulfillment order lines as Shopify checks it: open fulfillment orders, no
   * more than is fulfillable, an order not cancelled. The order's fulfilment status follows.
   */
  createFulfillment(
    body: Json | undefined,
  ): { fulfillment: Fulfillment } | { status: number; errors: unknown } {
    const groups = body?.line_items_by_fulfillment_order as
      | Array<{
          fulfillment_order_id: number;
          fulfillment_order_line_items?: Array<{ id: number; quantity: number }>;
        }>
      | undefined;
    if (!groups?.length) return { status: 422, errors: { line_items_by_fulfillment_order: ['is required'] } };
    const allFos = [...this.fulfillmentOrders.values()].flat();
    const fo = allFos.find((f) => f.id === groups[0]!.fulfillment_order_id);
    if (!fo) return { status: 404, errors: 'Not Found' };
    const order = this.orders.get(fo.order_id)!;
    if (order.cancelled_at) return { status: 422, errors: { base: ['Fulfillment order is cancelled'] } };
    const taken: Array<{ line: FulfillmentOrder['line_items'][number]; quantity: number }> = [];
    for (const group of groups) {
      const target = allFos.find((f) => f.id === group.fulfillment_order_id);
      if (!target || target.status === 'closed' || target.status === 'cancelled')
        return {
          status: 422,
          errors: { base: [`fulfillment order ${group.fulfillment_order_id} is not open`] },
        };
      const lines =
        group.fulfillment_order_line_items ??
        target.line_items.map((li) => ({ id: li.id, quantity: li.fulfillable_quantity }));
      for (const wanted of lines) {
        const line = target.line_items.find((li) => li.id === wanted.id);
        if (!line || wanted.quantity > line.fulfillable_quantity)
          return {
            status: 422,
            errors: { base: [`line ${wanted.id}: quantity exceeds fulfillable quantity`] },
          };
        taken.push({ line, quantity: wanted.quantity });
      }
    }
    for (const { line, quantity } of taken) {
      line.fulfillable_quantity -= quantity;
      const orderLine = order.line_items.find((li) => li.id === line.line_item_id);
      if (orderLine) orderLine.fulfillable_quantity -= quantity;
    }
    for (const group of groups) {
      const target = allFos.find((f) => f.id === group.fulfillment_order_id)!;
      target.status = target.line_items.every((li) => li.fulfillable_quantity === 0)
        ? 'closed'
        : 'in_progress';
    }
    const tracking = (body?.tracking_info ?? {}) as {
      number?: string | number;
      company?: string;
      url?: string;
    };
    const fulfillment: Fulfillment = {
      id: this.id(),
      order_id: order.id,
      status: 'success',
      created_at: new Date().toISOString(),
      tracking_company: tracking.company ?? null,
      tracking_number: tracking.number !== undefined ? String(tracking.number) : null,
      tracking_numbers: tracking.number !== undefined ? [String(tracking.number)] : [],
      tracking_url: tracking.url ?? null,
      line_items: taken.map(({ line, quantity }) => ({ id: line.line_item_id, quantity })),
    };
    this.fulfillments.get(order.id)!.push(fulfillment);
    const remaining = order.line_items.some((li) => li.fulfillable_quantity > 0);
    this.updateOrder(order.id, { fulfillment_status: remaining ? 'partial' : 'fulfilled' });
    return { fulfillment };
  }

  /** The order's sale (its total, paid) and every refund transaction made since. */
  transactionsOf(order: Order): Json[] {
    const sale = {
      id: order.id + 1,
      order_id: order.id,
      kind: 'sale',
      status: 'success',
      gateway: 'bogus',
      amount: order.total_price,
      currency: order.currency,
    };
    const refunds = (this.refunds.get(order.id) ?? []).flatMap((r) =>
      r.transactions.map((t) => ({ ...t, order_id: order.id, gateway: 'bogus', currency: order.currency })),
    );
    return [sale, ...refunds];
  }

  /** Refunds as Shopify checks them: known lines, no more units than sold, no more money than received. */
  createRefund(orderId: number, body: Json): { refund: Refund } | { status: number; errors: unknown } {
    const order = this.orders.get(orderId);
    if (!order) return { status: 404, errors: 'Not Found' };
    const earlier = this.refunds.get(order.id) ?? [];
    const lines =
      (body.refund_line_items as Array<{ line_item_id: number; quantity: number }> | undefined) ?? [];
    for (const line of lines) {
      const sold = order.line_items.find((li) => li.id === Number(line.line_item_id));
      if (!sold)
        return { status: 422, errors: { refund_line_items: [`line item ${line.line_item_id} not found`] } };
      const refunded = earlier
        .flatMap((r) => r.refund_line_items)
        .filter((r) => r.line_item_id === sold.id)
        .reduce((sum, r) => sum + r.quantity, 0);
      if (line.quantity > sold.quantity - refunded)
        return {
          status: 422,
          errors: {
            refund_line_items: [
              `quantity of line item ${sold.id} cannot exceed the quantity not yet refunded`,
            ],
          },
        };
    }
    const transactions =
      (body.transactions as Array<{ parent_id?: number; amount?: string }> | undefined) ?? [];
    const sale = this.transactionsOf(order)[0]!;
    if (transactions.some((t) => Number(t.parent_id) !== sale.id))
      return { status: 422, errors: { transactions: ["parent_id must be the order's sale or capture"] } };
    const asked = transactions.reduce((sum, t) => sum + cents(t.amount), 0);
    const already = earlier.flatMap((r) => r.transactions).reduce((sum, t) => sum + cents(t.amount), 0);
    if (asked + already > cents(order.total_price))
      return { status: 422, errors: { base: ['Amount cannot be greater than the amount received'] } };
    const refund: Refund = {
      id: this.id(),
      order_id: order.id,
      created_at: new Date().toISOString(),
      note: typeof body.note === 'string' ? body.note : null,
      refund_line_items: lines.map((line) => ({
        id: this.id(),
        line_item_id: Number(line.line_item_id),
        quantity: line.quantity,
      })),
      transactions: transactions.map((t) => ({
        id: this.id(),
        kind: 'refund',
        amount: (cents(t.amount) / 100).toFixed(2),
        status: 'success',
        parent_id: sale.id as number,
      })),
    };
    this.refunds.set(order.id, [...earlier, refund]);
    this.updateOrder(order.id, {
      financial_status: asked + already >= cents(order.total_price) ? 'refunded' : 'partially_refunded',
    });
    return { refund };
  }

  /** Cancels an order as Shopify does: not twice, not once fulfilled; a refund gives back what was paid. */
  cancelOrder(
    id: number,
    body: { reason?: string; refund?: boolean },
  ): { order: Order } | { status: number; errors: unknown } {
    const order = this.orders.get(id);
    if (!order) return { status: 404, errors: 'Not Found' };
    if (order.cancelled_at) return { status: 422, errors: { base: ['Order has already been cancelled'] } };
    if ((this.fulfillments.get(order.id) ?? []).length > 0)
      return { status: 422, errors: { base: ['Cannot cancel an order with fulfillments'] } };
    const amount = body.refund ? order.total_price : undefined;
    this.cancellations.push({ orderId: order.id, amount });
    this.updateOrder(order.id, {
      cancelled_at: new Date().toISOString(),
      cancel_reason: (body.reason ?? 'other').toLowerCase(),
      financial_status: amount ? 'refunded' : order.financial_status,
    });
    for (const fo of this.fulfillmentOrders.get(order.id) ?? []) fo.status = 'cancelled';
    return { order };
  }
}

/** A Shopify money string ("12.50") in cents. */
function cents(amount: unknown): number {
  return Math.round(Number(amount ?? 0) * 100);
}

/** What Shopify charges: lines with their tax, plus shipping with its tax. */
function totalPrice(lines: LineItem[], shipping: Json[]): string {
  const taxOf = (item: Json) =>
    ((item.tax_lines as Json[] | undefined) ?? []).reduce((sum, t) => sum + cents(t.price), 0);
  const total =
    lines.reduce((sum, l) => sum + cents(l.price) * Number(l.quantity) + taxOf(l), 0) +
    shipping.reduce((sum, s) => sum + cents(s.price) + taxOf(s), 0);
  return (total / 100).toFixed(2);
}
