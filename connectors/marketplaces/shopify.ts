import Shopify from 'shopify-api-node';
import { z } from 'zod';
import type { ShopifyOrder } from '../../domain/orders/channels/shopify';
import type { ConnectorConfig } from '../../platform/config/schema';
import { classifyHttpError } from '../http/errors';
import { hmacSha256, signaturesMatch } from '../http/signatures';
import { connectorOptions, credential } from '../options';

const optionsSchema = z
  .object({
    apiVersion: z
      .string()
      .regex(/^\d{4}-\d{2}$/)
      .default('2024-10'),
    /** How often orders changed since the last run are pulled, so a missed webhook is never a lost order. */
    reconcileEverySeconds: z.number().int().min(10).max(86_400).default(300),
    /** Overlap with the previous reconcile window, against clock skew between Shopify and us. */
    reconcileOverlapSeconds: z.number().int().min(0).max(3600).default(60),
    /**
     * Stock to the store: each of our locations whose stock it sells, with the store's location
     * id. Empty (the default): the store's stock is left alone.
     */
    stockLocations: z.record(z.string().min(1), z.number().int().positive()).default({}),
    /** Units of each SKU kept back from the store at each location. */
    stockBuffer: z.number().int().min(0).max(10_000).default(0),
  })
  .strict();
export type ShopifyOptions = z.infer<typeof optionsSchema>;

export interface ShopifyFulfilmentRequest {
  orderId: string;
  trackingNumber: string;
  trackingCompany: string;
  trackingUrl?: string;
  /** Shopify line item ids and quantities that this parcel carries. */
  lines: Array<{ channelLineId: string; quantity: number }>;
}

export interface ShopifyReturnRefund {
  orderId: string;
  /** Our reference (the RMA id), kept in the refund's note. */
  reference: string;
  note: string;
  /** Shopify line item ids and the units refunded; stock is ours to restock, never Shopify's. */
  lines: Array<{ channelLineId: string; quantity: number }>;
  shipping: string;
  amount: string;
}

/** Shopify's REST bucket; leaving a few calls spare keeps the API's own clients (the admin, apps) unblocked. */
const BUCKET_SIZE = 35;

/** A SKU as the store lists it: the inventory item whose levels are set per location. */
export interface ShopifyListing {
  sku: string;
  inventoryItemId: string;
}

interface ShopifyVariant {
  sku?: string | null;
  inventory_item_id: number;
  inventory_management?: string | null;
}

interface FulfillmentOrderLine {
  id: number;
  line_item_id: number;
  fulfillable_quantity: number;
}

/**
 * A Shopify store reached through the Admin REST API with shopify-api-node. The client always
 * builds `https://<shop>.myshopify.com`; a base URL elsewhere (the sandbox) is set through the
 * client's `baseUrl` property after construction.
 */
export class ShopifyConnector {
  readonly options: ShopifyOptions;
  private readonly client: Shopify;
  private readonly webhookSecret: string;
  private readonly partner: string;

  constructor(readonly config: ConnectorConfig) {
    this.options = connectorOptions(config, optionsSchema);
    this.partner = `shopify ${config.id}`;
    this.webhookSecret = credential(config, 'webhookSecret');
    const url = new URL(config.baseUrl);
    this.client = new Shopify({
      shopName: url.hostname,
      accessToken: credential(config, 'accessToken'),
      apiVersion: this.options.apiVersion,
      timeout: config.timeouts.requestMs,
      // The store's REST budget is a bucket of 40 calls leaking at the configured rate; every call
      // of this store (orders, fulfilments, stock) waits its turn instead of meeting a 429.
      autoLimit: { calls: config.rateLimit.requestsPerSecond, interval: 1000, bucketSize: BUCKET_SIZE },
    });
    if (!url.hostname.endsWith('.myshopify.com') || url.protocol !== 'https:' || url.port) {
      (this.client as unknown as { baseUrl: object }).baseUrl = {
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
      };
    }
  }

  /** `X-Shopify-Hmac-Sha256` is base64 HMAC-SHA256 of the raw body with the app's secret. */
  verifyWebhook(rawBody: Buffer, signature: string | undefined): boolean {
    return signaturesMatch(hmacSha256(this.webhookSecret, rawBody, 'base64'), signature);
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw classifyHttpError(this.partner, error);
    }
  }

  async getOrder(id: string): Promise<ShopifyOrder> {
    return this.call(() => this.client.order.get(Number(id))) as unknown as Promise<ShopifyOrder>;
  }

  /** Every order updated at or after `since`, all pages, oldest change first. */
  async ordersUpdatedSince(since: string): Promise<ShopifyOrder[]> {
    const orders: ShopifyOrder[] = [];
    let params: Record<string, unknown> | undefined = {
      updated_at_min: since,
      status: 'any',
      limit: 250,
      order: 'updated_at asc',
    };
    while (params) {
      const page = await this.call(() => this.client.order.list(params));
      orders.push(...(page as unknown as ShopifyOrder[]));
      params = page.nextPageParameters as Record<string, unknown> | undefined;
    }
    return orders;
  }

  /**
   * The store's catalogue: each variant with a SKU whose inventory Shopify tracks. A SKU on
   * several variants cannot be told apart: it is named in `ambiguous` with its items.
   */
  async listings(): Promise<{
    listings: ShopifyListing[];
    ambiguous: Array<{ sku: string; inventoryItemIds: string[] }>;
  }> {
    const bySku = new Map<string, string[]>();
    let params: Record<string, unknown> | undefined = { limit: 250, fields: 'id,variants' };
    while (params) {
      const page = await this.call(() => this.client.product.list(params));
      for (const product of page as unknown as Array<{ variants?: ShopifyVariant[] }>)
        for (const variant of product.variants ?? [])
          if (variant.sku && variant.inventory_management === 'shopify')
            bySku.set(variant.sku, [...(bySku.get(variant.sku) ?? []), String(variant.inventory_item_id)]);
      params = page.nextPageParameters as Record<string, unknown> | undefined;
    }
    const listings = [...bySku]
      .filter(([, items]) => items.length === 1)
      .map(([sku, [inventoryItemId]]) => ({ sku, inventoryItemId: inventoryItemId! }));
    const ambiguous = [...bySku]
      .filter(([, items]) => items.length > 1)
      .map(([sku, inventoryItemIds]) => ({ sku, inventoryItemIds }));
    return { listings, ambiguous };
  }

  /** What the store shows as available for these items at these locations (absent: not stocked there). */
  async inventoryLevels(
    inventoryItemIds: string[],
    locationIds: number[],
  ): Promise<Array<{ inventoryItemId: string; locationId: number; available: number | null }>> {
    const levels: Array<{ inventoryItemId: string; locationId: number; available: number | null }> = [];
    // Shopify takes at most 50 item ids per call.
    for (let i = 0; i < inventoryItemIds.length; i += 50) {
      let params: Record<string, unknown> | undefined = {
        inventory_item_ids: inventoryItemIds.slice(i, i + 50).join(','),
        location_ids: locationIds.join(','),
        limit: 250,
      };
      while (params) {
        const page = await this.call(() => this.client.inventoryLevel.list(params));
        for (const level of page)
          levels.push({
            inventoryItemId: String(level.inventory_item_id),
            locationId: level.location_id,
            available: level.available,
          });
        params = page.nextPageParameters as Record<string, unknown> | undefined;
      }
    }
    return levels;
  }

  /**
   * Sets what the store may sell of an item at a location (`inventory_levels/set`, which connects
   * the location if needed). Setting an absolute number makes a retry harmless.
   */
  async setAvailable(level: {
    inventoryItemId: string;
    locationId: number;
    available: number;
  }): Promise<void> {
    await this.call(() =>
      this.client.inventoryLevel.set({
        inventory_item_id: Number(level.inventoryItemId),
        location_id: level.locationId,
        available: level.available,
      }),
    );
  }

  /**
   * Tells Shopify a parcel left with its tracking number. Looks for a fulfilment with that
   * tracking number first, so a retried call never fulfils twice.
   */
  async fulfil(request: ShopifyFulfilmentRequest): Promise<string> {
    const orderId = Number(request.orderId);
    const existing = await this.call(() => this.client.fulfillment.list(orderId));
    const done = (
      existing as unknown as Array<{
        id: number;
        tracking_number?: string | null;
        tracking_numbers?: string[];
      }>
    ).find(
      (f) =>
        f.tracking_number === request.trackingNumber || f.tracking_numbers?.includes(request.trackingNumber),
    );
    if (done) return String(done.id);

    const fulfillmentOrders = (await this.call(() =>
      this.client.order.fulfillmentOrders(orderId),
    )) as unknown as Array<{
      id: number;
      status: string;
      line_items: FulfillmentOrderLine[];
    }>;
    const wanted = new Map(request.lines.map((line) => [line.channelLineId, line.quantity]));
    const byFulfillmentOrder = fulfillmentOrders
      .filter((fo) => fo.status === 'open' || fo.status === 'in_progress')
      .map((fo) => ({
        fulfillment_order_id: fo.id,
        fulfillment_order_line_items: fo.line_items
          .filter((li) => wanted.has(String(li.line_item_id)) && li.fulfillable_quantity > 0)
          .map((li) => ({
            id: li.id,
            quantity: Math.min(li.fulfillable_quantity, wanted.get(String(li.line_item_id))!),
          })),
      }))
      .filter((group) => group.fulfillment_order_line_items.length > 0);
    if (byFulfillmentOrder.length === 0) {
      throw new Error(`Shopify order ${request.orderId} has no open fulfilment order lines for this parcel`);
    }
    const created = await this.call(() =>
      this.client.fulfillment.createV2({
        notify_customer: true,
        tracking_info: {
          number: request.trackingNumber,
          company: request.trackingCompany,
          ...(request.trackingUrl ? { url: request.trackingUrl } : {}),
        },
        line_items_by_fulfillment_order: byFulfillmentOrder,
      }),
    );
    return String(created.id);
  }

  /**
   * Refunds returned lines (and money) on the order. Our reference goes into the refund's note,
   * and an existing refund carrying it is returned instead, so a retry never refunds twice.
   */
  async refundReturn(request: ShopifyReturnRefund): Promise<string> {
    const orderId = Number(request.orderId);
    const earlier = (await this.call(() => this.client.refund.list(orderId))) as unknown as Array<{
      id: number;
      note?: string | null;
    }>;
    const done = earlier.find((refund) => refund.note?.includes(request.reference));
    if (done) return String(done.id);
    const transactions = (await this.call(() => this.client.transaction.list(orderId))) as unknown as Array<{
      id: number;
      kind: string;
      status: string;
      gateway?: string;
    }>;
    const parent = transactions.find(
      (t) => (t.kind === 'sale' || t.kind === 'capture') && t.status === 'success',
    );
    if (!parent) throw new Error(`Shopify order ${request.orderId} has no successful payment to refund`);
    const created = await this.call(() =>
      this.client.refund.create(orderId, {
        note: `${request.reference}: ${request.note}`,
        notify: true,
        shipping: { amount: request.shipping },
        refund_line_items: request.lines.map((line) => ({
          line_item_id: Number(line.channelLineId),
          quantity: line.quantity,
          restock_type: 'no_restock',
        })),
        transactions:
          request.amount === '0.00'
            ? []
            : [{ parent_id: parent.id, amount: request.amount, kind: 'refund', gateway: parent.gateway }],
      }),
    );
    return String(created.id);
  }

  /** Cancels the order on Shopify and refunds what was paid; a cancelled order is left as it is. */
  async cancelAndRefund(orderId: string, refund: { amount: string; currency: string }): Promise<string> {
    const order = await this.getOrder(orderId);
    if (order.cancelled_at) return order.cancelled_at;
    const cancelled = await this.call(() =>
      this.client.order.cancel(Number(orderId), {
        reason: 'customer',
        email: true,
        restock: false,
        amount: refund.amount,
        currency: refund.currency,
      }),
    );
    return (cancelled as unknown as ShopifyOrder).cancelled_at ?? new Date().toISOString();
  }
}
