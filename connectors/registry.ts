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

/** Builds the connector instances declared in the config, once, by id. */
export class ConnectorRegistry {
  private readonly carriers = new Map<string, CarrierConnector>();
  private readonly accounting = new Map<string, AccountingConnector>();
  private readonly shopify = new Map<string, ShopifyConnector>();
  private readonly square = new Map<string, SquareConnector>();
  private readonly locks = new Map<string, LockConnector>();
  private readonly otas = new Map<string, AlpineBitsChannel>();

  constructor(readonly config: HubConfig) {
    for (const connector of config.connectors) {
      switch (connector.kind) {
        case 'carrier':
          this.carriers.set(connector.id, buildCarrier(connector));
          break;
        case 'accounting':
          this.accounting.set(
            connector.id,
            connector.type === 'quickbooks'
              ? new QuickBooksConnector(connector)
              : new XeroConnector(connector),
          );
          break;
        case 'marketplace':
          this.shopify.set(connector.id, new ShopifyConnector(connector));
          break;
        case 'pos':
          this.square.set(connector.id, new SquareConnector(connector));
          break;
        case 'lock':
          this.locks.set(connector.id, new LockConnector(connector));
          break;
        case 'ota':
          this.otas.set(connector.id, new AlpineBitsChannel(connector));
          break;
      }
    }
  }

  carrier(id: string): CarrierConnector {
    return required(this.carriers, id, 'carrier');
  }

  accountingConnector(id: string): AccountingConnector {
    return required(this.accounting, id, 'accounting');
  }

  shopifyStore(id: string): ShopifyConnector {
    return required(this.shopify, id, 'Shopify');
  }

  squareAccount(id: string): SquareConnector {
    return required(this.square, id, 'Square');
  }

  lock(id: string): LockConnector {
    return required(this.locks, id, 'lock');
  }

  ota(id: string): AlpineBitsChannel {
    return required(this.otas, id, 'OTA');
  }

  /** Every OTA channel connection, for the channel synchronisation. */
  otaChannels(): AlpineBitsChannel[] {
    return [...this.otas.values()];
  }

  /** Every store whose stock the hub keeps up to date (it names locations to sell from). */
  stockChannels(): ShopifyConnector[] {
    return [...this.shopify.values()].filter((store) => Object.keys(store.options.stockLocations).length > 0);
  }

  /** The config entry of a connector of the given kind, if there is one with that id. */
  find(id: string, kind: ConnectorKind): ConnectorConfig | undefined {
    return this.config.connectors.find((c) => c.id === id && c.kind === kind);
  }

  /** The tenant's connector of a kind (the first, when several are configured). */
  ofTenant(tenantId: string, kind: ConnectorKind): ConnectorConfig | undefined {
    return this.config.connectors.find((c) => c.tenant === tenantId && c.kind === kind);
  }
}

function required<T>(map: Map<string, T>, id: string, what: string): T {
  const connector = map.get(id);
  if (!connector) throw new Error(`no ${what} connector "${id}" is configured`);
  return connector;
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
