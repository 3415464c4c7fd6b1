import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import type { Sequelize } from 'sequelize';
import { ConnectorRegistry } from '../../connectors/registry';
import { createDatabase } from '../../db/database';
import { ALL_SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import type { HubConfig } from '../../platform/config/schema';
import { createIntakes, type Intakes } from '../../intake';
import { ObjectStorage } from '../../platform/storage';
import { createWorkers, runWorkers } from '../../worker/create-workers';
import { endpointsFromEnv, quietRuntime, testConfig, workflowBundle } from './hub';

/**
 * The hub's intakes are those `npm start` builds, on a client of their own as in production: one
 * whose waits do not move the test server's clock (the environment's own client lets time skip
 * while it awaits a result).
 */
export interface TimeSkippingHub extends Intakes {
  env: TestWorkflowEnvironment;
  config: HubConfig;
  sequelize: Sequelize;
  storage: ObjectStorage;
  stop(): Promise<void>;
}

/** The test server has no ListSearchAttributes, but registers with AddSearchAttributes. */
async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  await env.client.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      ALL_SEARCH_ATTRIBUTES.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
    ),
  });
}

/**
 * Workers with their real activities (stock in PostgreSQL, partners in the sandbox over HTTP,
 * documents in S3) on the time-skipping test server, where days pass in milliseconds.
 */
export async function startTimeSkippingHub(): Promise<TimeSkippingHub> {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: process.env.CROSSDOCK_TEST_SERVER! } },
  });
  await registerSearchAttributes(env);
  const endpoints = endpointsFromEnv();
  const sequelize = createDatabase(endpoints.databaseUrl);
  const storage = new ObjectStorage({
    endpoint: endpoints.s3Endpoint,
    region: 'us-east-1',
    bucket: endpoints.s3Bucket,
    credentials: endpoints.s3Credentials,
  });
  await storage.ensureBucket();
  const config = testConfig();
  const namespace = env.namespace ?? 'default';
  const client = new Client({ connection: env.connection, namespace });
  const intakes = createIntakes(client, config, sequelize);
  const workers = await createWorkers({
    connection: env.nativeConnection,
    namespace,
    config,
    deps: { sequelize, storage, connectors: new ConnectorRegistry(config), intake: intakes.intake },
    workflowBundle: workflowBundle(),
    shutdownGrace: '0 seconds', // a test hub's stop cancels what it left running
  });
  const running = runWorkers(workers);
  return {
    env,
    config,
    sequelize,
    storage,
    ...intakes,
    async stop() {
      workers.forEach((worker) => worker.shutdown());
      await running;
      await sequelize.close();
      storage.close();
      await env.teardown();
    },
  };
}

/**
 * Starts a time-skipping hub before the enclosing describe's tests and stops it after them; call
 * it in the describe, and read the hub through the accessor it returns.
 */
export function timeSkippingHubForTests(): () => TimeSkippingHub {
  let hub: TimeSkippingHub | undefined;
  beforeAll(async () => {
    hub = await startTimeSkippingHub();
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });
  return () => {
    if (!hub) throw new Error('the time-skipping hub is read before it started');
    return hub;
  };
}

const TEN_DAYS_MS = 10 * 86_400_000;

/**
 * Moves the test server's clock forward by `ms`. It takes sleeps in 32-bit milliseconds (a sleep
 * over ~24.8 days jumps years), so longer ones go in steps of ten days.
 */
export async function sleepInSteps(env: TestWorkflowEnvironment, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= TEN_DAYS_MS) await env.sleep(Math.min(left, TEN_DAYS_MS));
}

/** Moves the test server's clock to `instant` (epoch milliseconds), in steps. */
export async function skipTo(env: TestWorkflowEnvironment, instant: number): Promise<void> {
  await sleepInSteps(env, instant - (await env.currentTimeMs()));
}

/** The workflow's own words when an Update is refused (its validator's or handler's message). */
export async function updateRefusal(update: Promise<unknown>): Promise<string> {
  const error = await update.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WorkflowUpdateFailedError))
    throw new Error(`expected a refusal, got ${String(error)}`);
  return error.cause?.message ?? error.message;
}
