import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/** The fuzzer's version, pinned: a new release may add checks, which is a change to make on purpose. */
export const SCHEMATHESIS_VERSION = '4.32.5';

/**
 * Schemathesis (the OpenAPI property-based fuzzer), installed from PyPI into a virtualenv in the
 * cache on first use (about 10 s). Its executable.
 */
export function ensureSchemathesis(cacheDir: string, log = console.error): string {
  const venv = join(cacheDir, `schemathesis-${SCHEMATHESIS_VERSION}`);
  const executable = join(venv, 'bin', 'schemathesis');
  try {
    accessSync(executable, constants.X_OK);
    return executable;
  } catch {
    // not installed yet
  }
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} into ${venv} (one-time)…`);
  const run = (command: string, args: string[]) => {
    const done = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (done.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${done.status}`);
  };
  run('python3', ['-m', 'venv', venv]);
  run(join(venv, 'bin', 'pip'), ['install', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`]);
  return executable;
}
