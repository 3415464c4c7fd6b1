import { createHash } from 'node:crypto';
import type { ConnectorRegistry } from '../../connectors/registry';
import type { InvoiceDraft } from '../../domain/accounting/invoice';
import { postOnce } from './channel';

export interface AccountingPostingRequest {
  tenantId: string;
  connectorId: string;
  invoice: InvoiceDraft;
}

/** Partner idempotency keys are short; a digest of our reference fits every partner's limit. */
export function idempotencyKey(reference: string, kind: string): string {
  return createHash('sha256').update(`${reference}:${kind}`).digest('hex').slice(0, 36);
}

/**
 * Invoice and payment of a shipped order, each posted once: our postings table short-cuts
 * retries that already have an answer, and the partner's own idempotency key covers a retry
 * whose answer was lost.
 */
export function createAccountingActivities(deps: { connectors: ConnectorRegistry }) {
  return {
    async postOrderToAccounting(
      request: AccountingPostingRequest,
    ): Promise<{ invoiceId: string; paymentId: string }> {
      const connector = deps.connectors.accountingConnector(request.connectorId);
      const key = {
        tenantId: request.tenantId,
        connectorId: request.connectorId,
        reference: request.invoice.reference,
      };
      const invoiceId = await postOnce(
        { ...key, kind: 'invoice' },
        async () =>
          (await connector.postInvoice(request.invoice, idempotencyKey(key.reference, 'invoice'))).id,
      );
      const paymentId = await postOnce(
        { ...key, kind: 'payment' },
        async () =>
          (await connector.postPayment(request.invoice, invoiceId, idempotencyKey(key.reference, 'payment')))
            .id,
      );
      return { invoiceId, paymentId };
    },
  };
}
