import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/workflow-bundle';
import { createDatabase, migrate } from '../../db/database';
import { startInfrastructure } from '../../platform/embedded';
import { ensureTimeSkippingServer } from '../../platform/infra/time-skipping-server';
import { readSettings } from '../../platform/settings';
import { startSandbox } from '../../sandbox/server';
import { listSecretRefs, loadConfigFile } from '../../platform/config/load';
import type { TestStack } from './stack';

/**
 * Starts the real infrastructure once per tier's run: PostgreSQL, a local S3, the sandbox partners
 * and, for the e2e tier, a Temporal dev server (unless the environment points at real ones);
 * migrates the schema, bundles the workflows and resolves the time-skipping server. Tests find it
 * all in process.env. The unit tier starts none of it.
 */
export async function startTestStack(tier: 'workflow' | 'e2e'): Promise<void> {
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-test-'));
  chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user and must reach its data directory
  const settings = readSettings();

  // Every secret the shipped config names gets a fresh value for this run (API keys, partner tokens).
  for (const { ref } of listSecretRefs(loadConfigFile(settings.configPath))) {
    process.env[ref.env] = `test_${randomBytes(12).toString('hex')}`;
  }
  const sandbox = await startSandbox(0, {});
  process.env.CROSSDOCK_SANDBOX_URL = sandbox.url;
  process.env.CROSSDOCK_ACME_EVENTS_URL = `${sandbox.url}/__sandbox/inbox/acme-erp`;

  const infra = await startInfrastructure(settings, {
    persistent: false,
    dataDir,
    ports: { temporalUi: null },
    withoutTemporal: tier === 'workflow', // the time-skipping tests bring their own server
    log: (message) => console.log(message),
  });
  process.env.TEMPORAL_ADDRESS = infra.endpoints.temporalAddress;
  process.env.TEMPORAL_NAMESPACE = infra.endpoints.temporalNamespace;
  process.env.DATABASE_URL = infra.endpoints.databaseUrl;
  process.env.S3_ENDPOINT = infra.endpoints.s3Endpoint;
  process.env.S3_BUCKET = infra.endpoints.s3Bucket;
  if (infra.endpoints.s3Credentials) {
    process.env.AWS_ACCESS_KEY_ID = infra.endpoints.s3Credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = infra.endpoints.s3Credentials.secretAccessKey;
  }

  const sequelize = createDatabase(infra.endpoints.databaseUrl);
  await migrate(sequelize);
  await sequelize.close();

  const bundle = await bundleWorkflowCode({
    ...WORKFLOW_BUNDLE_OPTIONS,
    logger: quietLogger,
  });
  const bundlePath = join(dataDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  process.env.CROSSDOCK_TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.CROSSDOCK_TEST_SERVER = ensureTimeSkippingServer(settings.cacheDir);

  const stack: TestStack = {
    dataDir,
    stop: async () => {
      await infra.stop();
      await sandbox.stop();
    },
  };
  (globalThis as { __crossdockStack?: TestStack }).__crossdockStack = stack;
  console.log(
    `\n${tier} test infrastructure up in ${Date.now() - started} ms (embedded: ${infra.embedded.join(', ') || 'none'})`,
  );
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
