import { randomBytes } from 'node:crypto';
import axios from 'axios';
import type { z } from 'zod';
import type { Sequelize } from 'sequelize';
import { setOnHand } from '../../db/inventory';
import { declareItem, declareLocation } from '../../db/master-data/declare';
import type { CanonicalOrderInput } from '../../domain/orders/order';
import { orderViewSchema, type OrderView } from '../../domain/orders/status';

/** A client that hands back every answer, refusals included: tests assert on the status. */
export const http = axios.create({ validateStatus: () => true });

/**
 * A view the API answered is exactly what its schema declares: nothing missing, nothing more
 * (zod drops what a schema does not name, so an undeclared field makes the two differ).
 */
export function described<S extends z.ZodTypeAny>(schema: S, view: unknown): z.infer<S> {
  const parsed = schema.safeParse(view);
  if (!parsed.success) throw new Error(`the view does not match its schema: ${parsed.error.message}`);
  expect(parsed.data).toEqual(view);
  return parsed.data;
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export const CUSTOMER_ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 Analytical St',
  city: 'Portland',
  region: 'OR',
  postalCode: '97201',
  country: 'US',
};

/** Creates SKUs and locations of this test's own (unique names), with the stock given. */
export async function seedStock(
  sequelize: Sequelize,
  tenantId: string,
  stock: Record<string, Record<string, number>>,
): Promise<void> {
  const locations = new Set(Object.values(stock).flatMap((levels) => Object.keys(levels)));
  for (const location of locations) {
    await declareLocation(sequelize, tenantId, {
      id: location,
      name: `Location ${location}`,
      address: {
        name: `Warehouse ${location}`,
        line1: '1 Dock Rd',
        city: 'Reno',
        region: 'NV',
        postalCode: '89502',
        country: 'US',
      },
    });
  }
  for (const [sku, levels] of Object.entries(stock)) {
    await declareItem(sequelize, tenantId, { sku, name: `Item ${sku}`, weightGrams: 400 });
    for (const [location, onHand] of Object.entries(levels))
      await setOnHand(sequelize, tenantId, sku, location, onHand, 'test');
  }
}

export function restOrder(
  externalId: string,
  lines: Array<{ sku: string; quantity: number }>,
): CanonicalOrderInput {
  return {
    channel: 'rest',
    externalId,
    currency: 'USD',
    shippingAddress: CUSTOMER_ADDRESS,
    shippingService: 'ground',
    lines: lines.map((line) => ({ ...line, unitPrice: '19.99' })),
  };
}

/** Places a REST order through the API as a merchant's system does; the answer is the caller's to check. */
export function postRestOrder(
  apiUrl: string,
  externalId: string,
  lines: Array<{ sku: string; quantity: number }>,
  headers: Record<string, string> = acmeHeaders(),
) {
  return http.post(`${apiUrl}/v1/orders`, restOrder(externalId, lines), { headers });
}

export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  /** Between checks; a check that walks many processes (a load's) asks less often. */
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Counts of documents each sandbox partner holds (labels, invoices, fulfilments…). */
export interface SandboxStats {
  easypost: { purchased: number; returnLabels: number; refundedLabels: number };
  'easypost-b': { purchased: number; returnLabels: number; refundedLabels: number };
  shopify: { orders: number; fulfillments: number; cancellations: number; refunds: number };
  quickbooks: { invoices: number; payments: number; creditMemos: number };
  xero: { invoices: number; payments: number; creditNotes: number };
}

export async function sandboxStats(sandboxUrl: string): Promise<SandboxStats> {
  const response = await fetch(`${sandboxUrl}/__sandbox/stats`);
  return (await response.json()) as SandboxStats;
}

export function labelsBought(stats: SandboxStats): number {
  return stats.easypost.purchased + stats['easypost-b'].purchased;
}

/** A storefront order in the sandbox store, shaped like Shopify's order fixtures. */
export function shopifyOrderBody(sku: string, quantity: number, extra: Record<string, unknown> = {}) {
  return {
    email: 'grace@example.com',
    currency: 'USD',
    financial_status: 'paid',
    customer: { first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.com' },
    shipping_address: {
      first_name: 'Grace',
      last_name: 'Hopper',
      address1: '1 Compiler Way',
      city: 'Portland',
      province_code: 'OR',
      zip: '97201',
      country_code: 'US',
      latitude: 45.52,
      longitude: -122.68,
    },
    shipping_lines: [
      { title: 'Standard Shipping', code: 'Standard', price: '5.00', tax_lines: [{ price: '0.40' }] },
    ],
    line_items: [{ sku, title: `Item ${sku}`, quantity, price: '25.00', tax_lines: [{ price: '2.00' }] }],
    ...extra,
  };
}

export function acmeHeaders(): Record<string, string> {
  return { Authorization: `Bearer ${process.env.CROSSDOCK_API_KEY_ACME}` };
}

export function globexHeaders(): Record<string, string> {
  return { Authorization: `Bearer ${process.env.CROSSDOCK_API_KEY_GLOBEX}` };
}

export function alpineHeaders(): Record<string, string> {
  return { Authorization: `Bearer ${process.env.CROSSDOCK_API_KEY_ALPINE}` };
}

/** The statuses a single-parcel order passes through on its way to the customer, in order. */
export const DELIVERED_TIMELINE = ['received', 'stock_reserved', 'label_purchased', 'shipped', 'delivered'];

/** When a new sandbox label's tracker reports the parcel picked up, and then delivered. */
export interface TrackingProgression {
  inTransitAfterMs: number;
  deliveredAfterMs: number;
}

/** Makes new sandbox labels' trackers move by themselves (or, with null, stay put). */
export async function setTrackingProgression(
  sandboxUrl: string,
  progression: TrackingProgression | null,
): Promise<void> {
  await axios.put(`${sandboxUrl}/__sandbox/easypost/tracking`, progression);
}

/**
 * The orders' views as the API answers them now, 50 at a time: a closed order is answered by
 * replaying its history, and hundreds at once only measure how long two cores take to replay.
 */
export async function orderViews(
  apiUrl: string,
  ids: string[],
  headers: Record<string, string> = acmeHeaders(),
): Promise<OrderView[]> {
  const views: OrderView[] = [];
  for (let i = 0; i < ids.length; i += 50) {
    views.push(
      ...(await Promise.all(
        ids
          .slice(i, i + 50)
          .map(async (id) =>
            described(
              orderViewSchema(),
              (await axios.get<OrderView>(`${apiUrl}/v1/orders/${id}`, { headers })).data,
            ),
          ),
      )),
    );
  }
  return views;
}

/** Waits until the API reports the order in one of `statuses`. */
export async function waitForOrder(
  apiUrl: string,
  id: string,
  statuses: string[],
  headers: Record<string, string> = acmeHeaders(),
): Promise<OrderView> {
  return eventually(`order ${id} to be ${statuses.join('/')}`, async () => {
    const res = await http.get<OrderView>(`${apiUrl}/v1/orders/${id}`, { headers });
    return res.status === 200 && statuses.includes(res.data.status)
      ? described(orderViewSchema(), res.data)
      : undefined;
  });
}

/** Carrier shipments the sandbox carriers were asked to create for one parcel (its quotes). */
export async function quotedShipments(
  sandboxUrl: string,
  shipmentKey: string,
): Promise<Array<{ to_address?: { city?: string } }>> {
  const calls = (
    await axios.get<
      Array<{
        method: string;
        path: string;
        body: { shipment?: { reference?: string; to_address?: { city?: string } } };
      }>
    >(`${sandboxUrl}/__sandbox/calls`)
  ).data;
  return calls
    .filter(
      (c) =>
        c.method === 'POST' && c.path.endsWith('/v2/shipments') && c.body.shipment?.reference === shipmentKey,
    )
    .map((c) => c.body.shipment!);
}
