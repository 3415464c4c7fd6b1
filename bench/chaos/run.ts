import axios from 'axios';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machine } from '../shared/hub';
import { startChaosCluster, type ChaosCluster } from './cluster';
import { ChaosLoad, type LoadPlan } from './load';
import { judge, type Finding } from './verdict';

/** The full run of `npm run chaos`: the production-shape issue's mixed load. */
export const FULL: LoadPlan = {
  orders: 300,
  shopifyShare: 1 / 3,
  returns: 20,
  reservations: 100,
  stays: 10,
  spreadMs: 150_000,
};
/** The same faults on less work, as `npm test` runs it. */
export const SHORT: LoadPlan = {
  orders: 40,
  shopifyShare: 1 / 3,
  returns: 4,
  reservations: 16,
  stays: 3,
  spreadMs: 60_000,
};

/** Partners that fail one call in ten throughout: 5xx, 429 with Retry-After, hangs, lost answers. */
const FAULTY = [
  'easypost',
  'easypost-b',
  'shopify',
  'quickbooks',
  'xero',
  'locks',
  'ota-a',
  'ota-b',
  'ota-c',
];
const TEN_PERCENT = {
  errorRate: 0.04,
  rateLimitRate: 0.02,
  retryAfterSeconds: 1,
  timeoutRate: 0.02,
  timeoutMs: 3_000,
  lostResponseRate: 0.02,
};

export interface ChaosResult {
  plan: LoadPlan;
  machine: string;
  timeline: Array<{ atMs: number; event: string }>;
  findings: Finding[];
  ok: boolean;
  loadMs: number;
  /** Callers' requests that met an outage and were sent again. */
  retried: number;
  /** Partner calls the sandbox answered with an injected fault (5xx or 429), per partner. */
  faultsInjected: Record<string, number>;
}

/** The calls each partner answered with a 5xx or a 429 during the run. */
async function faultsInjected(sandboxUrl: string): Promise<Record<string, number>> {
  const calls = (await axios.get<Array<{ partner: string; status: number }>>(`${sandboxUrl}/__sandbox/calls`))
    .data;
  const counts: Record<string, number> = {};
  for (const call of calls)
    if (call.status >= 500 || call.status === 429) counts[call.partner] = (counts[call.partner] ?? 0) + 1;
  return counts;
}

/**
 * A fault at a share of the load's spread: a kill -9 of a worker (twice) and of an API, an
 * immediate PostgreSQL stop for 10 s, a kill -9 of the Temporal server restarted on its file.
 * What a container runtime does is done too: a killed process is started again after a pause.
 */
function faultTimeline(cluster: ChaosCluster, note: (event: string) => void) {
  const restartAfter = async (process: ChaosCluster['apis'][number], pauseMs: number) => {
    await process.kill();
    note(`kill -9 ${process.name}`);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    process.start();
    note(`${process.name} started again`);
    await process.ready();
    note(`${process.name} ready`);
  };
  return [
    { at: 0.15, run: () => restartAfter(cluster.workers[0]!, 5_000) },
    { at: 0.3, run: () => restartAfter(cluster.apis[0]!, 3_000) },
    {
      at: 0.45,
      run: async () => {
        await cluster.postgres.crash();
        note('PostgreSQL stopped (pg_ctl stop -m immediate)');
        await new Promise((resolve) => setTimeout(resolve, 10_000));
        await cluster.postgres.resume();
        note('PostgreSQL started again (crash recovery)');
      },
    },
    {
      at: 0.6,
      run: async () => {
        await cluster.killTemporal();
        note('kill -9 Temporal server');
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        await cluster.restartTemporal();
        note('Temporal server started again on its file');
      },
    },
    { at: 0.75, run: () => restartAfter(cluster.workers[1] ?? cluster.workers[0]!, 5_000) },
  ];
}

export async function runChaos(
  plan: LoadPlan,
  log: (line: string) => void = console.log,
): Promise<ChaosResult> {
  const started = Date.now();
  const timeline: ChaosResult['timeline'] = [];
  let loadStarted = started;
  const note = (event: string) => {
    const atMs = Date.now() - loadStarted;
    timeline.push({ atMs, event });
    log(`${(atMs / 1000).toFixed(1).padStart(7)} s  ${event}`);
  };
  const cluster = await startChaosCluster({ apis: 2, workers: 2, extraRooms: plan.stays + 4, log });
  note(`cluster up in ${Date.now() - started} ms: 2 APIs, 2 workers (${cluster.dir})`);
  try {
    const load = new ChaosLoad(cluster.frontUrl, cluster.sandboxUrl, cluster.env, cluster.timeZone, log);
    await load.prepare();
    for (const partner of FAULTY)
      await axios.put(`${cluster.sandboxUrl}/__sandbox/faults/${partner}`, TEN_PERCENT);
    loadStarted = Date.now();
    note('load starts; 10 % partner faults on');
    const faults = faultTimeline(cluster, note).map(async (fault) => {
      await new Promise((resolve) => setTimeout(resolve, fault.at * plan.spreadMs));
      await fault.run();
    });
    await Promise.all([load.run(plan), ...faults]);
    const loadMs = Date.now() - loadStarted;
    note('every request answered');
    await axios.delete(`${cluster.sandboxUrl}/__sandbox/faults`);
    const injected = await faultsInjected(cluster.sandboxUrl);
    note(`partner faults off (${JSON.stringify(injected)} calls answered 5xx or 429); judging`);
    const findings = await judge({
      record: load.record,
      frontUrl: cluster.frontUrl,
      sandboxUrl: cluster.sandboxUrl,
      temporalAddress: cluster.temporalAddress,
      env: cluster.env,
      quickbooksRealm: '9130350000000001',
      xeroTenant: '8b1a3f7e-0000-4000-8000-000000000002',
      settleMs: 300_000,
    });
    note('verdict');
    for (const f of findings) log(`  ${f.ok ? 'ok  ' : 'FAIL'}  ${f.check}: ${f.detail}`);
    const result: ChaosResult = {
      plan,
      machine: machine(),
      timeline,
      findings,
      ok: findings.every((f) => f.ok),
      loadMs,
      retried: load.record.retried,
      faultsInjected: injected,
    };
    writeFileSync(join(cluster.dir, 'chaos-result.json'), JSON.stringify(result, null, 2));
    return result;
  } finally {
    await cluster.stop();
  }
}

/**
 * `npm run chaos [-- short] [-- RESULT.json]`: the full run (or the short one `npm test` runs),
 * the timeline and verdict printed as they come; the result also written to RESULT.json if named.
 */
if (require.main === module) {
  const plan = process.argv[2] === 'short' ? SHORT : FULL;
  const resultPath = process.argv[3];
  runChaos(plan)
    .then((result) => {
      if (resultPath) writeFileSync(resultPath, JSON.stringify(result, null, 2));
      console.log(
        `\n${result.ok ? 'PASS' : 'FAIL'}: ${result.findings.filter((f) => f.ok).length} of ${result.findings.length} checks hold`,
      );
      process.exit(result.ok ? 0 : 1);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
