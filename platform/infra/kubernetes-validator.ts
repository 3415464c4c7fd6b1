import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The manifest validator's Go module (`deploy/kubernetes/validate`): client-go's types, strictly. */
export const VALIDATOR_SOURCE = join(__dirname, '..', '..', 'deploy', 'kubernetes', 'validate');

/**
 * The validator binary, built with Go into the cache on first use (a few minutes cold: client-go
 * comes from the module proxy). Rebuilt when its source or pinned modules change.
 */
export function ensureKubernetesValidator(cacheDir: string, log = console.error): string {
  const digest = createHash('sha256');
  for (const file of ['main.go', 'go.mod', 'go.sum'])
    digest.update(readFileSync(join(VALIDATOR_SOURCE, file)));
  const binary = join(cacheDir, 'bin', `k8s-validate-${digest.digest('hex').slice(0, 12)}`);
  try {
    accessSync(binary, constants.X_OK);
    return binary;
  } catch {
    // not built yet
  }
  mkdirSync(join(cacheDir, 'bin'), { recursive: true });
  log(`building the Kubernetes manifest validator into ${binary} (one-time)…`);
  const built = spawnSync('go', ['build', '-o', binary, '.'], {
    cwd: VALIDATOR_SOURCE,
    env: { ...process.env, GOFLAGS: '-mod=mod' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (built.status !== 0)
    throw new Error(`building the manifest validator failed (go build exited ${built.status})`);
  return binary;
}

/** Runs the validator on manifest files: its exit status and what it printed. */
export function validateManifests(binary: string, files: string[]): { ok: boolean; output: string } {
  const run = spawnSync(binary, files, { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}
