import type { Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../connectors/registry';
import type { OrderIntake } from '../platform/order-intake';
import type { ReservationIntake } from '../platform/reservation-intake';
import type { ObjectStorage } from '../platform/storage';
import { createChannelSyncActivities } from './channels';
import { createCatalogueImportActivities } from './channels/catalogue-import';
import { createReservationPullActivities } from './channels/reservation-pull';
import { createStockSyncActivities } from './channels/stock';
import { createAccountingActivities } from './orders/accounting';
import { createChannelActivities } from './orders/channel';
import { createInventoryActivities, createRoutedInventoryActivities } from './orders/inventory';
import { createLabelActivities } from './orders/labels';
import { createReconcileActivities } from './orders/reconcile';
import { createShippingActivities } from './orders/shipping';
import { createReturnConnectorActivities, createReturnCoreActivities } from './returns';
import { createLockActivities, createStayActivities } from './stays';
import { createEventActivities } from './shared/events';
import { createHousekeepingActivities } from './shared/housekeeping';

export interface ActivityDeps {
  sequelize: Sequelize;
  storage: ObjectStorage;
  connectors: ConnectorRegistry;
  /** Starts and signals order workflows (reconcile); absent where no client is at hand. */
  intake?: OrderIntake;
  /** Places and changes reservations (pulled from OTAs); absent where no client is at hand. */
  reservations?: ReservationIntake;
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
  };
}

/**
 * Activities that call a partner; they run on that connector instance's own task queue, whose
 * worker holds the partner's rate limit. Every connector queue offers them all; a workflow sends
 * each to the queue of the connector it names.
 */
export function createConnectorActivities(deps: ActivityDeps) {
  return {
    ...createShippingActivities(deps),
    ...createLabelActivities(deps),
    ...createChannelActivities(deps),
    ...createAccountingActivities(deps),
    ...createReconcileActivities(deps),
    ...createReturnConnectorActivities(deps),
    ...createLockActivities(deps),
    ...createChannelSyncActivities(deps),
    ...createStockSyncActivities(deps),
    ...createReservationPullActivities(deps),
    ...createCatalogueImportActivities(deps),
  };
}

export type CoreActivities = ReturnType<typeof createCoreActivities>;
export type ConnectorActivities = ReturnType<typeof createConnectorActivities>;
