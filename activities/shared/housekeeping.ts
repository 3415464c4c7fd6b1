import type { Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../../connectors/registry';
import { extendAllCalendars } from '../../db/master-data/calendar';
import { pruneOldRecords, type Pruned } from '../../db/retention';

export function createHousekeepingActivities(deps: { sequelize: Sequelize; connectors: ConnectorRegistry }) {
  const horizons = () => new Map(deps.connectors.config.tenants.map((t) => [t.id, t.stays.horizonDays]));
  return {
    async pruneOldRecords(request: { olderThanDays: number }): Promise<Pruned> {
      return pruneOldRecords(deps.sequelize, request.olderThanDays);
    },

    /** Every property's calendar kept its tenant's `stays.horizonDays` ahead (new nights marked for channels). */
    async extendCalendars(): Promise<{ properties: number }> {
      const byTenant = horizons();
      return extendAllCalendars(deps.sequelize, (tenantId) => byTenant.get(tenantId));
    },
  };
}
