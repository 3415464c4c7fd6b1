import { join } from 'node:path';
import { ALL_SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { startEmbeddedPostgres } from './infra/embedded-postgres';
import { freePort } from './infra/ports';
import { LOCAL_S3_CREDENTIALS, startLocalS3 } from './infra/s3-server';
import { findTemporalCli } from './infra/temporal-cli';
import { startDevServer } from './infra/temporal-dev-server';
import { s3CredentialsFromEnv, type Endpoints } from './services';
import type { Settings } from './settings';

export interface InfrastructurePlan {
  /** Keep data between runs (npm start) or throw it away (tests). */
  persistent: boolean;
  dataDir: string;
  /** Fixed ports for a developer's hub; omitted ports are picked free (tests). */
  ports?: { temporal?: number; temporalUi?: number | null; postgres?: number; s3?: number };
  log: (message: string) => void;
  /** Start no Temporal server (a caller that brings its own, such as the time-skipping tests). */
  withoutTemporal?: boolean;
}

export interface Infrastructure {
  endpoints: Endpoints;
  temporalUiUrl?: string;
  embedded: string[];
  stop(): Promise<void>;
}

/**
 * Starts whatever the environment does not point at: the Temporal dev server (with UI), embedded
 * PostgreSQL and a local S3. Anything configured (TEMPORAL_ADDRESS, DATABASE_URL, S3_ENDPOINT)
 * is used as it is.
 */
export async function startInfrastructure(
  settings: Settings,
  plan: InfrastructurePlan,
): Promise<Infrastructure> {
  const stops: Array<() => Promise<void>> = [];
  const embedded: string[] = [];
  const stop = async () => {
    for (const stopOne of stops.reverse())
      await stopOne().catch((error: unknown) => plan.log(`stop failed: ${String(error)}`));
  };
  try {
    let temporalAddress = settings.temporalAddress ?? '';
    let temporalUiUrl: string | undefined;
    if (!temporalAddress && !plan.withoutTemporal) {
      const uiPort =
        plan.ports?.temporalUi === null ? undefined : (plan.ports?.temporalUi ?? settings.temporalUiPort);
      const server = await startDevServer({
        cliPath: findTemporalCli(settings.cacheDir, process.env, plan.log),
        port: plan.ports?.temporal ?? (await freePort()),
        uiPort,
        namespace: settings.temporalNamespace,
        dbFile: plan.persistent ? join(plan.dataDir, 'temporal.sqlite') : undefined,
        searchAttributes: ALL_SEARCH_ATTRIBUTES,
      });
      stops.push(server.stop);
      embedded.push('temporal');
      temporalAddress = server.address;
      temporalUiUrl = server.uiUrl;
    }

    let databaseUrl = settings.databaseUrl;
    if (!databaseUrl) {
      const database = await startEmbeddedPostgres({
        dataDir: join(plan.dataDir, 'postgres'),
        port: plan.ports?.postgres ?? (await freePort()),
        database: 'crossdock',
        persistent: plan.persistent,
      });
      stops.push(database.stop);
      embedded.push('postgres');
      databaseUrl = database.url;
    }

    let s3Endpoint = settings.s3Endpoint;
    let s3Credentials = s3CredentialsFromEnv();
    if (!s3Endpoint) {
      const s3 = await startLocalS3({
        directory: join(plan.dataDir, 's3'),
        port: plan.ports?.s3 ?? (await freePort()),
        bucket: settings.s3Bucket,
      });
      stops.push(s3.stop);
      embedded.push('s3');
      s3Endpoint = s3.endpoint;
      s3Credentials = LOCAL_S3_CREDENTIALS;
    }

    return {
      endpoints: {
        temporalAddress,
        temporalNamespace: settings.temporalNamespace,
        databaseUrl,
        s3Endpoint,
        s3Bucket: settings.s3Bucket,
        s3Region: settings.s3Region,
        s3Credentials,
      },
      temporalUiUrl,
      embedded,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
