import { orderTotals, type CanonicalOrder } from '../orders/order';

/** An invoice as every accounting connector receives it; each maps it to its own document. */
export interface InvoiceDraft {
  /** Our idempotency and cross-reference key (order workflow id). */
  reference: string;
  /** What the customer sees (channel + external id). */
  number: string;
  currency: string;
  customerName: string;
  customerEmail?: string;
  issuedOn: string;
  lines: Array<{
    description: string;
    sku?: string;
    quantity: number;
    unitAmount: string;
    taxAmount: string;
  }>;
  taxTotal: string;
  total: string;
}

/** Lines as sold plus shipping, tax as the channel stated it; nothing is recomputed. */
export function invoiceFromOrder(
  reference: string,
  number: string,
  order: CanonicalOrder,
  issuedOn: string,
): InvoiceDraft {
  const totals = orderTotals(order);
  const lines: InvoiceDraft['lines'] = order.lines.map((line) => ({
    description: line.title ?? line.sku,
    sku: line.sku,
    quantity: line.quantity,
    unitAmount: line.unitPrice,
    taxAmount: line.tax,
  }));
  if (totals.shipping !== '0.00' || order.shippingTax !== '0.00') {
    lines.push({
      description: `Shipping (${order.shippingService})`,
      quantity: 1,
      unitAmount: order.shippingPrice,
      taxAmount: order.shippingTax,
    });
  }
  return {
    reference,
    number,
    currency: order.currency,
    customerName: order.customer?.name ?? order.shippingAddress.name,
    customerEmail: order.customer?.email,
    issuedOn: issuedOn.slice(0, 10),
    lines,
    taxTotal: totals.tax,
    total: totals.total,
  };
}
