import type { Sequelize } from 'sequelize';
import { recordEvent } from '../../db/outbox';
import type { HubEvent } from '../../domain/events';

/** Workflows announce a state only after it is durable: this runs after the state change is recorded. */
export function createEventActivities(deps: { sequelize: Sequelize }) {
  return {
    async recordEvent(event: HubEvent): Promise<void> {
      await recordEvent(deps.sequelize, event);
    },
  };
}
