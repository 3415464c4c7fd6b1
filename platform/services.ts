import type { Client } from '@temporalio/client';
import type { Sequelize } from 'sequelize';
import { ConnectorRegistry } from '../connectors/registry';
import { connectorOptions } from '../connectors/options';
import { alpineBitsOptionsSchema } from '../connectors/ota/alpinebits-channel';
import { alpineBitsSchemas } from '../connectors/ota/alpinebits/schema';
import { alpineBitsSchemaDir, ensureAlpineBitsSchemas } from './infra/alpinebits-schemas';
import { readSettings } from './settings';
import { databaseTuningFromEnv } from './infra/connection-security';
import { createDatabase } from '../db/database';
import { MasterDataService } from '../db/master-data/service';
import type { ChannelMapping } from '../domain/master-data/plan';
import type { HubConfig } from './config/schema';
import { createIntakes, type Intakes } from '../intake';
import { connectClient } from './temporal';
import { ObjectStorage } from './storage';

/** Addresses of the infrastructure one hub process talks to (embedded or real). */
export interface Endpoints {
  temporalAddress: string;
  temporalNamespace: string;
  databaseUrl: string;
  s3Endpoint?: string;
  s3Bucket: string;
  s3Region: string;
  s3Credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The long-lived clients the API and the worker share, and the doors built on them. */
export interface HubServices extends Intakes {
  config: HubConfig;
  endpoints: Endpoints;
  client: Client;
  sequelize: Sequelize;
  storage: ObjectStorage;
  connectors: ConnectorRegistry;
  /** Locations, catalogue and properties: the setup files' and the REST API's one service. */
  masterData: MasterDataService;
  close(): Promise<void>;
}

/** What each OTA connection of the config maps, to be checked against its property. */
export function channelMappings(config: HubConfig): ChannelMapping[] {
  return config.connectors.flatMap((connector, index) => {
    if (connector.kind !== 'ota') return [];
    const options = connectorOptions(connector, alpineBitsOptionsSchema);
    return [
      {
        path: `connectors[${index}]`,
        connectorId: connector.id,
        tenantId: connector.tenant,
        propertyId: options.propertyId,
        roomTypes: options.roomTypes,
        ratePlans: options.ratePlans,
      },
    ];
  });
}

/** The master data service of a config, on a database (the hub's, or the setup command's). */
export function masterDataService(config: HubConfig, sequelize: Sequelize): MasterDataService {
  const horizons = new Map(config.tenants.map((t) => [t.id, t.stays.horizonDays]));
  return new MasterDataService({
    sequelize,
    mappings: channelMappings(config),
    horizonDays: (tenantId) => horizons.get(tenantId) ?? 400,
  });
}

export async function connectServices(config: HubConfig, endpoints: Endpoints): Promise<HubServices> {
  const client = await connectClient({
    address: endpoints.temporalAddress,
    namespace: endpoints.temporalNamespace,
  });
  const sequelize = createDatabase(endpoints.databaseUrl, databaseTuningFromEnv());
  const storage = new ObjectStorage({
    endpoint: endpoints.s3Endpoint,
    region: endpoints.s3Region,
    bucket: endpoints.s3Bucket,
    credentials: endpoints.s3Credentials,
  });
  const connectors = new ConnectorRegistry(config);
  // Every AlpineBits message in and out is checked against the official schemas: without them
  // (fetched once into the cache, or given by CROSSDOCK_ALPINEBITS_SCHEMAS) OTAs are not served.
  if (config.connectors.some((c) => c.kind === 'ota'))
    await ensureAlpineBitsSchemas(alpineBitsSchemaDir(readSettings().cacheDir));
  return {
    config,
    endpoints,
    client,
    sequelize,
    storage,
    connectors,
    masterData: masterDataService(config, sequelize),
    ...createIntakes(client, config, sequelize),
    async close() {
      await client.connection.close();
      await sequelize.close();
      storage.close();
      await alpineBitsSchemas().close();
    },
  };
}

export function s3CredentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Endpoints['s3Credentials'] {
  return env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }
    : undefined;
}
