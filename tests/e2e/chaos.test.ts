import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChaosResult } from '../../bench/chaos/run';

const ROOT = join(__dirname, '..', '..');

/** `npm run chaos -- short` in a process of its own (it runs every part of the hub as one). */
function runShortChaos(): Promise<{ result: ChaosResult; output: string }> {
  const resultPath = join(mkdtempSync(join(tmpdir(), 'crossdock-chaos-result-')), 'result.json');
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/chaos/run.ts', 'short', resultPath], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => {
      try {
        resolve({ result: JSON.parse(readFileSync(resultPath, 'utf8')) as ChaosResult, output });
      } catch {
        reject(new Error(`the chaos run left no result:\n${output.slice(-4000)}`));
      }
    });
  });
}

/**
 * The crash test, short: two APIs and two workers as separate processes against a Temporal
 * server persisted to a file and a PostgreSQL of their own, with 10 % partner faults throughout,
 * while a worker is killed twice, an API once, PostgreSQL stopped immediately for 10 s and the
 * Temporal server killed and restarted on its file. Nothing may be lost, doubled or stuck.
 * (`npm run chaos` is the full run; neither uses this tier's shared stack.)
 */
describe('the hub as separate processes, crashed part by part', () => {
  it('loses, doubles and strands nothing', async () => {
    const { result, output } = await runShortChaos();
    const events = result.timeline.map((t) => t.event);
    // Every fault happened, each while the load ran.
    for (const fault of [
      'kill -9 worker-1',
      'kill -9 worker-2',
      'kill -9 api-1',
      'PostgreSQL stopped (pg_ctl stop -m immediate)',
      'kill -9 Temporal server',
    ])
      expect(events).toContain(fault);
    expect(Object.values(result.faultsInjected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const failed = result.findings.filter((f) => !f.ok);
    if (failed.length) console.log(output);
    expect(failed).toEqual([]);
    expect(result.findings.map((f) => f.check)).toContain('each delivered order has one invoice');
    expect(result.findings.length).toBeGreaterThanOrEqual(16);
  }, 900_000);
});
