import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Runtime settings from the environment. Every address left unset means "use the embedded
 * default" (dev server, embedded PostgreSQL, local S3, sandbox partners) so a fresh machine runs
 * `npm start` with nothing configured.
 */
export interface Settings {
  configPath: string;
  dataDir: string;
  cacheDir: string;
  temporalAddress?: string;
  temporalNamespace: string;
  temporalUiPort: number;
  databaseUrl?: string;
  s3Endpoint?: string;
  s3Bucket: string;
  s3Region: string;
  apiPort: number;
  /** The worker process's health endpoints (`/health/live`, `/health/ready`) and its `/metrics`. */
  workerHealthPort: number;
  /** Where the Temporal SDK serves its own Prometheus metrics (worker processes); 0: not served. */
  temporalMetricsPort: number;
  /** Where partners reach this hub's webhooks (carrier tracking is registered with it). */
  publicUrl: string;
  sandboxPort: number;
  logLevel: string;
}

type Env = Record<string, string | undefined>;

function intFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535)
    throw new Error(`${name} must be a port number, got "${raw}"`);
  return value;
}

export function readSettings(env: Env = process.env): Settings {
  const root = resolve(__dirname, '..');
  return {
    configPath: resolve(env.CROSSDOCK_CONFIG ?? join(root, 'crossdock.config.yaml')),
    dataDir: resolve(env.CROSSDOCK_DATA_DIR ?? join(root, '.data')),
    cacheDir: resolve(env.CROSSDOCK_CACHE_DIR ?? join(homedir(), '.cache', 'crossdock')),
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    temporalUiPort: intFrom(env, 'TEMPORAL_UI_PORT', 8233),
    databaseUrl: env.DATABASE_URL || undefined,
    s3Endpoint: env.S3_ENDPOINT || undefined,
    s3Bucket: env.S3_BUCKET || 'crossdock',
    s3Region: env.S3_REGION || env.AWS_REGION || 'us-east-1',
    apiPort: intFrom(env, 'PORT', 3000),
    workerHealthPort: intFrom(env, 'WORKER_HEALTH_PORT', 3001),
    temporalMetricsPort: intFrom(env, 'TEMPORAL_METRICS_PORT', 0),
    publicUrl: (env.CROSSDOCK_PUBLIC_URL || `http://127.0.0.1:${intFrom(env, 'PORT', 3000)}`).replace(
      /\/$/,
      '',
    ),
    sandboxPort: intFrom(env, 'CROSSDOCK_SANDBOX_PORT', 4010),
    logLevel: env.LOG_LEVEL || 'info',
  };
}
