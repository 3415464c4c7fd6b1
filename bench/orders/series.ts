import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npm run bench:orders:series [-- RUNS [N [SKUS]]]`: `bench/orders` RUNS times in a row, each in a
 * process of its own (a fresh server, database and hub), then the medians. One run's ratio moves
 * by ±0.13 on this shared machine; the throughput target is read from the median of many.
 */
const RUNS = Number(process.argv[2] ?? 10);
const N = process.argv[3] ?? '200';
const SKUS = process.argv[4] ?? '1';

/** What the series reads of a run's result (bench/orders/run.ts prints the whole of it). */
interface RunResult {
  machine: string;
  orders: number;
  bareRounds: [number, number];
  notShipped: number;
  crossdock: { perSecond: number };
  throughputRatio: number;
  ratioToEachBare: [number, number];
  cpuMsPerOrder: { crossdock: { total: number } };
  hubRssMiBWithOrdersRunning: number;
  labelsBought: number;
  invoices: number;
  history: { crossdock: { eventsMost: number; actionsMost: number; failedTasks: Record<string, number> } };
}

function runOnce(): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'run.ts'), N, SKUS], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`bench/orders exited with ${code}:\n${errors}`));
      resolve(JSON.parse(output.slice(output.lastIndexOf('{\n  "machine"'))) as RunResult);
    });
  });
}

/** The middle value, or the mean of the middle two. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  const runs: RunResult[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const run = await runOnce();
    runs.push(run);
    console.error(
      `run ${i}: ratio ${run.throughputRatio} (before/after alone ${run.ratioToEachBare.join('/')}),`,
      `bare ${run.bareRounds.join('/')} and Crossdock ${run.crossdock.perSecond} orders/s`,
    );
  }
  const round = (value: number) => +value.toFixed(3);
  const ratios = runs.map((r) => r.throughputRatio);
  const complete = (r: RunResult) =>
    r.notShipped === 0 && r.labelsBought === r.orders + 1 && r.invoices === r.orders + 1;
  console.log(
    JSON.stringify(
      {
        machine: runs[0]?.machine,
        runs: RUNS,
        orders: Number(N),
        skus: Number(SKUS),
        ratios,
        medianRatio: round(median(ratios)),
        lowest: Math.min(...ratios),
        highest: Math.max(...ratios),
        // The phase before alone is a lower bound: bare phases drift slower within a run.
        medianRatioToEachBare: [0, 1].map((phase) =>
          round(median(runs.map((r) => r.ratioToEachBare[phase]!))),
        ),
        bareAfterSlower: runs.filter((r) => r.bareRounds[1] < r.bareRounds[0]).length,
        medianCpuMsPerOrder: median(runs.map((r) => r.cpuMsPerOrder.crossdock.total)),
        // The hub process's memory with the N orders shipped and still open (cached by its worker).
        medianHubRssMiB: median(runs.map((r) => r.hubRssMiBWithOrdersRunning)),
        // Every run's orders all shipped, with one label and one invoice each (and the warm-up's).
        everyRunComplete: runs.every(complete),
        eventsMost: Math.max(...runs.map((r) => r.history.crossdock.eventsMost)),
        actionsMost: Math.max(...runs.map((r) => r.history.crossdock.actionsMost)),
        failedTasks: runs.reduce(
          (sum, r) => sum + Object.values(r.history.crossdock.failedTasks).reduce((a, b) => a + b, 0),
          0,
        ),
      },
      null,
      2,
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
