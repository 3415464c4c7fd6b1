import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The CLI release Crossdock builds when none is installed (that tag builds from the Go proxy alone). */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  return (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find(isExecutable);
}

/**
 * Finds a `temporal` CLI: $TEMPORAL_CLI, then PATH, then the cache; otherwise builds it with Go
 * into the cache; otherwise explains how to install it.
 */
export function findTemporalCli(
  cacheDir: string,
  env: NodeJS.ProcessEnv = process.env,
  log = console.error,
): string {
  if (env.TEMPORAL_CLI) {
    if (isExecutable(env.TEMPORAL_CLI)) return env.TEMPORAL_CLI;
    throw new Error(`TEMPORAL_CLI=${env.TEMPORAL_CLI} is not an executable file`);
  }
  const found = onPath('temporal', env);
  if (found) return found;
  const binDir = join(cacheDir, 'bin');
  const cached = join(binDir, 'temporal');
  if (isExecutable(cached)) return cached;

  if (onPath('go', env)) {
    log(`temporal CLI not found; building ${TEMPORAL_CLI_MODULE} into ${binDir} (one-time, a few minutes)…`);
    mkdirSync(binDir, { recursive: true });
    const result = spawnSync('go', ['install', TEMPORAL_CLI_MODULE], {
      env: { ...env, GOBIN: binDir, GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (result.status === 0 && isExecutable(cached)) return cached;
    throw new Error(`building the temporal CLI failed (go install exited ${result.status})`);
  }
  throw new Error(
    'No temporal CLI found. Install it (https://docs.temporal.io/cli), put it on PATH or set TEMPORAL_CLI, ' +
      `or install Go so Crossdock can build ${TEMPORAL_CLI_MODULE} into ${binDir}. ` +
      'Alternatively set TEMPORAL_ADDRESS to use an existing Temporal cluster.',
  );
}
