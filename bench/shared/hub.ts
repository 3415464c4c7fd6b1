import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { migrate } from '../../db/database';
import { listen } from '../../platform/listen';
import { prepareServices } from '../../platform/bootstrap';
import type { HubConfig } from '../../platform/config/schema';
import { listSecretRefs, loadConfigFile } from '../../platform/config/load';
import { startInfrastructure } from '../../platform/embedded';
import { LOCAL_S3_CREDENTIALS } from '../../platform/infra/s3-server';
import { createLogger } from '../../platform/logger';
import { connectServices, type HubServices } from '../../platform/services';
import { readSettings } from '../../platform/settings';
import { quietRuntime } from '../../tests/support/hub';
import { startBackground } from '../../worker/background';
import { createWorkers, runWorkers } from '../../worker/create-workers';

/**
 * Sandbox partners and S3 in a child process (their work is not the hub's); resolves with their
 * addresses. `stop` resolves once the process has gone: a caller that exits right after must not
 * leave it running.
 */
export function startPartners(
  s3Directory: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ sandboxUrl: string; s3Endpoint: string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'partners-process.ts'), s3Directory],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env,
    },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`partners process exited with ${code}`)));
    child.stdout.once('data', (chunk: Buffer) => {
      const addresses = JSON.parse(chunk.toString()) as { sandboxUrl: string; s3Endpoint: string };
      resolve({
        ...addresses,
        stop: () => {
          if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
          const gone = new Promise<void>((done) => child.once('exit', () => done()));
          child.kill('SIGTERM');
          // Should it not have gone in five seconds, it goes now.
          const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
          return gone.finally(() => clearTimeout(kill));
        },
      });
    });
  });
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

export interface BenchHub {
  config: HubConfig;
  services: HubServices;
  connection: NativeConnection;
  apiUrl: string;
  sandboxUrl: string;
  stop(): Promise<void>;
}

/**
 * The hub as `npm start` runs it (API, orchestration worker, a worker per connector, background)
 * on an in-memory Temporal dev server and embedded PostgreSQL, with the sandbox partners and S3
 * in a second process. `adjust` changes the config before anything starts; `beforeStart` writes
 * what the config refers to (a bench's own property) into the migrated database before the hub
 * checks its setup; `extraWorkers` run beside the hub's (a baseline's workflows).
 */
export async function startBenchHub(
  options: {
    adjust?: (config: HubConfig) => void;
    beforeStart?: (services: HubServices) => Promise<void>;
    extraWorkers?: (connection: NativeConnection, namespace: string) => Promise<Worker[]>;
  } = {},
): Promise<BenchHub> {
  quietRuntime();
  for (const { ref } of listSecretRefs(loadConfigFile(readSettings().configPath)))
    process.env[ref.env] = `bench_${randomBytes(9).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-bench-'));
  chmodSync(dataDir, 0o755);
  const partners = await startPartners(join(dataDir, 's3'));
  process.env.CROSSDOCK_SANDBOX_URL = partners.sandboxUrl;
  process.env.CROSSDOCK_ACME_EVENTS_URL = `${partners.sandboxUrl}/__sandbox/inbox/acme-erp`;
  process.env.S3_ENDPOINT = partners.s3Endpoint;
  process.env.AWS_ACCESS_KEY_ID = LOCAL_S3_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_S3_CREDENTIALS.secretAccessKey;
  const settings = readSettings();
  const infra = await startInfrastructure(settings, {
    persistent: false,
    dataDir,
    ports: { temporalUi: null },
    log: () => undefined,
  });
  const config = loadConfigFile(settings.configPath, { requireSecrets: true });
  options.adjust?.(config);
  const services = await connectServices(config, infra.endpoints);
  if (options.beforeStart) {
    await migrate(services.sequelize);
    await options.beforeStart(services);
  }
  const logger = createLogger(process.env.BENCH_LOG_LEVEL ?? 'silent');
  await prepareServices(services, logger, settings.configPath);
  const connection = await NativeConnection.connect({ address: infra.endpoints.temporalAddress });
  const namespace = infra.endpoints.temporalNamespace;
  const workers = [
    ...(await createWorkers({ connection, namespace, config, deps: services })),
    ...((await options.extraWorkers?.(connection, namespace)) ?? []),
  ];
  const running = runWorkers(workers);
  const { server, port } = await listen(createApp(services, logger), 0, '127.0.0.1');
  const apiUrl = `http://127.0.0.1:${port}`;
  const background = await startBackground(services, apiUrl, logger, {
    nightAudits: false,
    calendarHorizon: false,
  });
  return {
    config,
    services,
    connection,
    apiUrl,
    sandboxUrl: partners.sandboxUrl,
    async stop() {
      server.closeAllConnections();
      server.close();
      workers.forEach((w) => w.shutdown());
      await running;
      await background.stop();
      await connection.close();
      await services.close();
      await infra.stop();
      await partners.stop();
    },
  };
}
