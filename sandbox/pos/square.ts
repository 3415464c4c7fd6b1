import { createHmac, randomUUID } from 'node:crypto';
import { Router } from 'express';
import { bearerMatches, type SecretSource } from '../shared/secrets';
import { deliverWebhook } from '../shared/webhooks';

type Json = Record<string, unknown>;

function squareError(status: number, category: string, code: string, detail: string) {
  return { status, body: { errors: [{ category, code, detail }] } };
}

/**
 * A Square seller: Orders API (retrieve), Catalog API (batch-retrieve item variations with their
 * SKUs), and `order.created` webhooks signed as Square signs them (URL + body, base64 HMAC).
 */
export class SquareEmulator {
  readonly orders = new Map<string, Json>();
  readonly catalog = new Map<string, { sku: string; name: string }>();

  constructor(private readonly secrets: SecretSource) {}

  addVariation(id: string, sku: string, name: string): void {
    this.catalog.set(id, { sku, name });
  }

  createOrder(order: Json): Json {
    const id =
      typeof order.id === 'string' ? order.id : randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase();
    const now = new Date().toISOString();
    const stored = { state: 'OPEN', version: 1, created_at: now, updated_at: now, ...order, id };
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

  router(): Router {
    const router = Router();
    router.use((req, res, next) => {
      if (!bearerMatches(req.headers.authorization, this.secrets('squareToken'))) {
        const e = squareError(
          401,
          'AUTHENTICATION_ERROR',
          'UNAUTHORIZED',
          'This request could not be authorized.',
        );
        return res.status(e.status).json(e.body);
      }
      next();
    });
    router.get('/v2/orders/:id', (req, res) => {
      const order = this.orders.get(String(req.params.id));
      if (!order) {
        const e = squareError(
          404,
          'INVALID_REQUEST_ERROR',
          'NOT_FOUND',
          `Order ${String(req.params.id)} not found`,
        );
        return res.status(e.status).json(e.body);
      }
      res.json({ order });
    });
    router.post('/v2/catalog/batch-retrieve', (req, res) => {
      const ids = ((req.body ?? {}) as { object_ids?: string[] }).object_ids ?? [];
      res.json({
        objects: ids
          .filter((id) => this.catalog.has(id))
          .map((id) => ({
            type: 'ITEM_VARIATION',
            id,
            version: 1,
            item_variation_data: { sku: this.catalog.get(id)!.sku, name: this.catalog.get(id)!.name },
          })),
      });
    });
    return router;
  }
}
