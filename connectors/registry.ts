import type { ConnectorConfig, HubConfig } from '../platform/config/schema';
import { readSecret } from '../platform/config/load';
import type { CarrierConnector } from './carriers/carrier';
import { EasyPostCarrier } from './carriers/easypost';

/** Builds the connector instances declared in the config, once, by id. */
export class ConnectorRegistry {
  private readonly carriers = new Map<string, CarrierConnector>();

  constructor(readonly config: HubConfig) {
    for (const connector of config.connectors) {
      if (connector.kind === 'carrier') this.carriers.set(connector.id, buildCarrier(connector));
    }
  }

  carrier(id: string): CarrierConnector {
    const carrier = this.carriers.get(id);
    if (!carrier) throw new Error(`no carrier connector "${id}" is configured`);
    return carrier;
  }
}

function buildCarrier(connector: ConnectorConfig): CarrierConnector {
  switch (connector.type) {
    case 'easypost': {
      const apiKey = connector.credentials.apiKey;
      if (!apiKey) throw new Error(`connector ${connector.id}: credentials.apiKey is required for easypost`);
      return new EasyPostCarrier(
        connector.id,
        connector.baseUrl,
        readSecret(apiKey),
        connector.timeouts.requestMs,
      );
    }
    default:
      throw new Error(`connector ${connector.id}: carrier type "${connector.type}" is not implemented`);
  }
}
