import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { ConnectorRegistry } from '../connectors/registry';
import type { hubHousekeeping, shopifyReconcile } from '../workflows';
import type { HubConfig } from './config/schema';

export function reconcileScheduleId(connectorId: string): string {
  return `shopify-reconcile:${connectorId}`;
}

/**
 * One Temporal Schedule per Shopify store pulls orders changed since its last run, so a missed
 * webhook is never a lost order. Created if missing, its interval updated from the config if not.
 * Runs never overlap: a slow pass makes the next one wait its turn.
 */
export async function ensureReconcileSchedules(
  client: Client,
  config: HubConfig,
  connectors: ConnectorRegistry,
): Promise<string[]> {
  const ids: string[] = [];
  for (const connector of config.connectors.filter((c) => c.kind === 'marketplace' && c.type === 'shopify')) {
    const every = connectors.shopifyStore(connector.id).options.reconcileEverySeconds;
    const scheduleId = reconcileScheduleId(connector.id);
    const spec = { intervals: [{ every: every * 1000 }] };
    try {
      await client.schedule.create({
        scheduleId,
        spec,
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
        action: {
          type: 'startWorkflow',
          workflowType: 'shopifyReconcile' as const,
          args: [{ connectorId: connector.id }] as Parameters<typeof shopifyReconcile>,
          taskQueue: config.temporal.orchestrationTaskQueue,
          workflowId: scheduleId,
        },
      });
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(scheduleId).update((previous) => ({
        ...previous,
        spec,
        action: {
          ...previous.action,
          taskQueue: config.temporal.orchestrationTaskQueue,
        } as typeof previous.action,
      }));
    }
    ids.push(scheduleId);
  }
  return ids;
}

export const HOUSEKEEPING_SCHEDULE_ID = 'crossdock-housekeeping';
/** Receipts and delivered events are kept this long: far past any partner's redelivery window. */
export const RETENTION_DAYS = 30;

/** The daily housekeeping schedule, created if missing, pointed at this deployment's queue. */
export async function ensureHousekeepingSchedule(client: Client, config: HubConfig): Promise<string> {
  try {
    await client.schedule.create({
      scheduleId: HOUSEKEEPING_SCHEDULE_ID,
      spec: { intervals: [{ every: '1 day' }] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      action: {
        type: 'startWorkflow',
        workflowType: 'hubHousekeeping' as const,
        args: [{ olderThanDays: RETENTION_DAYS }] as Parameters<typeof hubHousekeeping>,
        taskQueue: config.temporal.orchestrationTaskQueue,
        workflowId: HOUSEKEEPING_SCHEDULE_ID,
      },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(HOUSEKEEPING_SCHEDULE_ID).update((previous) => ({
      ...previous,
      action: {
        ...previous.action,
        taskQueue: config.temporal.orchestrationTaskQueue,
      } as typeof previous.action,
    }));
  }
  return HOUSEKEEPING_SCHEDULE_ID;
}
