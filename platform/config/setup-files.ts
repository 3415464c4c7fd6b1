import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { setupFileSchema, type SetupFile } from '../../domain/master-data/setup-file';
import { formatIssuePath } from '../../domain/shared/issues';
import { ConfigError } from './load';
import type { HubConfig } from './schema';

/** Where a tenant's setup file lives: relative paths are read from the config file's folder. */
export function setupFilePath(configPath: string, setup: string): string {
  return isAbsolute(setup) ? setup : join(dirname(configPath), setup);
}

/** The tenants of the config that have a setup file, with its path. */
export function setupFilesOf(
  config: HubConfig,
  configPath: string,
): Array<{ tenantId: string; path: string }> {
  return config.tenants
    .filter((t) => t.setup)
    .map((t) => ({ tenantId: t.id, path: setupFilePath(configPath, t.setup!) }));
}

/** Parses and validates a setup file; a mistake names the field (`items[3].weightGrams: …`). */
export function parseSetupFile(text: string, source: string, tenantId?: string): SetupFile {
  let document: unknown;
  try {
    // YAML 1.2's core schema (dates stay strings, `NO` is Norway); js-yaml reads a 50,000-item file
    // in about a second, where the config's parser takes fifteen.
    document = load(text, { schema: CORE_SCHEMA, filename: source });
  } catch (error) {
    throw new ConfigError(source, [(error as Error).message]);
  }
  const result = setupFileSchema.safeParse(document ?? {});
  if (!result.success)
    throw new ConfigError(
      source,
      result.error.issues.map((issue) => `${formatIssuePath(issue.path) || '(root)'}: ${issue.message}`),
    );
  if (tenantId !== undefined && result.data.tenant !== tenantId)
    throw new ConfigError(source, [
      `tenant: the file is for "${result.data.tenant}", the config names it for "${tenantId}"`,
    ]);
  return result.data;
}

export function loadSetupFile(path: string, tenantId?: string): SetupFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [`cannot read the setup file: ${(error as Error).message}`]);
  }
  return parseSetupFile(text, path, tenantId);
}
