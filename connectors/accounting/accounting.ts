import type { CreditNoteDraft } from '../../domain/accounting/credit-note';
import type { InvoiceDraft } from '../../domain/accounting/invoice';

/**
 * What every accounting connector offers. Each call carries an idempotency key derived from the
 * order, in the partner's own mechanism, so a retried call returns the document already made.
 */
export interface AccountingConnector {
  readonly connectorId: string;
  postInvoice(invoice: InvoiceDraft, idempotencyKey: string): Promise<{ id: string }>;
  /** A payment against an invoice: the whole total, or `amount` when it is paid in parts. */
  postPayment(
    invoice: InvoiceDraft,
    invoiceId: string,
    idempotencyKey: string,
    amount?: string,
  ): Promise<{ id: string }>;
  /** The credit for a refunded return (QuickBooks credit memo, Xero credit note). */
  postCreditNote(note: CreditNoteDraft, idempotencyKey: string): Promise<{ id: string }>;
}
