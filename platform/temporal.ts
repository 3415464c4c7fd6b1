import { Client, Connection } from '@temporalio/client';
import { temporalSecurityFromEnv } from './infra/connection-security';
import { payloadCodecsFromEnv } from './payload-codec';
import { requestIdInterceptor } from './request-context';
import { temporalTracingPlugins } from './tracing';
import type { SearchAttributeType } from '@temporalio/common';
import {
  encodeSearchAttributeIndexedValueType,
  type SearchAttributeKey,
} from '@temporalio/common/lib/search-attributes';

export interface TemporalTarget {
  address: string;
  namespace: string;
}

export async function connectClient(target: TemporalTarget): Promise<Client> {
  const connection = await Connection.connect({ address: target.address, ...temporalSecurityFromEnv() });
  return new Client({
    connection,
    namespace: target.namespace,
    interceptors: { workflow: [requestIdInterceptor] },
    dataConverter: { payloadCodecs: payloadCodecsFromEnv() },
    plugins: temporalTracingPlugins(),
  });
}

/**
 * Registers any missing custom search attributes on the namespace. The dev server gets them at
 * start; this covers real clusters, where registering is an operator call.
 */
export async function ensureSearchAttributes(
  client: Client,
  namespace: string,
  keys: SearchAttributeKey<SearchAttributeType>[],
): Promise<string[]> {
  const operator = client.connection.operatorService;
  const existing = await operator.listSearchAttributes({ namespace });
  const known = new Set([
    ...Object.keys(existing.customAttributes ?? {}),
    ...Object.keys(existing.systemAttributes ?? {}),
  ]);
  const missing = keys.filter((key) => !known.has(key.name));
  if (missing.length === 0) return [];
  await operator.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      missing.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
    ),
  });
  return missing.map((key) => key.name);
}
