import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { stopChild } from '../../platform/infra/temporal-dev-server';
import { waitFor } from '../../platform/infra/ports';

const ROOT = join(__dirname, '..', '..');

/**
 * One hub process (`api/main.ts` or `worker/main.ts`) as a deployment runs it: its own Node
 * process, every address from the environment, its output appended to a log file. A kill is
 * SIGKILL (nothing drains), and a restart is a new process with the same environment, as a
 * container runtime would do.
 */
export class HubProcess {
  private child?: ChildProcess;
  /** Times the process was started (1 after the first start). */
  starts = 0;

  constructor(
    readonly name: string,
    private readonly entry: 'api/main.ts' | 'worker/main.ts',
    private readonly env: NodeJS.ProcessEnv,
    /** `/health/ready` of this process (the API's port, or the worker's health port). */
    readonly healthUrl: string,
    private readonly logDir: string,
  ) {}

  start(): void {
    const log = openSync(join(this.logDir, `${this.name}.log`), 'a');
    // BENCH_NODE_ARGS adds options to every hub process (`--cpu-prof --cpu-prof-dir=DIR`).
    const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    this.child = spawn(process.execPath, [...extra, '--import', 'tsx', join(ROOT, this.entry)], {
      cwd: ROOT,
      env: this.env,
      stdio: ['ignore', log, log],
    });
    this.starts += 1;
    // A process the harness did not kill must not outlive it either.
    const child = this.child;
    const orphan = () => child.kill('SIGKILL');
    process.once('exit', orphan);
    child.once('exit', () => process.off('exit', orphan));
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  /** Waits until the process answers ready (PostgreSQL, Temporal and storage reachable, migrated). */
  async ready(timeoutMs = 180_000): Promise<void> {
    await waitFor(
      `${this.name} ready`,
      async () => {
        if (!this.running) throw new Error(`${this.name} is not running`);
        const response = await fetch(this.healthUrl);
        if (response.status !== 200) throw new Error(`${this.name} answered ${response.status}`);
      },
      timeoutMs,
      500,
    );
  }

  kill(): Promise<void> {
    return this.child ? stopChild(this.child, 0, 'SIGKILL') : Promise.resolve();
  }

  /** SIGTERM, then SIGKILL past the drain's bound. */
  stop(): Promise<void> {
    return this.child ? stopChild(this.child, 30_000) : Promise.resolve();
  }
}
