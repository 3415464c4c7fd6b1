import type { CanonicalOrder, CanonicalOrderInput } from '../orders/order';
import { fromMinorUnits, toMinorUnits } from '../shared/money';
import type { DeliveredOrder, RefundBreakdown, ReturnLineRequest } from './policy';
import { exchangeOrderExternalId, type ExchangeLine } from './return';

/**
 * Exchanges are value-neutral for the books: the replacement ships at no charge, and its value
 * (unit price and the order's tax rate per unit) is kept back from the return's refund.
 */

/** Replacement lines priced: a given price wins, else the order's unit price and tax share for the SKU. */
export function priceExchange(
  order: DeliveredOrder,
  lines: Array<{ sku: string; quantity: number; unitPrice?: string }>,
): { lines: ExchangeLine[]; reasons: string[] } {
  const reasons: string[] = [];
  const priced: ExchangeLine[] = [];
  for (const line of lines) {
    const original = order.lines.find((l) => l.sku === line.sku);
    const unitPrice = line.unitPrice ?? original?.unitPrice;
    if (!unitPrice) {
      reasons.push(`exchange ${line.sku}: not on the order, so it needs a unitPrice`);
      continue;
    }
    // Tax follows the original line's rate when the SKU was sold on this order, else none is assumed.
    const tax = original
      ? Math.floor(
          (toMinorUnits(original.tax) * toMinorUnits(unitPrice) * line.quantity) /
            Math.max(1, toMinorUnits(original.unitPrice) * original.quantity),
        )
      : 0;
    priced.push({ sku: line.sku, quantity: line.quantity, unitPrice, tax: fromMinorUnits(tax) });
  }
  return { lines: priced, reasons };
}

export function exchangeValueMinor(lines: ExchangeLine[]): number {
  return lines.reduce((sum, l) => sum + toMinorUnits(l.unitPrice) * l.quantity + toMinorUnits(l.tax), 0);
}

/** Value of the returned lines as sold (price and tax), the most an exchange may be worth. */
export function returnedValueMinor(order: DeliveredOrder, request: ReturnLineRequest[]): number {
  return request.reduce((sum, line) => {
    const sold = order.lines.find((l) => l.sku === line.sku);
    if (!sold) return sum;
    const perUnit = (toMinorUnits(sold.unitPrice) * sold.quantity + toMinorUnits(sold.tax)) / sold.quantity;
    return sum + Math.floor(perUnit * line.quantity);
  }, 0);
}

/** An exchange may not be worth more than what comes back: the difference is a new order. */
export function checkExchange(
  order: DeliveredOrder,
  request: ReturnLineRequest[],
  exchange: ExchangeLine[],
): string[] {
  const reasons: string[] = [];
  if (exchange.some((l) => !Number.isInteger(l.quantity) || l.quantity < 1))
    reasons.push('exchange quantities must be whole numbers of at least 1');
  const value = exchangeValueMinor(exchange);
  const returned = returnedValueMinor(order, request);
  if (value > returned) {
    reasons.push(
      `the replacement is worth ${fromMinorUnits(value)} ${order.currency} but the returned goods ${fromMinorUnits(returned)}; place a new order for the difference`,
    );
  }
  return reasons;
}

/** What the customer gets back once the replacement is paid for from the refund. */
export function refundAfterExchange(
  refund: RefundBreakdown,
  exchange: ExchangeLine[],
): { exchangeCredit: string; paid: string } {
  const total = toMinorUnits(refund.total);
  const credit = Math.min(total, exchangeValueMinor(exchange));
  return { exchangeCredit: fromMinorUnits(credit), paid: fromMinorUnits(total - credit) };
}

/** The replacement order: the original customer and address, lines at no charge, already paid. */
export function replacementOrder(
  original: CanonicalOrder,
  rmaId: string,
  lines: ExchangeLine[],
): CanonicalOrderInput {
  return {
    channel: 'rest',
    externalId: exchangeOrderExternalId(rmaId),
    currency: original.currency,
    customer: original.customer,
    shippingAddress: original.shippingAddress,
    shippingService: original.shippingService,
    paymentStatus: 'paid',
    lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: '0.00', tax: '0.00' })),
  };
}
