import type { Sequelize } from 'sequelize';
import { pruneOldRecords, type Pruned } from '../../db/retention';

export function createHousekeepingActivities(deps: { sequelize: Sequelize }) {
  return {
    async pruneOldRecords(request: { olderThanDays: number }): Promise<Pruned> {
      return pruneOldRecords(deps.sequelize, request.olderThanDays);
    },
  };
}
