import type { Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../connectors/registry';
import type { OrderIntake } from '../intake/orders';
import type { OtaReservationIntake } from '../intake/ota';
import type { ConnectorKind } from '../platform/config/schema';
import type { ObjectStorage } from '../platform/storage';
import { createChannelMappingActivities, createChannelSyncActivities } from './channels';
import { createCatalogueImportActivities } from './channels/catalogue-import';
import { createReservationPullActivities } from './channels/reservation-pull';
import { createStockSyncActivities } from './channels/stock';
import { createAccountingActivities } from './orders/accounting';
import { createChannelActivities } from './orders/channel';
import { createInventoryActivities, createRoutedInventoryActivities } from './orders/inventory';
import { createLabelActivities } from './orders/labels';
import { createReconcileActivities } from './orders/reconcile';
import { createTrackerReconcileActivities } from './orders/tracking';
import {
  createCreditNoteActivities,
  createReturnCoreActivities,
  createReturnLabelActivities,
  createReturnRefundActivities,
} from './returns';
import { createLockActivities, createStayActivities } from './stays';
import { createEventActivities } from './shared/events';
import { createHousekeepingActivities } from './shared/housekeeping';

export interface ActivityDeps {
  sequelize: Sequelize;
  storage: ObjectStorage;
  connectors: ConnectorRegistry;
  /** Starts and signals order workflows (reconcile); absent where no client is at hand. */
  intake?: OrderIntake;
  /** Takes reservations pulled from OTAs; absent where no client is at hand. */
  otaIntake?: OtaReservationIntake;
}

/** Activities that touch only our own infrastructure; they run on the orchestration task queue. */
export function createCoreActivities(deps: ActivityDeps) {
  return {
    ...createInventoryActivities(deps),
    ...createRoutedInventoryActivities(deps),
    ...createEventActivities(deps),
    ...createHousekeepingActivities(deps),
    ...createReturnCoreActivities(deps),
    ...createStayActivities(deps),
    ...createChannelMappingActivities(deps),
  };
}

/**
 * Activities that call a partner, by the kind of connector they call. They run on that connector
 * instance's own task queue, whose worker holds the partner's rate limit and registers only its
 * kind's activities: a carrier's queue cannot be asked to post an invoice.
 */
export function createPartnerActivities(deps: ActivityDeps) {
  return {
    carrier: {
      ...createLabelActivities(deps),
      ...createReturnLabelActivities(deps),
      ...createTrackerReconcileActivities(deps),
    },
    marketplace: {
      ...createChannelActivities(deps),
      ...createReconcileActivities(deps),
      ...createReturnRefundActivities(deps),
      ...createStockSyncActivities(deps),
      ...createCatalogueImportActivities(deps),
    },
    accounting: { ...createAccountingActivities(deps), ...createCreditNoteActivities(deps) },
    /** A Square till: its catalogue is imported like a store's. */
    pos: createCatalogueImportActivities(deps),
    lock: createLockActivities(deps),
    ota: { ...createChannelSyncActivities(deps), ...createReservationPullActivities(deps) },
  } satisfies Record<ConnectorKind, object>;
}

export type CoreActivities = ReturnType<typeof createCoreActivities>;
export type PartnerActivities = ReturnType<typeof createPartnerActivities>;
export type CarrierActivities = PartnerActivities['carrier'];
export type MarketplaceActivities = PartnerActivities['marketplace'];
export type AccountingActivities = PartnerActivities['accounting'];
export type PosActivities = PartnerActivities['pos'];
export type LockActivities = PartnerActivities['lock'];
export type OtaActivities = PartnerActivities['ota'];
