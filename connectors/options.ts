import type { z } from 'zod';
import type { ConnectorConfig } from '../platform/config/schema';
import { readSecret } from '../platform/config/load';

/** Parses a connector's `options` with its type's schema; errors name the connector and field. */
export function connectorOptions<S extends z.ZodType>(connector: ConnectorConfig, schema: S): z.infer<S> {
  const parsed = schema.safeParse(connector.options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `connector ${connector.id}: options.${issue.path.map(String).join('.')}: ${issue.message}`,
    );
  }
  return parsed.data;
}

/** Reads a named credential of a connector from the environment variable it points at. */
export function credential(connector: ConnectorConfig, name: string): string {
  const ref = connector.credentials[name];
  if (!ref)
    throw new Error(`connector ${connector.id}: credentials.${name} is required for ${connector.type}`);
  return readSecret(ref);
}

export function optionalCredential(connector: ConnectorConfig, name: string): string | undefined {
  const ref = connector.credentials[name];
  return ref ? readSecret(ref) : undefined;
}
