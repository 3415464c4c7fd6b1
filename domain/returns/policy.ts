import { z } from 'zod';
import { fromMinorUnits, toMinorUnits } from '../shared/money';

/** The state a returned unit arrives in. */
export const RETURN_CONDITIONS = ['sellable', 'damaged'] as const;

/** What a merchant allows back, and what it pays for. */
export interface ReturnPolicy {
  /** Days after delivery during which a return may be requested. */
  windowDays: number;
  /** SKUs that cannot be returned (hygiene, final sale). */
  nonReturnableSkus: string[];
  /** Percentage of the returned merchandise kept as a restocking fee (0–100). */
  restockingFeePercent: number;
  /** Shipping is refunded only when the last delivered unit comes back, or never. */
  refundShipping: 'when_fully_returned' | 'never';
  /** Goods received damaged are refunded (true) or only written off (false). */
  refundDamaged: boolean;
}

/** A delivered order as returns see it: what was shipped and what the customer paid. */
export interface DeliveredOrder {
  deliveredAt: string;
  currency: string;
  lines: Array<{ sku: string; quantity: number; unitPrice: string; tax: string }>;
  shippingPrice: string;
  shippingTax: string;
}

/** A line of a return as asked for. */
export const returnLineSchema = z.object({
  sku: z.string(),
  quantity: z.number().int(),
  reason: z.string().optional(),
});
export type ReturnLineRequest = z.infer<typeof returnLineSchema>;

/** Returns of the same order that still hold quantities (requested, approved, received or refunded). */
export interface OpenReturn {
  lines: Array<{ sku: string; quantity: number }>;
}

export type Eligibility = { ok: true } | { ok: false; reasons: string[] };

const DAY_MS = 86_400_000;

/**
 * Whether these lines may come back: inside the window counted from delivery, returnable SKUs of
 * this order only, and never more than delivered minus what other returns already hold.
 */
export function checkReturnEligibility(
  order: DeliveredOrder,
  others: OpenReturn[],
  request: ReturnLineRequest[],
  now: string,
  policy: ReturnPolicy,
): Eligibility {
  const reasons: string[] = [];
  const closes = Date.parse(order.deliveredAt) + policy.windowDays * DAY_MS;
  if (Date.parse(now) > closes) {
    reasons.push(
      `the return window of ${policy.windowDays} days closed on ${new Date(closes).toISOString().slice(0, 10)}`,
    );
  }
  if (request.length === 0) reasons.push('a return needs at least one line');
  const seen = new Set<string>();
  for (const line of request) {
    if (seen.has(line.sku)) reasons.push(`${line.sku}: listed twice`);
    seen.add(line.sku);
    const delivered = order.lines.find((l) => l.sku === line.sku);
    if (!delivered) {
      reasons.push(`${line.sku}: not part of this order`);
      continue;
    }
    if (policy.nonReturnableSkus.includes(line.sku)) reasons.push(`${line.sku}: cannot be returned`);
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      reasons.push(`${line.sku}: quantity must be a whole number of at least 1`);
      continue;
    }
    const held = others
      .flatMap((r) => r.lines)
      .filter((l) => l.sku === line.sku)
      .reduce((sum, l) => sum + l.quantity, 0);
    const left = delivered.quantity - held;
    if (line.quantity > left) {
      reasons.push(
        `${line.sku}: ${line.quantity} requested, ${left} of ${delivered.quantity} delivered can still be returned`,
      );
    }
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}

/** Units of one SKU as received, and in what state. */
export const receivedLineSchema = z.object({
  sku: z.string(),
  quantity: z.number().int(),
  condition: z.enum(RETURN_CONDITIONS),
});
export type ReceivedLine = z.infer<typeof receivedLineSchema>;

const amount = z.string().describe('decimal amount, e.g. "12.50"');

/** What a return pays back, line by line, before any exchange credit. */
export const refundBreakdownSchema = z.object({
  currency: z.string(),
  lines: z.array(z.object({ sku: z.string(), quantity: z.number().int(), amount, tax: amount })),
  shipping: amount,
  restockingFee: amount,
  total: amount,
});
export type RefundBreakdown = z.infer<typeof refundBreakdownSchema>;

/** Units of each SKU already refunded by earlier returns of the order. */
export type RefundedUnits = Record<string, number>;

/**
 * Share of `total` (minor units) for `units` of `of`: the last unit takes the remainder, so the
 * shares of any split of a line add up to exactly its total and never more.
 */
function shareOf(total: number, units: number, of: number): number {
  return units >= of ? total : Math.floor((total * units) / of);
}

/**
 * The refund for goods received on one return. Each line pays its price and the channel's tax
 * for those units, counted cumulatively over the order's returns (so rounding never adds up to
 * more than was paid); shipping comes back with the last unit if the policy says so; a restocking
 * fee is kept on merchandise. Damaged goods are refunded only if the policy says so.
 */
export function computeRefund(
  order: DeliveredOrder,
  received: ReceivedLine[],
  alreadyRefunded: RefundedUnits,
  policy: ReturnPolicy,
): RefundBreakdown {
  const lines: RefundBreakdown['lines'] = [];
  let merchandise = 0;
  let tax = 0;
  const refundedAfter: RefundedUnits = { ...alreadyRefunded };
  for (const line of received) {
    if (line.condition === 'damaged' && !policy.refundDamaged) continue;
    const delivered = order.lines.find((l) => l.sku === line.sku);
    if (!delivered) continue;
    const before = alreadyRefunded[line.sku] ?? 0;
    const units = Math.max(0, Math.min(line.quantity, delivered.quantity - before));
    if (units === 0) continue;
    const after = before + units;
    refundedAfter[line.sku] = after;
    const lineTotal = toMinorUnits(delivered.unitPrice) * delivered.quantity;
    const amount =
      shareOf(lineTotal, after, delivered.quantity) - shareOf(lineTotal, before, delivered.quantity);
    const lineTax =
      shareOf(toMinorUnits(delivered.tax), after, delivered.quantity) -
      shareOf(toMinorUnits(delivered.tax), before, delivered.quantity);
    merchandise += amount;
    tax += lineTax;
    lines.push({
      sku: line.sku,
      quantity: units,
      amount: fromMinorUnits(amount),
      tax: fromMinorUnits(lineTax),
    });
  }
  const fullyReturnedNow =
    order.lines.every((l) => (refundedAfter[l.sku] ?? 0) >= l.quantity) &&
    !order.lines.every((l) => (alreadyRefunded[l.sku] ?? 0) >= l.quantity);
  const shipping =
    policy.refundShipping === 'when_fully_returned' && fullyReturnedNow
      ? toMinorUnits(order.shippingPrice) + toMinorUnits(order.shippingTax)
      : 0;
  const fee = Math.round((merchandise * policy.restockingFeePercent) / 100);
  return {
    currency: order.currency,
    lines,
    shipping: fromMinorUnits(shipping),
    restockingFee: fromMinorUnits(fee),
    total: fromMinorUnits(merchandise + tax + shipping - fee),
  };
}

/** What the customer paid for the order, in minor units. */
export function paidMinor(order: DeliveredOrder): number {
  return (
    order.lines.reduce((sum, l) => sum + toMinorUnits(l.unitPrice) * l.quantity + toMinorUnits(l.tax), 0) +
    toMinorUnits(order.shippingPrice) +
    toMinorUnits(order.shippingTax)
  );
}

/** A delivered canonical order as the returns rules read it. */
export function deliveredOrderOf(
  order: {
    currency: string;
    lines: Array<{ sku: string; quantity: number; unitPrice: string; tax: string }>;
    shippingPrice: string;
    shippingTax: string;
  },
  deliveredAt: string,
): DeliveredOrder {
  return {
    deliveredAt,
    currency: order.currency,
    lines: order.lines.map(({ sku, quantity, unitPrice, tax }) => ({ sku, quantity, unitPrice, tax })),
    shippingPrice: order.shippingPrice,
    shippingTax: order.shippingTax,
  };
}
