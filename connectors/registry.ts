import type { ConnectorConfig, ConnectorKind, HubConfig } from '../platform/config/schema';
import type { AccountingConnector } from './accounting/accounting';
import { QuickBooksConnector } from './accounting/quickbooks';
import { XeroConnector } from './accounting/xero';
import type { CarrierConnector } from './carriers/carrier';
import { EasyPostCarrier } from './carriers/easypost';
import { ShopifyConnector } from './marketplaces/shopify';
import { credential, optionalCredential } from './options';
import { SquareConnector } from './pos/square';
import { LockConnector } from './locks/lock';
import { AlpineBitsChannel } from './ota/alpinebits-channel';

/** How a connector of each kind is built from its config entry, and what a missing one is called. */
const KINDS = {
  carrier: { what: 'carrier', build: buildCarrier },
  accounting: { what: 'accounting', build: buildAccounting },
  marketplace: { what: 'Shopify', build: (connector: ConnectorConfig) => new ShopifyConnector(connector) },
  pos: { what: 'Square', build: (connector: ConnectorConfig) => new SquareConnector(connector) },
  lock: { what: 'lock', build: (connector: ConnectorConfig) => new LockConnector(connector) },
  ota: { what: 'OTA', build: (connector: ConnectorConfig) => new AlpineBitsChannel(connector) },
} satisfies Record<ConnectorKind, { what: string; build: (connector: ConnectorConfig) => object }>;

/** The connector a kind builds. */
type Connector<K extends ConnectorKind> = ReturnType<(typeof KINDS)[K]['build']>;

/** Builds the connector instances declared in the config, once, by id. */
export class ConnectorRegistry {
  private readonly built = new Map<ConnectorKind, Map<string, object>>();

  constructor(readonly config: HubConfig) {
    for (const connector of config.connectors) {
      const ofKind = this.built.get(connector.kind) ?? new Map<string, object>();
      ofKind.set(connector.id, KINDS[connector.kind].build(connector));
      this.built.set(connector.kind, ofKind);
    }
  }

  // One lookup per kind, under the names the activities and routes know them by.
  readonly carrier = (id: string) => this.connector('carrier', id);
  readonly accountingConnector = (id: string) => this.connector('accounting', id);
  readonly shopifyStore = (id: string) => this.connector('marketplace', id);
  readonly squareAccount = (id: string) => this.connector('pos', id);
  readonly lock = (id: string) => this.connector('lock', id);
  readonly ota = (id: string) => this.connector('ota', id);

  /** Every OTA channel connection, for the channel synchronisation. */
  otaChannels(): AlpineBitsChannel[] {
    return this.every('ota');
  }

  /** Every store whose stock the hub keeps up to date (it names locations to sell from). */
  stockChannels(): ShopifyConnector[] {
    return this.every('marketplace').filter((store) => Object.keys(store.options.stockLocations).length > 0);
  }

  /** The config entry of a connector of the given kind, if there is one with that id. */
  find(id: string, kind: ConnectorKind): ConnectorConfig | undefined {
    return this.config.connectors.find((c) => c.id === id && c.kind === kind);
  }

  /** The tenant's connector of a kind (the first, when several are configured). */
  ofTenant(tenantId: string, kind: ConnectorKind): ConnectorConfig | undefined {
    return this.config.connectors.find((c) => c.tenant === tenantId && c.kind === kind);
  }

  private connector<K extends ConnectorKind>(kind: K, id: string): Connector<K> {
    const connector = this.built.get(kind)?.get(id);
    if (!connector) throw new Error(`no ${KINDS[kind].what} connector "${id}" is configured`);
    return connector as Connector<K>;
  }

  private every<K extends ConnectorKind>(kind: K): Array<Connector<K>> {
    return [...(this.built.get(kind)?.values() ?? [])] as Array<Connector<K>>;
  }
}

function buildAccounting(connector: ConnectorConfig): AccountingConnector {
  return connector.type === 'quickbooks' ? new QuickBooksConnector(connector) : new XeroConnector(connector);
}

function buildCarrier(connector: ConnectorConfig): CarrierConnector {
  switch (connector.type) {
    case 'easypost':
      return new EasyPostCarrier(
        connector.id,
        connector.baseUrl,
        credential(connector, 'apiKey'),
        connector.timeouts.requestMs,
        optionalCredential(connector, 'webhookSecret'),
      );
    default:
      throw new Error(`connector ${connector.id}: carrier type "${connector.type}" is not implemented`);
  }
}
