import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HubConfig } from './config/schema';
import { listSecretRefs } from './config/load';

/**
 * For a local hub only: every secret the config names and the environment lacks gets a random
 * value, kept in the data directory so keys survive restarts. Real deployments set them all.
 */
export function fillDevCredentials(
  config: HubConfig,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const stored: Record<string, string> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)
    : {};
  const generated: Record<string, string> = {};
  for (const { ref } of listSecretRefs(config)) {
    if (env[ref.env]) continue;
    const value = stored[ref.env] ?? `dev_${randomBytes(18).toString('base64url')}`;
    stored[ref.env] = value;
    generated[ref.env] = value;
    env[ref.env] = value;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  return generated;
}
