import { EventDispatcher } from './event-dispatcher';
import type { Logger } from '../platform/logger';
import { startChannelSync } from '../intake/channel-syncs';
import { importNewStores } from '../intake/catalogue-import';
import {
  ensureCalendarHorizonSchedule,
  ensureChannelResyncSchedules,
  ensureHousekeepingSchedule,
  ensureNightAuditSchedules,
  ensureReconcileSchedules,
  ensureReservationPullSchedules,
  ensureTrackerReconcileSchedules,
} from '../intake/schedules';
import type { HubServices } from '../platform/services';

export function carrierWebhookUrl(publicUrl: string, connectorId: string): string {
  return `${publicUrl}/webhooks/carriers/${connectorId}`;
}

/**
 * Each carrier connector's tracking webhook points at this hub, registered once however many
 * workers start together: a connector's registration holds a PostgreSQL advisory lock, so the
 * second worker finds the first one's webhook instead of adding another (every scan would then
 * arrive twice).
 */
export async function registerCarrierWebhooks(
  services: Pick<HubServices, 'config' | 'connectors' | 'sequelize'>,
  publicUrl: string,
  logger: Logger,
): Promise<void> {
  for (const connector of services.config.connectors.filter((c) => c.kind === 'carrier')) {
    try {
      await services.sequelize.transaction(async (transaction) => {
        await services.sequelize.query("SELECT pg_advisory_xact_lock(hashtext('carrier-webhook:' || :id))", {
          replacements: { id: connector.id },
          transaction,
        });
        await services.connectors
          .carrier(connector.id)
          .ensureWebhook(carrierWebhookUrl(publicUrl, connector.id));
      });
    } catch (error) {
      // Tracking still arrives once the carrier is reachable and the hub restarts; orders are not held up.
      logger.warn({ err: error, connector: connector.id }, 'could not register the carrier tracking webhook');
    }
  }
}

/**
 * What a worker process runs beside its Temporal workers: the event outbox dispatcher, the
 * reconcile schedules of every Shopify store, the carriers' tracking webhooks pointed at us, and
 * the channel synchronisation (its listener and nightly complete sets).
 */
export async function startBackground(
  services: HubServices,
  publicUrl: string,
  logger: Logger,
  /**
   * Night audits run on each property's clock, and the calendars are extended daily; a test hub
   * drives both itself instead; so too the first import of each Shopify store's catalogue.
   */
  options: { nightAudits?: boolean; calendarHorizon?: boolean; catalogueImports?: boolean } = {},
): Promise<{ dispatcher: EventDispatcher; stop(): Promise<void> }> {
  const dispatcher = new EventDispatcher(services.sequelize, services.config, logger);
  dispatcher.start();
  let channels: { stop(): Promise<void> };
  try {
    const schedules = [
      ...(await ensureReconcileSchedules(services.client, services.config, services.connectors)),
      ...(await ensureTrackerReconcileSchedules(services.client, services.config)),
      await ensureHousekeepingSchedule(services.client, services.config),
      ...(options.calendarHorizon === false
        ? []
        : [await ensureCalendarHorizonSchedule(services.client, services.config)]),
      ...(await ensureChannelResyncSchedules(services.client, services.config, services.connectors)),
      ...(await ensureReservationPullSchedules(services.client, services.config, services.connectors)),
      ...(options.nightAudits === false
        ? []
        : await ensureNightAuditSchedules(services.client, services.config, services.sequelize)),
    ];
    if (schedules.length) logger.info({ schedules }, 'schedules in place');
    if (options.catalogueImports !== false) {
      const imports = await importNewStores(services.client, services.config, services.sequelize);
      if (imports.length)
        logger.info({ connectors: imports }, 'importing the catalogues of new Shopify stores');
    }
    await registerCarrierWebhooks(services, publicUrl, logger);
    channels = await startChannelSync({
      ...services,
      databaseUrl: services.endpoints.databaseUrl,
      logger,
    });
  } catch (error) {
    // Started again once what it needs is back (untilReachable): never two dispatchers.
    await dispatcher.stop();
    throw error;
  }
  return {
    dispatcher,
    async stop() {
      await channels.stop();
      await dispatcher.stop();
    },
  };
}
