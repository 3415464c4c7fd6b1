import axios from 'axios';
import Shopify from 'shopify-api-node';
import { z } from 'zod';
import type { ChannelVariant } from '../../domain/master-data/catalogue-import';
import type { ShopifyAddress, ShopifyOrder } from '../../domain/orders/channels/shopify';
import type { ConnectorConfig } from '../../platform/config/schema';
import { ApplicationFailure } from '@temporalio/common';
import { classifyHttpError, PARTNER_RATE_LIMITED, PARTNER_REJECTED } from '../http/errors';
import {
  ACTIVATE,
  BULK_CATALOGUE,
  BULK_RUN,
  BULK_STATUS,
  CANCEL,
  FULFIL,
  FULFILMENT_STATE,
  levelsQuery,
  LOCATIONS,
  MAILING_ADDRESS_FIELDS,
  ORDER,
  ORDERS_UPDATED,
  REFUND,
  REFUND_STATE,
  SET_QUANTITIES,
} from './shopify-queries';
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

/** A SKU as the store lists it: the inventory item whose levels are set per location. */
export interface ShopifyListing {
  sku: string;
  inventoryItemId: string;
}

/** A variant as the store's catalogue has it, for an import, with the item its stock is kept on. */
export interface ShopifyVariantListing extends ChannelVariant {
  inventoryItemId: string;
}

/** A level the hub sets: what it wants shown, and what it last knew the store to show (null: nothing). */
export interface StockSet {
  inventoryItemId: string;
  locationId: number;
  available: number;
  compare: number | null;
}

/** What became of a batch of sets: taken, stale (the store changed meanwhile), refused with the reason. */
export interface StockSetOutcome {
  set: StockSet[];
  stale: StockSet[];
  refused: Array<{ level: StockSet; reason: string }>;
  /** Calls it took. */
  calls: number;
}

/** inventorySetQuantities takes at most 250 quantities a call. */
export const QUANTITIES_PER_CALL = 250;

const grams = (weight: { value: number; unit: string } | null | undefined) => {
  if (!weight) return undefined;
  const factor = { GRAMS: 1, KILOGRAMS: 1000, OUNCES: 28.3495, POUNDS: 453.592 }[weight.unit] ?? 1;
  return Math.round(weight.value * factor);
};

/**
 * THROTTLED answers one query waits out before the activity's retry takes over. A long read
 * (a large store's catalogue, minutes at the store's pace) meets the throttle on most pages;
 * giving up after a few would start the whole read again, and a large store's would never end.
 */
const THROTTLE_WAITS = 30;

/**
 * A Shopify store reached through the GraphQL Admin API with shopify-api-node's `graphql()`.
 * The client always builds `https://<shop>.myshopify.com`; a base URL elsewhere (the sandbox) is
 * set through the client's `baseUrl` property after construction. Every call follows Shopify's
 * cost-based throttle: a query answered THROTTLED waits until the bucket holds its cost.
 */
export class ShopifyConnector {
  readonly options: ShopifyOptions;
  private readonly client: Shopify;
  private readonly webhookSecret: string;
  private readonly partner: string;
  /** The store's cost bucket as its last answer told it. */
  private limits: { remaining: number; restoreRate: number; requestedQueryCost?: number } | undefined;

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
    });
    this.client.on(
      'callGraphqlLimits',
      (limits: { remaining: number; restoreRate: number; requestedQueryCost?: number }) => {
        this.limits = limits;
      },
    );
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

  /**
   * How long a THROTTLED query waits: the cost it asked less what the bucket holds, at the
   * bucket's restore rate (the client records them from the refusal's own cost extension), and
   * a little more, so the retry does not arrive a hair before the points it needs.
   */
  private throttleWaitMs(): number {
    const limits = this.limits;
    if (!limits) return 1_000;
    const short = Math.max(1, (limits.requestedQueryCost ?? 100) - limits.remaining);
    return Math.min(20_000, Math.ceil((short / Math.max(1, limits.restoreRate)) * 1000) + 100);
  }

  /**
   * One GraphQL request. THROTTLED is waited out (the cost it asked, less what the bucket holds,
   * at the bucket's restore rate) up to THROTTLE_WAITS times, then left to the activity's
   * retries; HTTP failures are classified for Temporal; any other GraphQL error is a refusal.
   */
  private async gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.client.graphql(query, variables)) as T;
      } catch (error) {
        // GraphQL errors come with 200: the client throws them with the response attached.
        const graphqlErrors = (
          error as {
            response?: {
              statusCode?: number;
              body?: { errors?: Array<{ message: string; extensions?: { code?: string } }> };
            };
          }
        ).response?.body?.errors;
        const throttled =
          (error instanceof Error && error.message === 'Throttled') ||
          Boolean(graphqlErrors?.some((e) => e.extensions?.code === 'THROTTLED'));
        if (graphqlErrors?.length && !throttled)
          throw ApplicationFailure.create({
            message: `${this.partner} refused the query: ${graphqlErrors.map((e) => `${e.message}${e.extensions?.code ? ` (${e.extensions.code})` : ''}`).join('; ')}`,
            type: PARTNER_REJECTED,
            nonRetryable: true,
            details: [{ partner: this.partner, status: 200, body: { errors: graphqlErrors } }],
          });
        if (throttled) {
          const waitMs = this.throttleWaitMs();
          // The bucket always refills: waiting is the answer, for as long as the activity lives.
          if (attempt < THROTTLE_WAITS) {
            await new Promise((resolve) => setTimeout(resolve, waitMs));
            continue;
          }
          throw ApplicationFailure.create({
            message: `${this.partner} throttled the query (THROTTLED)`,
            type: PARTNER_RATE_LIMITED,
            nextRetryDelay: waitMs,
          });
        }
        if (
          error instanceof Error &&
          !('response' in error) &&
          !('code' in error && (error as { code?: string }).code)
        )
          throw ApplicationFailure.create({
            message: `${this.partner} refused the query: ${error.message}`,
            type: PARTNER_REJECTED,
            nonRetryable: true,
          });
        throw classifyHttpError(this.partner, error);
      }
    }
  }

  /** userErrors of a mutation as a refusal that is not retried, in Shopify's words. */
  private refuse(what: string, errors: Array<{ field?: string[] | null; message: string }>): never {
    throw ApplicationFailure.create({
      message: `${this.partner} refused ${what}: ${errors.map((e) => `${e.field?.join('.') ?? ''}: ${e.message}`).join('; ')}`,
      type: PARTNER_REJECTED,
      nonRetryable: true,
      details: [{ partner: this.partner, status: 422, body: { userErrors: errors } }],
    });
  }

  /** The order's state a change is checked against first; `what` is refused when there is no such order. */
  private async orderState<T>(query: string, orderId: string, what: string): Promise<T> {
    const data: { order: T | null } = await this.gql(query, { id: gid('Order', orderId) });
    if (!data.order) this.refuse(what, [{ message: 'the order does not exist' }]);
    return data.order;
  }

  /**
   * Runs a mutation that creates one object (`payload { object { id } userErrors }`): the new
   * object's numeric id, or a refusal of `what` in Shopify's words.
   */
  private async createOne(
    mutation: string,
    variables: Record<string, unknown>,
    [payloadField, objectField]: [string, string],
    what: string,
  ): Promise<string> {
    const data: Record<string, GqlCreatePayload> = await this.gql(mutation, variables);
    const payload = data[payloadField]!;
    const created = payload[objectField] as { id: string } | null;
    if (!created) this.refuse(what, payload.userErrors);
    return String(numericGid(created.id));
  }

  /** The order as the REST webhooks shape it (what the hub's mapping reads), every line item included. */
  async getOrder(id: string): Promise<ShopifyOrder> {
    let after: string | null = null;
    let order: GqlOrder | undefined;
    const lines: GqlLineItem[] = [];
    do {
      const data: { order: GqlOrder | null } = await this.gql(ORDER, { id: gid('Order', id), after });
      if (!data.order)
        throw ApplicationFailure.create({
          message: `${this.partner}: order ${id} does not exist`,
          type: PARTNER_REJECTED,
          nonRetryable: true,
          details: [{ partner: this.partner, status: 404 }],
        });
      order ??= data.order;
      lines.push(...data.order.lineItems.nodes);
      after = data.order.lineItems.pageInfo.hasNextPage ? data.order.lineItems.pageInfo.endCursor : null;
    } while (after);
    return restOrderOf(order, lines);
  }

  /** Every order updated at or after `since`, oldest change first, each read whole. */
  async ordersUpdatedSince(since: string): Promise<ShopifyOrder[]> {
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const data: { orders: { nodes: Array<{ legacyResourceId: string }>; pageInfo: PageInfo } } =
        await this.gql(ORDERS_UPDATED, { query: `updated_at:>='${since}'`, after });
      ids.push(...data.orders.nodes.map((o) => o.legacyResourceId));
      after = data.orders.pageInfo.hasNextPage ? data.orders.pageInfo.endCursor : null;
    } while (after);
    const orders: ShopifyOrder[] = [];
    for (const id of ids) orders.push(await this.getOrder(id));
    return orders;
  }

  /**
   * Every variant of the store's catalogue (however many a product has), for an import or the
   * stock listings, read in one bulk operation (`onWait` is called while Shopify runs it).
   */
  async variants(onWait: () => void = () => undefined): Promise<ShopifyVariantListing[]> {
    return (await this.catalogueWithLevels(onWait)).variants;
  }

  /** The store's locations, for mapping them to the hub's. */
  async locations(): Promise<Array<{ id: number; name: string; active: boolean }>> {
    const locations: Array<{ id: number; name: string; active: boolean }> = [];
    let after: string | null = null;
    do {
      const data: {
        locations: {
          nodes: Array<{ legacyResourceId: string; name: string; isActive: boolean }>;
          pageInfo: PageInfo;
        };
      } = await this.gql(LOCATIONS, { after });
      locations.push(
        ...data.locations.nodes.map((l) => ({
          id: Number(l.legacyResourceId),
          name: l.name,
          active: l.isActive,
        })),
      );
      after = data.locations.pageInfo.hasNextPage ? data.locations.pageInfo.endCursor : null;
    } while (after);
    return locations;
  }

  /**
   * The store's catalogue: each variant with a SKU whose inventory Shopify tracks. A SKU on
   * several variants cannot be told apart: it is named in `ambiguous` with its items.
   */
  async listings(): Promise<{
    listings: ShopifyListing[];
    ambiguous: Array<{ sku: string; inventoryItemIds: string[] }>;
  }> {
    const { listings, ambiguous } = await this.catalogueWithLevels();
    return { listings, ambiguous };
  }

  /**
   * The catalogue and what the store shows at each of its locations, read in one bulk operation
   * (Shopify runs it without the cost bucket and offers the result as a JSONL file): a large
   * store's complete set reads in seconds, where pages at the store's GraphQL pace take minutes.
   * `waiting` is called while the operation runs (an activity heartbeats there).
   */
  async catalogueWithLevels(waiting: () => void = () => undefined): Promise<{
    variants: ShopifyVariantListing[];
    listings: ShopifyListing[];
    ambiguous: Array<{ sku: string; inventoryItemIds: string[] }>;
    levels: Array<{ inventoryItemId: string; locationId: number; available: number | null }>;
  }> {
    const lines = await this.bulkQuery(BULK_CATALOGUE, waiting);
    const variants: ShopifyVariantListing[] = [];
    const itemOf = new Map<string, string>();
    const levels: Array<{ inventoryItemId: string; locationId: number; available: number | null }> = [];
    for (const line of lines) {
      if (line.__parentId === undefined) {
        const variant = line as unknown as GqlVariant & { id: string };
        variants.push(variantListingOf(variant));
        itemOf.set(variant.id, String(numericGid(variant.inventoryItem.id)));
        continue;
      }
      const level = line as unknown as {
        __parentId: string;
        location: { legacyResourceId: string };
        quantities: Array<{ name: string; quantity: number }>;
      };
      const inventoryItemId = itemOf.get(level.__parentId);
      if (inventoryItemId)
        levels.push({
          inventoryItemId,
          locationId: Number(level.location.legacyResourceId),
          available: level.quantities.find((q) => q.name === 'available')?.quantity ?? null,
        });
    }
    return { variants, ...listingsOf(variants), levels };
  }

  /**
   * Runs a bulk query and reads its result, one object a line (a nested connection's nodes on
   * lines of their own, naming their parent in `__parentId`). One bulk query runs at a time per
   * shop: one already running is waited for first.
   */
  async bulkQuery(
    query: string,
    waiting: () => void = () => undefined,
  ): Promise<Array<Record<string, unknown>>> {
    let started: string | undefined;
    for (let pause = 250; ; pause = Math.min(pause * 2, 2_000)) {
      if (!started) {
        const run: {
          bulkOperationRunQuery: {
            bulkOperation: { id: string } | null;
            userErrors: Array<{ message: string; code: string | null }>;
          };
        } = await this.gql(BULK_RUN, { query });
        const { bulkOperation, userErrors } = run.bulkOperationRunQuery;
        if (bulkOperation) started = bulkOperation.id;
        else if (!userErrors.some((e) => e.code === 'OPERATION_IN_PROGRESS'))
          throw ApplicationFailure.create({
            message: `${this.partner} refused the bulk query: ${userErrors.map((e) => e.message).join('; ')}`,
            type: PARTNER_REJECTED,
            nonRetryable: true,
          });
      }
      waiting();
      await new Promise((resolve) => setTimeout(resolve, pause));
      if (!started) continue; // another bulk query of this app still runs: try again when it ends
      // By its id: the shop's current operation may already be another one started since.
      const {
        nodes: [current],
      }: {
        nodes: Array<{ id: string; status: string; errorCode: string | null; url: string | null } | null>;
      } = await this.gql(BULK_STATUS, { id: started });
      if (!current || ['CREATED', 'RUNNING'].includes(current.status)) continue;
      if (current.status !== 'COMPLETED')
        throw new Error(
          `${this.partner} bulk operation ${started} ended ${current.status} (${current.errorCode ?? 'no code'})`,
        );
      if (!current.url) return []; // nothing matched
      const { data } = await axios.get<string>(current.url, { responseType: 'text', timeout: 120_000 });
      return data
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    }
  }

  /** What the store shows as available for these items at these locations (absent: not stocked there). */
  async inventoryLevels(
    inventoryItemIds: string[],
    locationIds: number[],
  ): Promise<Array<{ inventoryItemId: string; locationId: number; available: number | null }>> {
    const levels: Array<{ inventoryItemId: string; locationId: number; available: number | null }> = [];
    const query = levelsQuery(locationIds.map((id) => gid('Location', id)));
    for (let i = 0; i < inventoryItemIds.length; i += 50) {
      const data: { nodes: Array<Record<string, unknown> | null> } = await this.gql(query, {
        ids: inventoryItemIds.slice(i, i + 50).map((id) => gid('InventoryItem', id)),
      });
      for (const node of data.nodes) {
        if (!node) continue;
        locationIds.forEach((locationId, index) => {
          const level = node[`l${index}`] as { quantities: Array<{ name: string; quantity: number }> } | null;
          if (level)
            levels.push({
              inventoryItemId: String(numericGid(String(node.id))),
              locationId,
              available: level.quantities.find((q) => q.name === 'available')?.quantity ?? null,
            });
        });
      }
    }
    return levels;
  }

  /**
   * Sets what the store may sell, 250 levels a call, each compared with what the hub last knew
   * the store to show (`inventorySetQuantities` with `compareQuantity`): a level the store changed
   * meanwhile (a sale the hub has not heard of yet) is not overwritten but reported stale. A
   * level not stocked yet at its location is activated with its number. The store takes a call
   * whole or not at all, so refused and stale levels are taken out and the rest sent again.
   */
  async setQuantities(levels: StockSet[], reference: string): Promise<StockSetOutcome> {
    const outcome: StockSetOutcome = { set: [], stale: [], refused: [], calls: 0 };
    for (let i = 0; i < levels.length; i += QUANTITIES_PER_CALL) {
      let batch = levels.slice(i, i + QUANTITIES_PER_CALL);
      const unstocked = batch.filter((l) => l.compare === null);
      batch = batch.filter((l) => l.compare !== null);
      for (const level of unstocked) {
        outcome.calls += 1;
        const data: { inventoryActivate: { userErrors: Array<{ field?: string[]; message: string }> } } =
          await this.gql(ACTIVATE, {
            item: gid('InventoryItem', level.inventoryItemId),
            location: gid('Location', level.locationId),
            available: level.available,
          });
        if (data.inventoryActivate.userErrors.length)
          outcome.refused.push({
            level,
            reason: data.inventoryActivate.userErrors.map((e) => e.message).join('; '),
          });
        else outcome.set.push(level);
      }
      while (batch.length > 0) {
        outcome.calls += 1;
        const data: {
          inventorySetQuantities: { userErrors: Array<{ field?: string[]; message: string; code?: string }> };
        } = await this.gql(SET_QUANTITIES, {
          input: {
            name: 'available',
            reason: 'correction',
            referenceDocumentUri: `crossdock://stock/${reference}`,
            quantities: batch.map((l) => ({
              inventoryItemId: gid('InventoryItem', l.inventoryItemId),
              locationId: gid('Location', l.locationId),
              quantity: l.available,
              compareQuantity: l.compare,
            })),
          },
        });
        const errors = data.inventorySetQuantities.userErrors;
        if (errors.length === 0) {
          outcome.set.push(...batch);
          break;
        }
        const failing = new Map<number, { message: string; code?: string }>();
        for (const error of errors) {
          const index =
            error.field?.[0] === 'input' && error.field[1] === 'quantities' ? Number(error.field[2]) : NaN;
          if (!Number.isInteger(index)) this.refuse('the stock levels', errors);
          failing.set(index, error);
        }
        for (const [index, error] of failing) {
          const level = batch[index]!;
          if (error.code === 'COMPARE_QUANTITY_STALE') outcome.stale.push(level);
          else if (error.code === 'ITEM_NOT_STOCKED_AT_LOCATION') {
            // Stocked meanwhile elsewhere? Activate it with the hub's number, as an unstocked level.
            const activated = await this.setQuantities([{ ...level, compare: null }], reference);
            outcome.set.push(...activated.set);
            outcome.refused.push(...activated.refused);
            outcome.calls += activated.calls;
          } else outcome.refused.push({ level, reason: `${error.message} (${error.code ?? 'refused'})` });
        }
        batch = batch.filter((_, index) => !failing.has(index));
      }
    }
    return outcome;
  }

  /**
   * Tells Shopify a parcel left with its tracking number. Looks for a fulfilment with that
   * tracking number first, so a retried call never fulfils twice.
   */
  async fulfil(request: ShopifyFulfilmentRequest): Promise<string> {
    const what = `the fulfilment of order ${request.orderId}`;
    const order = await this.orderState<GqlFulfilmentState>(FULFILMENT_STATE, request.orderId, what);
    const done = order.fulfillments.find((f) =>
      f.trackingInfo.some((t) => t.number === request.trackingNumber),
    );
    if (done) return String(numericGid(done.id));
    const wanted = new Map(request.lines.map((line) => [line.channelLineId, line.quantity]));
    const groups = order.fulfillmentOrders.nodes
      .filter((fo) => fo.status === 'OPEN' || fo.status === 'IN_PROGRESS')
      .map((fo) => ({
        fulfillmentOrderId: fo.id,
        fulfillmentOrderLineItems: fo.lineItems.nodes
          .filter((li) => wanted.has(String(numericGid(li.lineItem.id))) && li.remainingQuantity > 0)
          .map((li) => ({
            id: li.id,
            quantity: Math.min(li.remainingQuantity, wanted.get(String(numericGid(li.lineItem.id)))!),
          })),
      }))
      .filter((group) => group.fulfillmentOrderLineItems.length > 0);
    if (groups.length === 0)
      throw new Error(`Shopify order ${request.orderId} has no open fulfilment order lines for this parcel`);
    const fulfillment = {
      notifyCustomer: true,
      trackingInfo: {
        number: request.trackingNumber,
        company: request.trackingCompany,
        ...(request.trackingUrl ? { url: request.trackingUrl } : {}),
      },
      lineItemsByFulfillmentOrder: groups,
    };
    return this.createOne(FULFIL, { fulfillment }, ['fulfillmentCreate', 'fulfillment'], what);
  }

  /**
   * Refunds returned lines (and money) on the order. Our reference goes into the refund's note,
   * and an existing refund carrying it is returned instead, so a retry never refunds twice.
   */
  async refundReturn(request: ShopifyReturnRefund): Promise<string> {
    const what = `the refund of order ${request.orderId}`;
    const order = await this.orderState<GqlRefundState>(REFUND_STATE, request.orderId, what);
    const done = order.refunds.find((refund) => refund.note?.includes(request.reference));
    if (done) return String(numericGid(done.id));
    const parent = order.transactions.find(
      (t) => (t.kind === 'SALE' || t.kind === 'CAPTURE') && t.status === 'SUCCESS',
    );
    if (!parent) throw new Error(`Shopify order ${request.orderId} has no successful payment to refund`);
    const input = {
      orderId: gid('Order', request.orderId),
      note: `${request.reference}: ${request.note}`,
      notify: true,
      shipping: { amount: request.shipping },
      refundLineItems: request.lines.map((line) => ({
        lineItemId: gid('LineItem', line.channelLineId),
        quantity: line.quantity,
        restockType: 'NO_RESTOCK',
      })),
      transactions:
        request.amount === '0.00'
          ? []
          : [
              {
                orderId: gid('Order', request.orderId),
                parentId: parent.id,
                amount: request.amount,
                kind: 'REFUND',
                gateway: parent.gateway ?? 'manual',
              },
            ],
    };
    return this.createOne(REFUND, { input }, ['refundCreate', 'refund'], what);
  }

  /** Cancels the order on Shopify and refunds what was paid; a cancelled order is left as it is. */
  async cancelAndRefund(orderId: string, _refund: { amount: string; currency: string }): Promise<string> {
    const order = await this.getOrder(orderId);
    if (order.cancelled_at) return order.cancelled_at;
    const data: { orderCancel: { orderCancelUserErrors: Array<{ field?: string[]; message: string }> } } =
      await this.gql(CANCEL, {
        id: gid('Order', orderId),
      });
    if (data.orderCancel.orderCancelUserErrors.length)
      this.refuse(`the cancellation of order ${orderId}`, data.orderCancel.orderCancelUserErrors);
    return (await this.getOrder(orderId)).cancelled_at ?? new Date().toISOString();
  }
}

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}
interface Money {
  shopMoney: { amount: string };
}
interface GqlLineItem {
  id: string;
  sku: string | null;
  title: string;
  name: string;
  quantity: number;
  requiresShipping: boolean;
  originalUnitPriceSet: Money;
  taxLines: Array<{ priceSet: Money }>;
}
interface GqlOrder {
  legacyResourceId: string;
  name: string;
  email: string | null;
  currencyCode: string;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  displayFinancialStatus: string | null;
  customer: { firstName: string | null; lastName: string | null; email: string | null } | null;
  shippingAddress: Record<string, string | number | null> | null;
  shippingLines: {
    nodes: Array<{
      title: string;
      code: string | null;
      originalPriceSet: Money;
      taxLines: Array<{ priceSet: Money }>;
    }>;
  };
  lineItems: { nodes: GqlLineItem[]; pageInfo: PageInfo };
}
interface GqlVariant {
  legacyResourceId: string;
  sku: string | null;
  title: string;
  product: { legacyResourceId: string; title: string };
  inventoryItem: {
    id: string;
    tracked: boolean;
    measurement?: { weight?: { value: number; unit: string } | null } | null;
  };
}
interface GqlFulfilmentState {
  fulfillments: Array<{ id: string; trackingInfo: Array<{ number: string | null }> }>;
  fulfillmentOrders: {
    nodes: Array<{
      id: string;
      status: string;
      lineItems: { nodes: Array<{ id: string; remainingQuantity: number; lineItem: { id: string } }> };
    }>;
  };
}
type GqlCreatePayload = Record<string, unknown> & {
  userErrors: Array<{ field?: string[]; message: string }>;
};
interface GqlRefundState {
  refunds: Array<{ id: string; note: string | null }>;
  transactions: Array<{ id: string; kind: string; status: string; gateway: string | null }>;
}

const gid = (type: string, id: string | number) => `gid://shopify/${type}/${id}`;

/** A variant as the hub lists it, from the store's GraphQL shape. */
function variantListingOf(v: GqlVariant): ShopifyVariantListing {
  const weightGrams = grams(v.inventoryItem.measurement?.weight);
  return {
    variantId: v.legacyResourceId,
    productTitle: v.product.title,
    title: v.title,
    sku: v.sku || null,
    tracked: v.inventoryItem.tracked,
    ...(weightGrams !== undefined ? { weightGrams } : {}),
    inventoryItemId: String(numericGid(v.inventoryItem.id)),
  };
}

/** Each tracked variant with a SKU of its own; a SKU on several variants is ambiguous. */
function listingsOf(variants: ShopifyVariantListing[]): {
  listings: ShopifyListing[];
  ambiguous: Array<{ sku: string; inventoryItemIds: string[] }>;
} {
  const bySku = new Map<string, string[]>();
  for (const variant of variants)
    if (variant.sku && variant.tracked)
      bySku.set(variant.sku, [...(bySku.get(variant.sku) ?? []), variant.inventoryItemId]);
  const listings = [...bySku]
    .filter(([, items]) => items.length === 1)
    .map(([sku, [inventoryItemId]]) => ({ sku, inventoryItemId: inventoryItemId! }));
  const ambiguous = [...bySku]
    .filter(([, items]) => items.length > 1)
    .map(([sku, inventoryItemIds]) => ({ sku, inventoryItemIds }));
  return { listings, ambiguous };
}
const numericGid = (value: string) => Number(value.slice(value.lastIndexOf('/') + 1).split('?')[0]);

/** A GraphQL order in the REST shape of Shopify's webhooks, which the hub's mapping reads. */
function restOrderOf(order: GqlOrder, lines: GqlLineItem[]): ShopifyOrder {
  const address = order.shippingAddress;
  const tax = (list: Array<{ priceSet: Money }>) => list.map((t) => ({ price: t.priceSet.shopMoney.amount }));
  return {
    id: Number(order.legacyResourceId),
    name: order.name,
    email: order.email,
    currency: order.currencyCode,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    cancelled_at: order.cancelledAt,
    financial_status: order.displayFinancialStatus?.toLowerCase() ?? null,
    customer: order.customer && {
      first_name: order.customer.firstName,
      last_name: order.customer.lastName,
      email: order.customer.email,
    },
    shipping_address:
      address &&
      (Object.fromEntries(
        Object.entries(MAILING_ADDRESS_FIELDS).map(([field, restField]) => [restField, address[field]]),
      ) as ShopifyAddress),
    shipping_lines: order.shippingLines.nodes.map((s) => ({
      title: s.title,
      code: s.code,
      price: s.originalPriceSet.shopMoney.amount,
      tax_lines: tax(s.taxLines),
    })),
    line_items: lines.map((line) => ({
      id: numericGid(line.id),
      sku: line.sku,
      title: line.title,
      name: line.name,
      quantity: line.quantity,
      price: line.originalUnitPriceSet.shopMoney.amount,
      requires_shipping: line.requiresShipping,
      tax_lines: tax(line.taxLines),
    })),
  };
}
