// First: tracing instruments `http` before anything else loads it.
import '../platform/tracing-entry';
import { bootFromEnvironment } from '../platform/bootstrap';
import { createLogger, logProcessWarnings } from '../platform/logger';
import { createApp } from './app';
import { listen } from '../platform/listen';
import { stopTracing } from '../platform/tracing';

/** The API process of a deployment (see docker-compose.yml). */
async function main(): Promise<void> {
  const logger = createLogger(process.env.LOG_LEVEL, 'crossdock-api');
  logProcessWarnings(logger);
  const { settings, services } = await bootFromEnvironment(logger);
  const host = process.env.HOST ?? '0.0.0.0';
  const { server, port } = await listen(createApp(services, logger), settings.apiPort, host);
  logger.info({ port }, 'API listening');
  // SIGTERM: no new connections; requests in flight finish, then the process exits, within 25 s.
  const stop = () => {
    logger.info('API draining');
    server.close(() => void Promise.all([services.close(), stopTracing()]).then(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 25_000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  createLogger(process.env.LOG_LEVEL, 'crossdock-api').fatal({ err: error }, 'process failed');
  process.exit(1);
});
