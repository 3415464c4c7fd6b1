import type { Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../../connectors/registry';
import type { InvoiceDraft } from '../../domain/accounting/invoice';
import { idempotencyKey, postOnce } from '../shared/postings';

export interface AccountingPostingRequest {
  tenantId: string;
  connectorId: string;
  invoice: InvoiceDraft;
}

export interface PaymentPostingRequest extends AccountingPostingRequest {
  invoiceId: string;
  /** The payment's own reference (a folio entry id): each is posted once. */
  paymentReference: string;
  amount: string;
}

/**
 * Invoices and payments, each posted once: our postings table short-cuts retries that already
 * have an answer, and the partner's own idempotency key covers a retry whose answer was lost.
 * An order is invoiced and paid in one step; a stay's folio is invoiced once and its payments
 * follow one by one, as they are taken.
 */
export function createAccountingActivities(deps: { sequelize: Sequelize; connectors: ConnectorRegistry }) {
  const keyOf = (request: AccountingPostingRequest) => ({
    tenantId: request.tenantId,
    connectorId: request.connectorId,
    reference: request.invoice.reference,
  });
  const postInvoice = (request: AccountingPostingRequest): Promise<string> => {
    const key = keyOf(request);
    return postOnce(
      deps.sequelize,
      { ...key, kind: 'invoice' },
      async () =>
        (
          await deps.connectors
            .accountingConnector(request.connectorId)
            .postInvoice(request.invoice, idempotencyKey(key.reference, 'invoice'))
        ).id,
    );
  };
  /** A payment against the invoice, once per reference (the order's, or a folio payment's). */
  const postPayment = (
    request: AccountingPostingRequest,
    invoiceId: string,
    reference: string,
    amount?: string,
  ): Promise<string> =>
    postOnce(
      deps.sequelize,
      { ...keyOf(request), reference, kind: 'payment' },
      async () =>
        (
          await deps.connectors
            .accountingConnector(request.connectorId)
            .postPayment(request.invoice, invoiceId, idempotencyKey(reference, 'payment'), amount)
        ).id,
    );
  return {
    async postOrderToAccounting(
      request: AccountingPostingRequest,
    ): Promise<{ invoiceId: string; paymentId: string }> {
      const invoiceId = await postInvoice(request);
      const paymentId = await postPayment(request, invoiceId, request.invoice.reference);
      return { invoiceId, paymentId };
    },

    postInvoiceToAccounting: (request: AccountingPostingRequest): Promise<string> => postInvoice(request),

    postPaymentToAccounting: (request: PaymentPostingRequest): Promise<string> =>
      postPayment(
        request,
        request.invoiceId,
        `${request.invoice.reference}:${request.paymentReference}`,
        request.amount,
      ),
  };
}
