import { randomBytes } from 'node:crypto';
import axios from 'axios';
import { join } from 'node:path';
import { Runtime, type Worker } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { checkAnswersOf, stopCheckingAnswersOf } from './answer-contract';
import { listen } from '../../platform/listen';
import { loadConfigFile } from '../../platform/config/load';
import type { HubConfig } from '../../platform/config/schema';
import { createLogger } from '../../platform/logger';
import {
  connectServices,
  s3CredentialsFromEnv,
  type Endpoints,
  type HubServices,
} from '../../platform/services';
import { channelConnections } from '../../intake/channel-syncs';
import { applySetupFiles, assertChannelMappings } from '../../intake/setup-files';
import { startBackground } from '../../worker/background';
import { channelSyncWorkflowId } from '../../workflows/channels/contract';
import { startHubWorkers } from '../../worker/hub-workers';

/** The sandbox carriers forget this hub's tracking webhooks, so later hubs get no stray events. */
async function unregisterCarrierWebhooks(apiUrl: string): Promise<void> {
  const key = process.env.CROSSDOCK_SANDBOX_EASYPOST_KEY!;
  for (const prefix of ['easypost', 'easypost-b']) {
    const api = axios.create({
      baseURL: `${process.env.CROSSDOCK_SANDBOX_URL}/${prefix}/v2`,
      auth: { username: key, password: '' },
    });
    const { data } = await api.get<{ webhooks: Array<{ id: string; url: string }> }>('webhooks');
    for (const hook of data.webhooks.filter((w) => w.url.startsWith(apiUrl)))
      await api.delete(`webhooks/${hook.id}`);
  }
}

export const ROOT = join(__dirname, '..', '..');

let runtimeConfigured = false;
/** Keeps the worker runtime quiet in test output; warnings and errors still show. */
export function quietRuntime(): void {
  if (runtimeConfigured) return;
  runtimeConfigured = true;
  Runtime.install({
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (m: string) => console.error(m),
    },
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
  });
}

export function endpointsFromEnv(): Endpoints {
  return {
    temporalAddress: process.env.TEMPORAL_ADDRESS!,
    temporalNamespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    databaseUrl: process.env.DATABASE_URL!,
    s3Endpoint: process.env.S3_ENDPOINT,
    s3Bucket: process.env.S3_BUCKET ?? 'crossdock',
    s3Region: 'us-east-1',
    s3Credentials: s3CredentialsFromEnv(),
  };
}

/** The default config file, as integrators ship it, with a task queue of this test's own. */
export function testConfig(): HubConfig {
  const config = loadConfigFile(join(ROOT, 'crossdock.config.yaml'), { requireSecrets: true });
  return {
    ...config,
    temporal: { orchestrationTaskQueue: `crossdock-test-${randomBytes(4).toString('hex')}` },
  };
}

export function workflowBundle() {
  return { codePath: process.env.CROSSDOCK_TEST_WORKFLOW_BUNDLE! };
}

export interface TestHub {
  services: HubServices;
  config: HubConfig;
  apiUrl: string;
  sandboxUrl: string;
  workers: Worker[];
  stop(): Promise<void>;
}

/** The hub as `npm start` runs it (workers + API) against the shared test infrastructure. */
export async function startTestHub(
  adjust: (config: HubConfig) => void = () => undefined,
  /** Tenants whose setup files are applied before the hub serves, as start-up does. */
  options: {
    applySetupFiles?: string[];
    /** Read each new Shopify store's catalogue at start, as `npm start` does (off: tests share the sandbox store). */
    catalogueImports?: boolean;
  } = {},
): Promise<TestHub> {
  quietRuntime();
  const config = testConfig();
  adjust(config);
  const services = await connectServices(config, endpointsFromEnv());
  await services.storage.ensureBucket();
  // As start-up does: the tenants' setup files applied, then every OTA mapping checked.
  if (options.applySetupFiles) {
    await applySetupFiles(
      services,
      join(ROOT, 'crossdock.config.yaml'),
      createLogger('silent'),
      options.applySetupFiles,
    );
    await assertChannelMappings(services, options.applySetupFiles);
  }
  const { connection, workers, running } = await startHubWorkers(services, {
    workflowBundle: workflowBundle(),
    shutdownGrace: '0 seconds', // a test hub's stop cancels what it left running
  });
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const app = createApp(services, logger);
  const { server, port } = await listen(app, 0, '127.0.0.1');
  const apiUrl = `http://127.0.0.1:${port}`;
  checkAnswersOf(apiUrl, app.locals.openApi);
  // Scheduled night audits would fire at 23:50 in some test property's zone: tests run audits themselves.
  const background = await startBackground(services, apiUrl, logger, {
    nightAudits: false,
    calendarHorizon: false,
    catalogueImports: options.catalogueImports ?? false,
  });
  return {
    services,
    config,
    workers,
    apiUrl,
    sandboxUrl: process.env.CROSSDOCK_SANDBOX_URL!,
    async stop() {
      // Channel syncs are entity workflows on this hub's task queue: the next hub starts its own.
      for (const c of channelConnections(config, services.connectors))
        await services.client.workflow
          .getHandle(channelSyncWorkflowId(c.tenantId, c.connectorId))
          .terminate('test hub stopped')
          .catch(() => undefined);
      // Whatever else this hub started and left running (an exchange's order, a stay still open)
      // ends with it: connector queues are shared by name, and the next hub's connector workers
      // would otherwise run its activities inside another test's counts.
      await terminateRunning(services, config.temporal.orchestrationTaskQueue);
      stopCheckingAnswersOf(apiUrl);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await background.stop();
      await unregisterCarrierWebhooks(apiUrl);
      await connection.close();
      await services.close();
    },
  };
}

async function terminateRunning(services: HubServices, taskQueue: string): Promise<void> {
  const running = services.client.workflow.list({
    query: `TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"`,
  });
  for await (const execution of running)
    await services.client.workflow
      .getHandle(execution.workflowId, execution.runId)
      .terminate('test hub stopped')
      .catch(() => undefined);
}
