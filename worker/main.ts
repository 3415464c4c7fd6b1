// First: tracing instruments `http` before anything else loads it.
import '../platform/tracing-entry';
import { NativeConnection } from '@temporalio/worker';
import { bootFromEnvironment } from '../platform/bootstrap';
import { createLogger, logProcessWarnings } from '../platform/logger';
import { installTemporalRuntime } from '../platform/temporal-runtime';
import { stopTracing } from '../platform/tracing';
import { temporalSecurityFromEnv } from '../platform/infra/connection-security';
import { untilReachable } from '../platform/infra/unavailable';
import { startBackground } from './background';
import { createWorkers, runWorkers } from './create-workers';
import { serveWorkerHealth, type WorkerProgress } from './health';

/** The worker process of a deployment (see docker-compose.yml). */
async function main(): Promise<void> {
  const logger = createLogger(process.env.LOG_LEVEL, 'crossdock-worker');
  logProcessWarnings(logger);
  const { settings, services } = await bootFromEnvironment(logger);
  installTemporalRuntime(logger, { prometheusPort: settings.temporalMetricsPort || undefined });
  const progress: WorkerProgress = { workers: [], backgroundStarted: false };
  const health = await serveWorkerHealth(services, progress, settings.workerHealthPort, process.env.HOST);
  logger.info({ port: health.port }, 'worker health endpoints listening');
  const connection = await untilReachable(
    'connecting the worker to Temporal',
    () => NativeConnection.connect({ address: settings.temporalAddress!, ...temporalSecurityFromEnv() }),
    logger,
  );
  const workers = (progress.workers = await createWorkers({
    connection,
    namespace: settings.temporalNamespace,
    config: services.config,
    deps: services,
  }));
  const background = await untilReachable(
    'schedules, webhooks and the channel listener',
    () => startBackground(services, settings.publicUrl, logger),
    logger,
  );
  progress.backgroundStarted = true;
  const stop = () => workers.forEach((worker) => worker.getState() === 'RUNNING' && worker.shutdown());
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  logger.info({ taskQueues: workers.map((w) => w.options.taskQueue) }, 'worker running');
  await runWorkers(workers);
  await background.stop();
  await connection.close();
  health.server.close();
  await services.close();
  await stopTracing();
}

main().catch((error: unknown) => {
  createLogger(process.env.LOG_LEVEL, 'crossdock-worker').fatal({ err: error }, 'process failed');
  process.exit(1);
});
