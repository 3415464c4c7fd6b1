import { createHmac, randomUUID } from 'node:crypto';
import type { Router, Response } from 'express';
import { routerBehindBearer, type SecretSource } from '../shared/secrets';
import { deliverWebhook } from '../shared/webhooks';

type Json = Record<string, unknown>;
interface Money {
  amount: number;
  currency: string;
}

/** Square's error shape: `errors[]` with a category, a code, the detail and the field. */
function squareError(res: Response, status: number, code: string, detail: string, field?: string): void {
  const category = status === 401 ? 'AUTHENTICATION_ERROR' : 'INVALID_REQUEST_ERROR';
  res.status(status).json({ errors: [{ category, code, detail, ...(field ? { field } : {}) }] });
}

class OrderRefused extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
    readonly field?: string,
  ) {
    super(detail);
  }
}

/**
 * A Square seller: the Orders API (create, retrieve), the Catalog API (item variations with their
 * SKU and price: batch-retrieve, list) and `order.created` webhooks signed as Square signs them
 * (URL + body, base64 HMAC). Like Square, it computes every order's money itself (line totals,
 * percentage taxes, service charges, the total, and what is still due after the tenders), so an
 * order is paid only when tenders cover it.
 */
export class SquareEmulator {
  readonly orders = new Map<string, Json>();
  readonly catalog = new Map<string, { sku: string; name: string; price?: Money; itemName?: string }>();

  constructor(private readonly secrets: SecretSource) {}

  addVariation(id: string, sku: string, name: string, price?: Money, itemName?: string): void {
    this.catalog.set(id, { sku, name, ...(price ? { price } : {}), ...(itemName ? { itemName } : {}) });
  }

  /** An order as Square stores it, its money computed; refused as Square refuses a bad request. */
  createOrder(order: Json): Json {
    const lines = Array.isArray(order.line_items) ? (order.line_items as Json[]) : [];
    if (lines.length === 0)
      throw new OrderRefused('MISSING_REQUIRED_PARAMETER', 'Missing required parameter.', 'order.line_items');
    if (typeof order.location_id !== 'string' || !order.location_id)
      throw new OrderRefused(
        'MISSING_REQUIRED_PARAMETER',
        'Missing required parameter.',
        'order.location_id',
      );
    const taxes = (Array.isArray(order.taxes) ? order.taxes : []) as Json[];
    let currency: string | undefined;
    const money = (amount: number): Money => ({ amount, currency: currency! });
    const priced = lines.map((line, index) => {
      const at = `order.line_items[${index}]`;
      const quantity = Number(line.quantity);
      if (typeof line.quantity !== 'string' || !(quantity > 0))
        throw new OrderRefused(
          'INVALID_VALUE',
          'Quantity must be a positive decimal string.',
          `${at}.quantity`,
        );
      const variation =
        typeof line.catalog_object_id === 'string' ? this.catalog.get(line.catalog_object_id) : undefined;
      if (line.catalog_object_id !== undefined && !variation)
        throw new OrderRefused(
          'NOT_FOUND',
          `Item variation with catalog object ID \`${String(line.catalog_object_id)}\` not found.`,
          `${at}.catalog_object_id`,
        );
      const price = (line.base_price_money as Money | undefined) ?? variation?.price;
      if (!price || !Number.isInteger(price.amount) || price.amount < 0)
        throw new OrderRefused(
          'MISSING_REQUIRED_PARAMETER',
          'An ad hoc line item needs base_price_money.',
          `${at}.base_price_money`,
        );
      currency ??= price.currency;
      if (price.currency !== currency)
        throw new OrderRefused(
          'INVALID_VALUE',
          'All money must be in one currency.',
          `${at}.base_price_money.currency`,
        );
      const gross = Math.round(price.amount * quantity);
      const tax = taxes.reduce((sum, t) => sum + Math.round((gross * Number(t.percentage ?? 0)) / 100), 0);
      return {
        uid: typeof line.uid === 'string' ? line.uid : randomUUID(),
        ...line,
        name: line.name ?? variation?.name,
        base_price_money: price,
        gross_sales_money: money(gross),
        total_tax_money: money(tax),
        total_money: money(gross + tax),
      };
    });
    const charges = ((Array.isArray(order.service_charges) ? order.service_charges : []) as Json[]).map(
      (charge, index) => {
        const amount = (charge.amount_money as Money | undefined)?.amount;
        if (!Number.isInteger(amount))
          throw new OrderRefused(
            'MISSING_REQUIRED_PARAMETER',
            'A service charge needs amount_money.',
            `order.service_charges[${index}].amount_money`,
          );
        const tax = charge.taxable
          ? taxes.reduce((sum, t) => sum + Math.round((amount! * Number(t.percentage ?? 0)) / 100), 0)
          : 0;
        return {
          uid: randomUUID(),
          ...charge,
          amount_money: money(amount!),
          total_tax_money: money(tax),
          total_money: money(amount! + tax),
        };
      },
    );
    const sum = (list: Json[], field: string) => list.reduce((s, x) => s + (x[field] as Money).amount, 0);
    const total = sum(priced, 'total_money') + sum(charges, 'total_money');
    const tenders = ((Array.isArray(order.tenders) ? order.tenders : []) as Json[]).map((tender) => ({
      id: randomUUID(),
      type: tender.type ?? 'CARD',
      amount_money: money(Number((tender.amount_money as Money | undefined)?.amount ?? 0)),
    }));
    const paid = tenders.reduce((s, t) => s + t.amount_money.amount, 0);
    if (paid > total)
      throw new OrderRefused('INVALID_VALUE', 'Tenders exceed the order total.', 'order.tenders');
    const id =
      typeof order.id === 'string' ? order.id : randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase();
    const now = new Date().toISOString();
    const stored: Json = {
      ...order,
      id,
      state: order.state ?? 'OPEN',
      version: 1,
      created_at: now,
      updated_at: now,
      line_items: priced,
      service_charges: charges,
      tenders,
      total_money: money(total),
      total_tax_money: money(sum(priced, 'total_tax_money') + sum(charges, 'total_tax_money')),
      total_service_charge_money: money(sum(charges, 'total_money')),
      net_amount_due_money: money(total - paid),
    };
    this.orders.set(id, stored);
    return stored;
  }

  /** Signs with the registered notification URL; `deliverTo` reaches a hub behind another address. */
  async sendOrderCreated(
    orderId: string,
    notificationUrl: string,
    times: number,
    deliverTo = notificationUrl,
  ) {
    const order = this.orders.get(orderId);
    if (!order) return undefined;
    const body = JSON.stringify({
      merchant_id: 'ML_SANDBOX',
      type: 'order.created',
      event_id: randomUUID(),
      created_at: new Date().toISOString(),
      data: {
        type: 'order_created',
        id: orderId,
        object: {
          order_created: {
            order_id: orderId,
            state: order.state,
            version: order.version,
            location_id: order.location_id,
          },
        },
      },
    });
    const signature = createHmac('sha256', this.secrets('squareSignatureKey') ?? '')
      .update(notificationUrl + body)
      .digest('base64');
    const results = [];
    for (let i = 0; i < times; i++)
      results.push(await deliverWebhook(deliverTo, body, { 'x-square-hmacsha256-signature': signature }));
    return results;
  }

  /** The catalog item a variation belongs to (one per item name). */
  private itemId(variation: { itemName?: string; name: string }): string {
    return `ITEM-${(variation.itemName ?? variation.name).toUpperCase().replace(/[^A-Z0-9]+/g, '-')}`;
  }

  private catalogObject(id: string): Json {
    const variation = this.catalog.get(id)!;
    return {
      type: 'ITEM_VARIATION',
      id,
      version: 1,
      is_deleted: false,
      present_at_all_locations: true,
      item_variation_data: {
        item_id: this.itemId(variation),
        sku: variation.sku,
        name: variation.name,
        pricing_type: variation.price ? 'FIXED_PRICING' : 'VARIABLE_PRICING',
        ...(variation.price ? { price_money: variation.price } : {}),
      },
    };
  }

  router(): Router {
    const router = routerBehindBearer(this.secrets, 'squareToken', (res) =>
      squareError(res, 401, 'UNAUTHORIZED', 'This request could not be authorized.'),
    );
    router.post('/v2/orders', (req, res) => {
      const body = (req.body ?? {}) as { order?: Json; idempotency_key?: string };
      if (!body.order || typeof body.order !== 'object')
        return squareError(res, 400, 'MISSING_REQUIRED_PARAMETER', 'Missing required parameter.', 'order');
      try {
        res.json({ order: this.createOrder(body.order) });
      } catch (error) {
        if (!(error instanceof OrderRefused)) throw error;
        squareError(res, 400, error.code, error.detail, error.field);
      }
    });
    router.get('/v2/orders/:id', (req, res) => {
      const order = this.orders.get(String(req.params.id));
      if (!order) return squareError(res, 404, 'NOT_FOUND', `Order ${String(req.params.id)} not found`);
      res.json({ order });
    });
    router.post('/v2/catalog/batch-retrieve', (req, res) => {
      const ids = ((req.body ?? {}) as { object_ids?: unknown }).object_ids;
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string'))
        return squareError(
          res,
          400,
          'MISSING_REQUIRED_PARAMETER',
          'Missing required parameter.',
          'object_ids',
        );
      res.json({ objects: ids.filter((id) => this.catalog.has(id)).map((id) => this.catalogObject(id)) });
    });
    router.get('/v2/catalog/list', (req, res) => {
      const types = String(req.query.types ?? 'ITEM,ITEM_VARIATION').split(',');
      const variations = [...this.catalog.keys()].sort().map((id) => this.catalogObject(id));
      const items = [
        ...new Map([...this.catalog.values()].map((v) => [this.itemId(v), v.itemName ?? v.name])).entries(),
      ]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([id, name]) => ({ type: 'ITEM', id, version: 1, is_deleted: false, item_data: { name } }));
      const all = [
        ...(types.includes('ITEM') ? items : []),
        ...(types.includes('ITEM_VARIATION') ? variations : []),
      ];
      const start =
        typeof req.query.cursor === 'string'
          ? Number(Buffer.from(req.query.cursor, 'base64url').toString())
          : 0;
      if (!Number.isInteger(start) || start < 0)
        return squareError(res, 400, 'INVALID_CURSOR', 'The cursor is not valid.', 'cursor');
      res.json({
        objects: all.slice(start, start + 100),
        ...(start + 100 < all.length
          ? { cursor: Buffer.from(String(start + 100)).toString('base64url') }
          : {}),
      });
    });
    router.use((req, res) => squareError(res, 404, 'NOT_FOUND', `No endpoint ${req.method} ${req.path}.`));
    return router;
  }
}

export { OrderRefused };
