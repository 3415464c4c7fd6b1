import { existsSync, readFileSync } from 'node:fs';

type Env = Record<string, string | undefined>;

/** What the client and the workers both pass to Temporal for a secured cluster or Temporal Cloud. */
export interface TemporalSecurity {
  tls?:
    | true
    | {
        clientCertPair?: { crt: Buffer; key: Buffer };
        serverRootCACertificate?: Buffer;
        serverNameOverride?: string;
      };
  apiKey?: string;
}

/** A PEM given inline, or the path of a file holding it (a mounted secret). */
function pem(env: Env, name: string): Buffer | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (value.startsWith('-----BEGIN')) return Buffer.from(env[name]!); // as given, newlines and all
  if (!existsSync(value))
    throw new Error(`${name} must be a PEM or the path of a file holding one; ${value} does not exist`);
  return readFileSync(value);
}

/**
 * Temporal's connection security from the environment: mTLS (`TEMPORAL_TLS_CERT` and
 * `TEMPORAL_TLS_KEY`, optionally `TEMPORAL_TLS_CA` and `TEMPORAL_TLS_SERVER_NAME`) or an API key
 * (`TEMPORAL_API_KEY`, which Temporal Cloud takes over TLS). Nothing set: plain gRPC, as the dev
 * server and a cluster inside the network speak.
 */
export function temporalSecurityFromEnv(env: Env = process.env): TemporalSecurity {
  const crt = pem(env, 'TEMPORAL_TLS_CERT');
  const key = pem(env, 'TEMPORAL_TLS_KEY');
  if (Boolean(crt) !== Boolean(key))
    throw new Error('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together: set both for mTLS, or neither');
  const ca = pem(env, 'TEMPORAL_TLS_CA');
  const serverName = env.TEMPORAL_TLS_SERVER_NAME?.trim() || undefined;
  const apiKey = env.TEMPORAL_API_KEY?.trim() || undefined;
  const explicitTls = crt || ca || serverName;
  const tls = explicitTls
    ? {
        ...(crt && key ? { clientCertPair: { crt, key } } : {}),
        ...(ca ? { serverRootCACertificate: ca } : {}),
        ...(serverName ? { serverNameOverride: serverName } : {}),
      }
    : apiKey
      ? (true as const)
      : undefined;
  return { ...(tls ? { tls } : {}), ...(apiKey ? { apiKey } : {}) };
}

/** PostgreSQL's pool and TLS from the environment, beside what `DATABASE_URL` says. */
export interface DatabaseTuning {
  poolMax?: number;
  /** `DATABASE_PREPARED_STATEMENTS=off`: behind a pooler that cannot carry prepared statements. */
  preparedStatements?: false;
  /** `DATABASE_SSL_CA`: the server's CA, verified (a managed PostgreSQL's own CA). */
  ssl?: { ca: string; rejectUnauthorized: true };
}

export function databaseTuningFromEnv(env: Env = process.env): DatabaseTuning {
  const raw = env.DATABASE_POOL_MAX?.trim();
  let poolMax: number | undefined;
  if (raw) {
    poolMax = Number(raw);
    // Two at least: migrations hold their lock on one connection and run on another.
    if (!Number.isInteger(poolMax) || poolMax < 2 || poolMax > 500)
      throw new Error(`DATABASE_POOL_MAX must be a whole number from 2 to 500, got "${raw}"`);
  }
  const prepared = env.DATABASE_PREPARED_STATEMENTS?.trim().toLowerCase() || 'on';
  if (prepared !== 'on' && prepared !== 'off')
    throw new Error(`DATABASE_PREPARED_STATEMENTS must be on or off, got "${prepared}"`);
  const ca = pem(env, 'DATABASE_SSL_CA');
  return {
    ...(poolMax ? { poolMax } : {}),
    ...(prepared === 'off' ? { preparedStatements: false as const } : {}),
    ...(ca ? { ssl: { ca: ca.toString(), rejectUnauthorized: true as const } } : {}),
  };
}
