import type { CreditNoteDraft } from '../../domain/accounting/credit-note';
import type { InvoiceDraft } from '../../domain/accounting/invoice';

/** The person a document is booked to: found in the partner's books by e-mail, else created. */
export interface BookedCustomer {
  name: string;
  email?: string;
}

/** How a customer is named in the books: unique per e-mail, so two people of one name stay apart. */
export function customerDisplayName(who: BookedCustomer): string {
  const name = who.name.trim() || 'Customer';
  const email = who.email?.trim().toLowerCase();
  return (email ? `${name} <${email}>` : name).slice(0, 100);
}

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
