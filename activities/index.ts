import type { Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../connectors/registry';
import type { ObjectStorage } from '../platform/storage';
import { createInventoryActivities } from './orders/inventory';
import { createShippingActivities } from './orders/shipping';

export interface ActivityDeps {
  sequelize: Sequelize;
  storage: ObjectStorage;
  connectors: ConnectorRegistry;
}

/** Activities that touch only our own infrastructure; they run on the orchestration task queue. */
export function createCoreActivities(deps: ActivityDeps) {
  return { ...createInventoryActivities(deps) };
}

/** Activities that call a carrier; they run on that carrier connector's own task queue. */
export function createCarrierActivities(deps: ActivityDeps) {
  return { ...createShippingActivities(deps) };
}

export type CoreActivities = ReturnType<typeof createCoreActivities>;
export type CarrierActivities = ReturnType<typeof createCarrierActivities>;
