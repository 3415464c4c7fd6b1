import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { formatIssuePath } from '../../domain/shared/issues';
import { hubConfigSchema, type HubConfig, type SecretRef } from './schema';

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Replaces `${VAR}` and `${VAR:-default}` in every string of the parsed document. */
export function interpolateEnv(value: unknown, env: Env): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g,
      (_match, name: string, fallback?: string) => {
        const found = env[name];
        if (found !== undefined && found !== '') return found;
        if (fallback !== undefined) return fallback;
        throw new Error(`environment variable ${name} is not set and has no default`);
      },
    );
  }
  if (Array.isArray(value)) return value.map((item) => interpolateEnv(item, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateEnv(item, env)]));
  }
  return value;
}

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatIssuePath(issue.path) || '(root)'}: ${issue.message}`);
}

export { formatIssuePath };

export interface LoadOptions {
  env?: Env;
  /** Fail when a referenced secret is missing from the environment (the worker and API need them). */
  requireSecrets?: boolean;
}

export function parseConfig(text: string, source: string, options: LoadOptions = {}): HubConfig {
  const env = options.env ?? process.env;
  let document: unknown;
  try {
    document = interpolateEnv(parseYaml(text), env);
  } catch (error) {
    throw new ConfigError(source, [(error as Error).message]);
  }
  const result = hubConfigSchema.safeParse(document);
  if (!result.success) throw new ConfigError(source, formatIssues(result.error));
  if (options.requireSecrets) {
    const missing = listSecretRefs(result.data)
      .filter(({ ref }) => !env[ref.env])
      .map(({ path, ref }) => `${path}: environment variable ${ref.env} is not set`);
    if (missing.length > 0) throw new ConfigError(source, missing);
  }
  return result.data;
}

export function loadConfigFile(path: string, options: LoadOptions = {}): HubConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [`cannot read file: ${(error as Error).message}`]);
  }
  return parseConfig(text, path, options);
}

export function listSecretRefs(config: HubConfig): Array<{ path: string; ref: SecretRef }> {
  const refs: Array<{ path: string; ref: SecretRef }> = [];
  config.tenants.forEach((tenant, t) => {
    tenant.apiKeys.forEach((ref, k) => refs.push({ path: `tenants[${t}].apiKeys[${k}]`, ref }));
    tenant.subscribers.forEach((subscriber, s) =>
      refs.push({ path: `tenants[${t}].subscribers[${s}].secret`, ref: subscriber.secret }),
    );
  });
  config.connectors.forEach((connector, c) =>
    Object.entries(connector.credentials).forEach(([name, ref]) =>
      refs.push({ path: `connectors[${c}].credentials.${name}`, ref }),
    ),
  );
  return refs;
}

export function readSecret(ref: SecretRef, env: Env = process.env): string {
  const value = env[ref.env];
  if (!value) throw new Error(`environment variable ${ref.env} is not set`);
  return value;
}
