import { z } from 'zod';
import { fromMinorUnits, toMinorUnits } from '../shared/money';

/** One order as the report reads it: when each step happened, and how it ended. */
export interface OrderFact {
  orderId: string;
  /** When the hub received it: its first event (created, or rejected at validation). */
  receivedAt: string;
  total?: string;
  currency?: string;
  shippedAt?: string;
  parcels?: number;
  deliveredAt?: string;
  rejection?: string;
  cancelled: boolean;
  exception: boolean;
  returned: boolean;
  /** Where its stock was reserved or shipped from. */
  locations: string[];
}

export const ORDER_REPORT_GROUPS = ['day', 'channel', 'location'] as const;
export type OrderReportGroup = (typeof ORDER_REPORT_GROUPS)[number];

/** p50 and p90 of a duration, in seconds (null without any). */
const spreadSchema = z.object({ p50: z.number().int().nullable(), p90: z.number().int().nullable() });
export type Spread = z.infer<typeof spreadSchema>;
const share = z.number().min(0).max(1).nullable();

export const orderReportRowSchema = z.object({
  group: z.string(),
  orders: z.number().int(),
  /** Net: orders neither rejected nor cancelled, per currency, as decimal strings. */
  revenue: z.array(z.object({ currency: z.string(), amount: z.string().regex(/^-?\d+(\.\d+)?$/) })),
  orderToShipSeconds: spreadSchema,
  shipToDeliverSeconds: spreadSchema,
  /** Shipped orders that left in more than one parcel, of those shipped (0 to 1). */
  splitRate: share,
  rejections: z.record(z.string(), z.number().int()),
  cancellations: z.number().int(),
  /** Delivered orders with a return requested, of those delivered (0 to 1). */
  returnRate: share,
  exceptions: z.number().int(),
});
export type OrderReportRow = z.infer<typeof orderReportRowSchema>;

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function spread(seconds: number[]): Spread {
  const sorted = [...seconds].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90) };
}

const secondsBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000);
const ratio = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;

function groupsOf(fact: OrderFact, by: OrderReportGroup): string[] {
  if (by === 'day') return [fact.receivedAt.slice(0, 10)];
  if (by === 'channel') return [fact.orderId.slice(0, fact.orderId.indexOf(':'))];
  return fact.locations.length > 0 ? fact.locations : ['(none)'];
}

/**
 * Volume, revenue, fulfilment times, split and return rates, rejections by reason,
 * cancellations and exceptions, per group. An order shipped from two locations counts in both
 * (`groupBy=location`). Revenue is summed in minor units, so it is exact.
 */
export function orderReport(facts: OrderFact[], by: OrderReportGroup): OrderReportRow[] {
  const groups = new Map<string, OrderFact[]>();
  for (const fact of facts)
    for (const group of groupsOf(fact, by)) groups.set(group, [...(groups.get(group) ?? []), fact]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, orders]) => {
      const revenue = new Map<string, number>();
      for (const o of orders)
        if (o.total && o.currency && !o.rejection && !o.cancelled)
          revenue.set(o.currency, (revenue.get(o.currency) ?? 0) + toMinorUnits(o.total));
      const shipped = orders.filter((o) => o.shippedAt);
      const delivered = orders.filter((o) => o.deliveredAt);
      const rejections: Record<string, number> = {};
      for (const o of orders) if (o.rejection) rejections[o.rejection] = (rejections[o.rejection] ?? 0) + 1;
      return {
        group,
        orders: orders.length,
        revenue: [...revenue.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([currency, minor]) => ({ currency, amount: fromMinorUnits(minor) })),
        orderToShipSeconds: spread(shipped.map((o) => secondsBetween(o.receivedAt, o.shippedAt!))),
        shipToDeliverSeconds: spread(
          delivered.filter((o) => o.shippedAt).map((o) => secondsBetween(o.shippedAt!, o.deliveredAt!)),
        ),
        splitRate: ratio(shipped.filter((o) => (o.parcels ?? 1) > 1).length, shipped.length),
        rejections,
        cancellations: orders.filter((o) => o.cancelled).length,
        returnRate: ratio(delivered.filter((o) => o.returned).length, delivered.length),
        exceptions: orders.filter((o) => o.exception).length,
      };
    });
}

/** The report as CSV: one line per group, revenue per currency as `USD 120.00; EUR 5.00`. */
export function orderReportCsv(rows: OrderReportRow[]): string {
  const header =
    'group,orders,revenue,order_to_ship_p50_s,order_to_ship_p90_s,ship_to_deliver_p50_s,ship_to_deliver_p90_s,split_rate,rejections,cancellations,return_rate,exceptions';
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = rows.map((r) =>
    [
      r.group,
      r.orders,
      r.revenue.map((m) => `${m.currency} ${m.amount}`).join('; '),
      r.orderToShipSeconds.p50,
      r.orderToShipSeconds.p90,
      r.shipToDeliverSeconds.p50,
      r.shipToDeliverSeconds.p90,
      r.splitRate,
      Object.entries(r.rejections)
        .map(([reason, n]) => `${reason} ${n}`)
        .join('; '),
      r.cancellations,
      r.returnRate,
      r.exceptions,
    ]
      .map(cell)
      .join(','),
  );
  return `${[header, ...lines].join('\n')}\n`;
}

export const inventoryReportRowSchema = z.object({
  sku: z.string(),
  locationId: z.string(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  /** Units shipped in the last 30 days. */
  shipped30d: z.number().int(),
  /** Days the available stock lasts at the last 30 days' pace (null without sales). */
  daysOfCover: z.number().nullable(),
});
export type InventoryReportRow = z.infer<typeof inventoryReportRowSchema>;

/** On hand, reserved, available and days of cover per SKU and location. */
export function inventoryReport(
  levels: Array<{ sku: string; locationId: string; onHand: number; reserved: number; shipped30d: number }>,
): InventoryReportRow[] {
  return levels.map((l) => {
    const available = l.onHand - l.reserved;
    return {
      ...l,
      available,
      daysOfCover: l.shipped30d > 0 ? Math.round((available / (l.shipped30d / 30)) * 10) / 10 : null,
    };
  });
}

export function inventoryReportCsv(rows: InventoryReportRow[]): string {
  const header = 'sku,location,on_hand,reserved,available,shipped_30d,days_of_cover';
  const lines = rows.map((r) =>
    [r.sku, r.locationId, r.onHand, r.reserved, r.available, r.shipped30d, r.daysOfCover ?? ''].join(','),
  );
  return `${[header, ...lines].join('\n')}\n`;
}
