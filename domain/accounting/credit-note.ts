import type { RefundBreakdown } from '../returns/policy';
import { fromMinorUnits, toMinorUnits } from '../shared/money';

/** A credit note (QuickBooks credit memo, Xero ACCRECCREDIT) as every accounting connector receives it. */
export interface CreditNoteDraft {
  /** Our idempotency and cross-reference key (return workflow id). */
  reference: string;
  /** What people see: the RMA id and the order it belongs to. */
  number: string;
  orderId: string;
  currency: string;
  customerName: string;
  customerEmail?: string;
  issuedOn: string;
  lines: Array<{ description: string; sku?: string; quantity: number; amount: string; taxAmount: string }>;
  /** Amounts kept back from the refund (restocking fee, exchange credit), each a positive figure. */
  deductions: Array<{ description: string; amount: string }>;
  taxTotal: string;
  total: string;
}

/** The credit for a settled return: refunded lines and shipping, less what was kept back. */
export function creditNoteFromRefund(
  reference: string,
  rmaId: string,
  orderId: string,
  customer: { name: string; email?: string },
  refund: RefundBreakdown & { exchangeCredit: string; paid: string },
  issuedOn: string,
): CreditNoteDraft {
  const lines: CreditNoteDraft['lines'] = refund.lines.map((line) => ({
    description: `${line.quantity} × ${line.sku} returned (${rmaId})`,
    sku: line.sku,
    quantity: line.quantity,
    amount: line.amount,
    taxAmount: line.tax,
  }));
  if (refund.shipping !== '0.00')
    lines.push({
      description: 'Shipping refunded (tax included)',
      quantity: 1,
      amount: refund.shipping,
      taxAmount: '0.00',
    });
  const deductions: CreditNoteDraft['deductions'] = [];
  if (refund.restockingFee !== '0.00')
    deductions.push({ description: 'Restocking fee', amount: refund.restockingFee });
  if (refund.exchangeCredit !== '0.00')
    deductions.push({ description: 'Applied to the exchange order', amount: refund.exchangeCredit });
  const taxTotal = refund.lines.reduce((sum, l) => sum + toMinorUnits(l.tax), 0);
  return {
    reference,
    number: rmaId,
    orderId,
    currency: refund.currency,
    customerName: customer.name,
    customerEmail: customer.email,
    issuedOn: issuedOn.slice(0, 10),
    lines,
    deductions,
    taxTotal: fromMinorUnits(taxTotal),
    total: refund.paid,
  };
}
