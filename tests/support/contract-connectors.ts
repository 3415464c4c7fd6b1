import { ApplicationFailure } from '@temporalio/common';
import { PARTNER_REJECTED } from '../../connectors/http/errors';
import type { ConnectorConfig } from '../../platform/config/schema';
import type { InvoiceDraft } from '../../domain/accounting/invoice';
import { randomUUID } from 'node:crypto';

/**
 * The config of a `contract-<type>` connector to the sandbox partner at `path` (by default the
 * type's name), with the request rate and timeout a config file gets when it names none.
 */
export function sandboxConnectorConfig(
  type: string,
  connector: Pick<ConnectorConfig, 'tenant' | 'kind' | 'credentials' | 'options'> & { path?: string },
): ConnectorConfig {
  return {
    id: `contract-${type}`,
    tenant: connector.tenant,
    kind: connector.kind,
    type,
    baseUrl: `${process.env.CROSSDOCK_SANDBOX_URL}/${connector.path ?? type}`,
    credentials: connector.credentials,
    rateLimit: { requestsPerSecond: 10 },
    timeouts: { requestMs: 10_000 },
    options: connector.options,
  };
}

/** The partner refused for good: a failure the hub does not retry, carrying the partner's own words. */
export function expectRefusedForGood(failure: unknown, partnerWords: string): void {
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({ type: PARTNER_REJECTED, nonRetryable: true });
  expect((failure as Error).message).toContain(partnerWords);
}

/**
 * An invoice as the hub drafts it for a tenant's REST order of two tents: a taxed goods line and
 * an untaxed shipping line, 221.00 in all. Each call is a new order (its own reference).
 */
export function tentOrderInvoice(tenant: string, customer: { name: string; email?: string }): InvoiceDraft {
  return {
    reference: `order:${tenant}:rest:${randomUUID().slice(0, 8)}`,
    number: 'rest:1001',
    currency: 'USD',
    customerName: customer.name,
    ...(customer.email ? { customerEmail: customer.email } : {}),
    issuedOn: '2026-12-02',
    lines: [
      { description: 'Tent', sku: 'TENT-2P', quantity: 2, unitAmount: '100.00', taxAmount: '16.00' },
      { description: 'Shipping', quantity: 1, unitAmount: '5.00', taxAmount: '0.00' },
    ],
    taxTotal: '16.00',
    total: '221.00',
  };
}
