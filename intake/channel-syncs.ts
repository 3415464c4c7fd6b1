import { channelSyncDetails, channelSyncSummary } from '../domain/channels/describe';
import { SA_CONNECTOR, SA_TENANT } from '../domain/search-attributes';
import type { Client } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import type { Sequelize } from 'sequelize';
import { syncChannelConnections } from '../db/channels';
import { syncStockConnections } from '../db/stock-channels';
import {
  channelDirtySignal,
  channelResyncSignal,
  channelSyncWorkflowId,
  type ChannelSyncInput,
  type ChannelSyncWorkflow,
} from '../workflows/channels/contract';
import type { ConnectorRegistry } from '../connectors/registry';
import type { HubConfig } from '../platform/config/schema';
import type { Logger } from '../platform/logger';

/** Nudges for one connection arriving within this window become one signal. */
const NUDGE_WINDOW_MS = 100;

/** A connection's sync input: a store's stock, or an OTA's (whose input carries no kind). */
export function channelSyncInput(
  config: HubConfig,
  ref: { tenantId: string; connectorId: string },
): ChannelSyncInput {
  const connector = config.connectors.find((c) => c.id === ref.connectorId);
  return connector?.kind === 'marketplace' ? { ...ref, kind: 'stock' } : ref;
}

/** Every channel connection: each OTA, and each store whose stock the hub keeps. */
export function channelConnections(config: HubConfig, connectors: ConnectorRegistry): ChannelSyncInput[] {
  const stores = new Set(connectors.stockChannels().map((store) => store.config.id));
  return config.connectors
    .filter((c) => c.kind === 'ota' || stores.has(c.id))
    .map((c) => channelSyncInput(config, { tenantId: c.tenant, connectorId: c.id }));
}

/**
 * Signals a connection's sync workflow, starting it if it is not running: nights are dirty
 * (the default), or a complete set is wanted.
 */
export function signalChannelSync(
  client: Client,
  config: HubConfig,
  ref: { tenantId: string; connectorId: string },
  signal: typeof channelDirtySignal | typeof channelResyncSignal = channelDirtySignal,
): Promise<unknown> {
  const args: [ChannelSyncInput] = [channelSyncInput(config, ref)];
  return client.workflow.signalWithStart<ChannelSyncWorkflow>('channelSync', {
    workflowId: channelSyncWorkflowId(ref.tenantId, ref.connectorId),
    taskQueue: config.temporal.orchestrationTaskQueue,
    args,
    signal,
    staticSummary: channelSyncSummary(args[0]),
    staticDetails: channelSyncDetails(args[0]),
    typedSearchAttributes: [
      { key: SA_TENANT, value: ref.tenantId },
      { key: SA_CONNECTOR, value: ref.connectorId },
    ],
  });
}

/**
 * Channel synchronisation at start: each OTA connection is recorded with its property (the
 * calendar trigger marks nights for it) and each store with the locations it sells from (the
 * stock trigger marks SKUs for it), its sync workflow is woken, and a listener turns the
 * database's `crossdock_channel_dirty` notifications into nudges. The listener reconnects after
 * PostgreSQL comes back and then nudges every connection, so a change made while it was away
 * waits seconds, not the workflow's own poll.
 */
export async function startChannelSync(deps: {
  client: Client;
  config: HubConfig;
  sequelize: Sequelize;
  connectors: ConnectorRegistry;
  databaseUrl: string;
  logger: Logger;
}): Promise<{ stop(): Promise<void> }> {
  const channels = deps.connectors.otaChannels().map((channel) => ({
    tenantId: channel.tenantId,
    connectorId: channel.connectorId,
    propertyId: channel.options.propertyId,
  }));
  const stores = deps.connectors.stockChannels().map((store) => ({
    tenantId: store.config.tenant,
    connectorId: store.config.id,
    locationIds: Object.keys(store.options.stockLocations),
  }));
  if (channels.length + stores.length === 0) return { stop: async () => undefined };
  await syncChannelConnections(deps.sequelize, channels);
  await syncStockConnections(deps.sequelize, stores);
  const known = new Set([...channels, ...stores].map((c) => `${c.tenantId} ${c.connectorId}`));
  const pending = new Set<string>();
  /** Signals on their way: stopping waits for them, so none is cut off by the client closing. */
  const inFlight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    for (const key of pending) {
      const [tenantId, connectorId] = key.split(' ') as [string, string];
      const signal = signalChannelSync(deps.client, deps.config, { tenantId, connectorId })
        .catch((error: unknown) =>
          deps.logger.warn({ err: error, connectorId }, 'could not wake the channel sync'),
        )
        .finally(() => inFlight.delete(signal));
      inFlight.add(signal);
    }
    pending.clear();
  };
  const nudgeAll = () => {
    for (const key of known) pending.add(key);
    flush();
  };

  // The listener's connection is lost whenever PostgreSQL restarts or fails over: it connects
  // again (1 s doubling to 30 s), the outage logged once, and every connection is nudged once
  // it is back, since what changed meanwhile sent no notification anyone heard.
  let stopped = false;
  let listener: PgClient | undefined;
  let retry: NodeJS.Timeout | undefined;
  let lostAt: number | undefined;
  const listen = async (): Promise<PgClient> => {
    const client = new PgClient({ connectionString: deps.databaseUrl });
    client.on('notification', (message) => {
      if (!message.payload || !known.has(message.payload)) return;
      pending.add(message.payload);
      timer ??= setTimeout(flush, NUDGE_WINDOW_MS);
    });
    client.on('error', () => undefined); // an 'end' follows, and reconnects
    client.on('end', () => {
      if (stopped || listener !== client) return;
      listener = undefined;
      lostAt = Date.now();
      deps.logger.warn('channel notification listener lost its connection; reconnecting');
      reconnect(1_000);
    });
    try {
      await client.connect();
      await client.query('LISTEN crossdock_channel_dirty');
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return client;
  };
  const reconnect = (delayMs: number) => {
    retry = setTimeout(() => {
      listen().then(
        (client) => {
          if (stopped) return void client.end().catch(() => undefined);
          listener = client;
          deps.logger.info(
            { downMs: Date.now() - (lostAt ?? Date.now()) },
            'channel notification listener back',
          );
          nudgeAll();
        },
        () => !stopped && reconnect(Math.min(delayMs * 2, 30_000)),
      );
    }, delayMs);
  };
  listener = await listen();
  nudgeAll();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (retry) clearTimeout(retry);
      await listener?.end().catch(() => undefined);
      await Promise.allSettled([...inFlight]);
    },
  };
}
