import type { ConnectorConfig } from '../../platform/config/schema';
import { credential } from '../options';
import { PartnerHttpClient, type PartnerHttpOptions } from './client';

/**
 * The HTTP client of one configured connector: the config's base URL (unless the partner nests
 * its API deeper) and request timeout, failures named `<partner> <connector id>` so a refusal
 * says which connection it came from.
 */
export function connectorHttpClient(
  config: ConnectorConfig,
  partner: string,
  settings: Partial<Pick<PartnerHttpOptions, 'baseUrl' | 'headers' | 'auth'>> = {},
): PartnerHttpClient {
  return new PartnerHttpClient({
    partner: `${partner} ${config.id}`,
    baseUrl: config.baseUrl,
    timeoutMs: config.timeouts.requestMs,
    ...settings,
  });
}

/** The `Authorization` header of an OAuth access token kept in the connector's named credential. */
export function bearerAuthorization(config: ConnectorConfig, name: string): { Authorization: string } {
  return { Authorization: `Bearer ${credential(config, name)}` };
}
