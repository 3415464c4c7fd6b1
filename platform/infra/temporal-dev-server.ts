import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { waitFor } from './ports';

export interface DevServerOptions {
  cliPath: string;
  port: number;
  /** Web UI port; omit for a headless server (tests). */
  uiPort?: number;
  namespace: string;
  /** SQLite file that keeps history between restarts; omit for an in-memory server. */
  dbFile?: string;
  searchAttributes: SearchAttributeKey<SearchAttributeType>[];
  onOutput?: (line: string) => void;
}

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
  /** Ends the server at once, as a crash would (SIGKILL); its file keeps what it had written. */
  kill(): Promise<void>;
}

const CLI_TYPE_NAMES: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** Runs `temporal server start-dev` (with its Web UI unless headless) and waits until it serves. */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-level',
    'error',
  ];
  if (options.uiPort !== undefined) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  for (const key of options.searchAttributes)
    args.push('--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`);

  const child: ChildProcess = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      output.push(line);
      if (output.length > 50) output.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited = false;
  // If this process ends without stopping the server, the server must not outlive it.
  const stopOnExit = () => child.kill('SIGTERM');
  process.once('exit', stopOnExit);
  child.once('exit', () => {
    exited = true;
    process.off('exit', stopOnExit);
  });

  const address = `127.0.0.1:${options.port}`;
  try {
    await waitFor(
      'Temporal dev server',
      async () => {
        if (exited) throw new Error(`exited early:\n${output.join('\n')}`);
        const connection = await Connection.connect({ address, connectTimeout: 1000 });
        try {
          await connection.workflowService.describeNamespace({ namespace: options.namespace });
        } finally {
          await connection.close();
        }
      },
      60_000,
      250,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  return {
    address,
    uiUrl: options.uiPort !== undefined ? `http://127.0.0.1:${options.uiPort}` : undefined,
    stop: () => stopChild(child),
    kill: () => stopChild(child, 0, 'SIGKILL'),
  };
}

export function stopChild(
  child: ChildProcess,
  graceMs = 10_000,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
