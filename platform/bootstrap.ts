import { migrate } from '../db/database';
import { ALL_SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { loadConfigFile } from './config/load';
import type { Logger } from './logger';
import { connectServices, s3CredentialsFromEnv, type HubServices } from './services';
import { readSettings, type Settings } from './settings';
import { applySetupFiles, assertChannelMappings } from '../intake/setup-files';
import { ensureSearchAttributes } from './temporal';
import { untilReachable } from './infra/unavailable';

/**
 * Start-up of a production process (`api` or `worker` container): every address comes from the
 * environment, the schema is migrated, search attributes and the bucket are made to exist.
 */
export async function bootFromEnvironment(
  logger: Logger,
): Promise<{ settings: Settings; services: HubServices }> {
  const settings = readSettings();
  const missing = (['temporalAddress', 'databaseUrl'] as const).filter((key) => !settings[key]);
  if (missing.length > 0) {
    throw new Error(
      `set ${missing.map((k) => (k === 'temporalAddress' ? 'TEMPORAL_ADDRESS' : 'DATABASE_URL')).join(' and ')} (or use npm start for the embedded hub)`,
    );
  }
  const config = loadConfigFile(settings.configPath, { requireSecrets: true });
  // Started while PostgreSQL, Temporal or S3 is down (a restart of everything, a failover): wait
  // for them, never exit; a process that is not up yet answers no probe, so it is not ready.
  const services = await untilReachable(
    'connecting to Temporal',
    () =>
      connectServices(config, {
        temporalAddress: settings.temporalAddress!,
        temporalNamespace: settings.temporalNamespace,
        databaseUrl: settings.databaseUrl!,
        s3Endpoint: settings.s3Endpoint,
        s3Bucket: settings.s3Bucket,
        s3Region: settings.s3Region,
        s3Credentials: s3CredentialsFromEnv(),
      }),
    logger,
  );
  await untilReachable(
    'preparing the database, search attributes and bucket',
    () => prepareServices(services, logger, settings.configPath),
    logger,
  );
  return { settings, services };
}

/**
 * What every hub process needs before it serves: schema migrated, the tenants' setup files
 * applied (and every OTA connection's mapping checked against its property), search attributes,
 * bucket.
 */
export async function prepareServices(
  services: HubServices,
  logger: Logger,
  configPath: string,
): Promise<void> {
  const applied = await migrate(services.sequelize);
  if (applied.length) logger.info({ applied }, 'database migrated');
  await applySetupFiles(services, configPath, logger);
  await assertChannelMappings(services);
  const registered = await ensureSearchAttributes(
    services.client,
    services.endpoints.temporalNamespace,
    ALL_SEARCH_ATTRIBUTES,
  );
  if (registered.length) logger.info({ registered }, 'search attributes registered');
  await services.storage.ensureBucket();
}
