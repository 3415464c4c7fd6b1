import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { ConnectorRegistry } from '../connectors/registry';
import type { Sequelize } from 'sequelize';
import { allProperties } from '../db/stays/properties';
import type { ChannelSyncInput, OtaReservationPullInput } from '../workflows/channels/contract';
import type { ShopifyReconcileInput, TrackerReconcileInput } from '../workflows/orders/contract';
import type { HousekeepingInput } from '../workflows/shared/contract';
import type { NightAuditInput } from '../workflows/stays/contract';
import { channelConnections } from './channel-syncs';
import { channelSyncSummary } from '../domain/channels/describe';
import { nightAuditSummary } from '../domain/stays/describe';
import type { ConnectorConfig, HubConfig } from '../platform/config/schema';

/** A reconcile pass: the workflow a connector's schedule starts, with its input. */
export interface ReconcilePass {
  workflowType: 'shopifyReconcile' | 'trackerReconcile' | 'otaReservationPull';
  args: [ShopifyReconcileInput] | [TrackerReconcileInput] | [OtaReservationPullInput];
  /** What the pass is, in one line, for the Temporal UI. */
  summary: string;
}

/** A Shopify store's orders changed since its last pass. */
const storeReconcile = (connectorId: string): ReconcilePass => ({
  workflowType: 'shopifyReconcile',
  args: [{ connectorId }],
  summary: `Order reconcile of store ${connectorId}: orders changed since the last pass`,
});
/** A carrier's parcels quiet for `quietMinutes` (the workflow's default when not given). */
const trackerReconcile = (tenantId: string, connectorId: string, quietMinutes?: number): ReconcilePass => ({
  workflowType: 'trackerReconcile',
  args: [{ tenantId, connectorId, ...(quietMinutes === undefined ? {} : { quietMinutes }) }],
  summary: `Tracker reconcile of carrier ${connectorId} (${tenantId}): quiet parcels asked at the carrier`,
});
/** An OTA connection's reservations waiting for the hotel's pull. */
const reservationPull = (tenantId: string, connectorId: string): ReconcilePass => ({
  workflowType: 'otaReservationPull',
  args: [{ tenantId, connectorId }],
  summary: `Reservation pull of ${connectorId} (${tenantId})`,
});

/**
 * The pass a connector's schedule runs, for ops to run now (after an outage): a Shopify store's,
 * a carrier's, or an OTA connection's that pulls; undefined for a connector that is only pushed to.
 */
export function reconcilePassOf(
  connector: ConnectorConfig,
  connectors: ConnectorRegistry,
  quietMinutes?: number,
): ReconcilePass | undefined {
  if (connector.kind === 'marketplace' && connector.type === 'shopify') return storeReconcile(connector.id);
  if (connector.kind === 'carrier') return trackerReconcile(connector.tenant, connector.id, quietMinutes);
  const pulls = connectors
    .otaChannels()
    .some((c) => c.connectorId === connector.id && c.options.pullEverySeconds !== undefined);
  return pulls ? reservationPull(connector.tenant, connector.id) : undefined;
}

/**
 * A schedule's id, which its runs take as their workflow id too: the kind of schedule, then what
 * it is for (the tenant and connector or property, or the connector alone).
 */
function scheduleIdOf(kind: string, ...scope: string[]): string {
  return [kind, ...scope].join(':');
}

export const HOUSEKEEPING_SCHEDULE_ID = 'crossdock-housekeeping';
/** Receipts and delivered events are kept this long: far past any partner's redelivery window. */
export const RETENTION_DAYS = 30;

/** A schedule: when it runs, and the workflow each run starts. */
interface ScheduleDeclaration {
  scheduleId: string;
  spec: ScheduleSpec;
  workflowType: string;
  args: unknown[];
  /** One line naming each run in the Temporal UI. */
  summary: string;
  catchupWindow?: Duration;
}

/**
 * Creates a schedule that starts `workflowType` on this deployment's orchestration queue, or, if
 * it exists, brings its interval and queue up to date. Runs never overlap: a slow run makes the
 * next one wait its turn. The workflow id is the schedule id, so runs are easy to find.
 */
async function ensureSchedule(
  client: Client,
  config: HubConfig,
  schedule: ScheduleDeclaration,
): Promise<string> {
  const taskQueue = config.temporal.orchestrationTaskQueue;
  try {
    await client.schedule.create({
      scheduleId: schedule.scheduleId,
      spec: schedule.spec,
      policies: {
        overlap: ScheduleOverlapPolicy.SKIP,
        ...(schedule.catchupWindow ? { catchupWindow: schedule.catchupWindow } : {}),
      },
      action: {
        type: 'startWorkflow',
        workflowType: schedule.workflowType,
        args: schedule.args,
        taskQueue,
        workflowId: schedule.scheduleId,
        staticSummary: schedule.summary,
      },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(schedule.scheduleId).update((previous) => ({
      ...previous,
      spec: schedule.spec,
      action: { ...previous.action, taskQueue, staticSummary: schedule.summary } as typeof previous.action,
    }));
  }
  return schedule.scheduleId;
}

/**
 * The schedules of a set of connectors or properties, ensured one after the other in their order;
 * an item `scheduleOf` gives none for goes without. The ids of the schedules ensured.
 */
async function ensureSchedulesOf<T>(
  client: Client,
  config: HubConfig,
  items: Iterable<T>,
  scheduleOf: (item: T) => ScheduleDeclaration | undefined,
): Promise<string[]> {
  const ids: string[] = [];
  for (const item of items) {
    const schedule = scheduleOf(item);
    if (schedule) ids.push(await ensureSchedule(client, config, schedule));
  }
  return ids;
}

/**
 * One Temporal Schedule per Shopify store pulls orders changed since its last run, so a missed
 * webhook is never a lost order; its interval comes from the connector's options.
 */
export async function ensureReconcileSchedules(
  client: Client,
  config: HubConfig,
  connectors: ConnectorRegistry,
): Promise<string[]> {
  const stores = config.connectors.filter((c) => c.kind === 'marketplace' && c.type === 'shopify');
  return ensureSchedulesOf(client, config, stores, (connector) => {
    const every = connectors.shopifyStore(connector.id).options.reconcileEverySeconds;
    return {
      scheduleId: scheduleIdOf('shopify-reconcile', connector.id),
      spec: { intervals: [{ every: every * 1000 }] },
      ...storeReconcile(connector.id),
      catchupWindow: '1 hour',
    };
  });
}

/**
 * Every carrier connector's parcels are checked at the carrier every 15 minutes for scans its
 * webhooks never delivered (the hub could not take them for longer than the carrier retried).
 */
export function ensureTrackerReconcileSchedules(client: Client, config: HubConfig): Promise<string[]> {
  const carriers = config.connectors.filter((c) => c.kind === 'carrier');
  return ensureSchedulesOf(client, config, carriers, (connector) => ({
    scheduleId: scheduleIdOf('tracker-reconcile', connector.id),
    spec: { intervals: [{ every: '15 minutes' }] },
    ...trackerReconcile(connector.tenant, connector.id),
    catchupWindow: '1 hour',
  }));
}

/** The daily housekeeping schedule (old webhook receipts and delivered events). */
export async function ensureHousekeepingSchedule(client: Client, config: HubConfig): Promise<string> {
  const args: [HousekeepingInput] = [{ olderThanDays: RETENTION_DAYS }];
  return ensureSchedule(client, config, {
    scheduleId: HOUSEKEEPING_SCHEDULE_ID,
    spec: { intervals: [{ every: '1 day' }] },
    workflowType: 'hubHousekeeping',
    args,
    summary: `Housekeeping: webhook receipts and delivered events older than ${RETENTION_DAYS} days deleted`,
  });
}

export const CALENDAR_HORIZON_SCHEDULE_ID = 'crossdock-calendar-horizon';

/** The daily schedule that keeps every property's calendar its horizon ahead (00:30 UTC). */
export async function ensureCalendarHorizonSchedule(client: Client, config: HubConfig): Promise<string> {
  const args: [] = [];
  return ensureSchedule(client, config, {
    scheduleId: CALENDAR_HORIZON_SCHEDULE_ID,
    spec: { calendars: [{ hour: 0, minute: 30 }] },
    workflowType: 'calendarHorizon',
    args,
    summary: "Calendar horizon: every property's calendar kept its horizon ahead",
    catchupWindow: '1 day',
  });
}

/** One night audit per property, at 23:50 on the property's own clock. */
export async function ensureNightAuditSchedules(
  client: Client,
  config: HubConfig,
  sequelize: Sequelize,
): Promise<string[]> {
  return ensureSchedulesOf(client, config, await allProperties(sequelize), (property) =>
    config.tenants.some((t) => t.id === property.tenantId) ? nightAuditSchedule(property) : undefined,
  );
}

/** The night audit schedule of one property (a property declared while the hub runs gets its own at once). */
export function ensureNightAuditSchedule(
  client: Client,
  config: HubConfig,
  property: { tenantId: string; id: string; timeZone: string },
): Promise<string> {
  return ensureSchedule(client, config, nightAuditSchedule(property));
}

function nightAuditSchedule(property: {
  tenantId: string;
  id: string;
  timeZone: string;
}): ScheduleDeclaration {
  const args: [NightAuditInput] = [{ tenantId: property.tenantId, propertyId: property.id }];
  return {
    scheduleId: scheduleIdOf('night-audit', property.tenantId, property.id),
    spec: { calendars: [{ hour: 23, minute: 50 }], timezone: property.timeZone },
    workflowType: 'nightAudit',
    args,
    summary: nightAuditSummary(property),
    catchupWindow: '6 hours',
  };
}

/**
 * A complete set to every channel connection each night (03:30 UTC): OTAs and the stores whose
 * stock the hub keeps, so a channel that drifted (a change made in its extranet or admin, a
 * message it lost) is put right within a day.
 */
export async function ensureChannelResyncSchedules(
  client: Client,
  config: HubConfig,
  connectors: ConnectorRegistry,
): Promise<string[]> {
  return ensureSchedulesOf(client, config, channelConnections(config, connectors), (connection) => {
    const args: [ChannelSyncInput] = [connection];
    return {
      scheduleId: scheduleIdOf('channel-resync', connection.tenantId, connection.connectorId),
      spec: { calendars: [{ hour: 3, minute: 30 }] },
      workflowType: 'channelResync',
      args,
      summary: `Nightly complete set · ${channelSyncSummary(connection)}`,
    };
  });
}

export function reservationPullScheduleId(tenantId: string, connectorId: string): string {
  return scheduleIdOf('ota-pull', tenantId, connectorId);
}

/** Each OTA connection that does not push has its reservations pulled on its own interval. */
export async function ensureReservationPullSchedules(
  client: Client,
  config: HubConfig,
  connectors: ConnectorRegistry,
): Promise<string[]> {
  return ensureSchedulesOf(client, config, connectors.otaChannels(), (channel) => {
    const every = channel.options.pullEverySeconds;
    if (every === undefined) return undefined;
    return {
      scheduleId: reservationPullScheduleId(channel.tenantId, channel.connectorId),
      spec: { intervals: [{ every: every * 1000 }] },
      ...reservationPull(channel.tenantId, channel.connectorId),
      catchupWindow: '10 minutes',
    };
  });
}
