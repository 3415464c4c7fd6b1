import { ApplicationFailure } from '@temporalio/common';
import { PARTNER_REJECTED } from '../../connectors/http/errors';
import type { ConnectorConfig } from '../../platform/config/schema';

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
