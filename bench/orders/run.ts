import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import axios from 'axios';
import { Worker } from '@temporalio/worker';
import type { OrderView } from '../../domain/orders/status';
import { seedStock } from '../../tests/support/fixtures';
import { historyCost, type HistoryCost } from '../shared/history-cost';
import { machine, percentile, startBenchHub } from '../shared/hub';
import { rssMiB } from '../shared/measure';
import { cpuPerUnit, cpuSeconds } from '../shared/process-cpu';
import { createNoopActivities } from './noop-activities';
import { workflowWebpackConfig } from '../../worker/workflow-bundle';
import { rowsOf } from '../../db/statements';

/**
 * `npm run bench:orders [-- N]`: N orders from REST to `shipped` (rate-shopped labels from two
 * sandbox carriers, tracker webhook, invoice and payment in the QuickBooks sandbox) against N bare
 * workflows of the same shape whose activities do nothing, on the same Temporal dev server,
 * PostgreSQL and machine, in the same run. Prints throughput, p50/p99 latency and the ratio.
 */
const N = Number(process.argv[2] ?? 200);
/** How many SKUs the orders spread over: 1 is a flash sale on one hot SKU, more is a catalogue. */
const SKUS = Number(process.argv[3] ?? 1);
const BATCH = 50;

// The hub runs in this process: the bench collects its garbage between phases (see `settle`).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

async function inBatches<T>(count: number, run: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < count; i += BATCH) {
    results.push(
      ...(await Promise.all(Array.from({ length: Math.min(BATCH, count - i) }, (_, j) => run(i + j)))),
    );
  }
  return results;
}

async function main(): Promise<void> {
  const hub = await startBenchHub({
    // The engine is measured, not the partners' rate limits: connector queues are opened wide.
    adjust: (config) => {
      for (const connector of config.connectors) connector.rateLimit.requestsPerSecond = 1000;
    },
    extraWorkers: async (connection, namespace) => [
      await Worker.create({
        connection,
        namespace,
        taskQueue: 'bench-bare',
        workflowsPath: require.resolve('./bare-workflow'),
        // Bundled as the hub's workflows are.
        bundlerOptions: { webpackConfigHook: workflowWebpackConfig },
        activities: createNoopActivities(),
      }),
    ],
  });
  const { services, apiUrl } = hub;
  const sandbox = { url: hub.sandboxUrl };
  const sku = `BENCH-${randomBytes(3).toString('hex')}`;
  const skuOf = (i: number) => `${sku}-${i % SKUS}`;
  await seedStock(
    services.sequelize,
    'acme',
    Object.fromEntries(Array.from({ length: SKUS }, (_, k) => [skuOf(k), { 'bench-dc': N * 2 }])),
  );
  await axios.put(`${sandbox.url}/__sandbox/easypost/tracking`, {
    inTransitAfterMs: 0,
    deliveredAfterMs: 3_600_000,
  });

  // Warm-up: both paths once, so bundling and connection set-up are not measured.
  await services.client.workflow.execute('bareOrder', {
    taskQueue: 'bench-bare',
    workflowId: `bare-warm-${sku}`,
  });
  const headers = { Authorization: `Bearer ${process.env.CROSSDOCK_API_KEY_ACME}` };
  const order = (id: string, i = 0) => ({
    externalId: id,
    currency: 'USD',
    shippingAddress: {
      name: 'Bench',
      line1: '1 Main St',
      city: 'Portland',
      region: 'OR',
      postalCode: '97201',
      country: 'US',
    },
    lines: [{ sku: skuOf(i), quantity: 1, unitPrice: '10.00' }],
  });
  async function untilShipped(id: string): Promise<OrderView> {
    for (;;) {
      const view = (await axios.get<OrderView>(`${apiUrl}/v1/orders/rest:${id}`, { headers })).data;
      if (!['received', 'stock_reserved', 'label_purchased'].includes(view.status)) return view;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await axios.post(`${apiUrl}/v1/orders`, order(`warm-${sku}`), { headers });
  await untilShipped(`warm-${sku}`);

  // Both sides alike: start all N (in batches of submissions), then wait for all to finish.
  // Baseline: N bare workflows; each result is a long poll, not a busy loop. It runs before and
  // after the orders, and the two runs are pooled, so drift of the shared server over the run
  // (its history store grows) does not favour either side.
  async function runBare(
    round: string,
  ): Promise<{ seconds: number; latencies: number[]; cpuMs: Record<string, number> }> {
    const cpuBefore = cpuSeconds();
    const start = Date.now();
    const handles = await inBatches(N, async (i) => ({
      handle: await services.client.workflow.start('bareOrder', {
        taskQueue: 'bench-bare',
        workflowId: `bare-${round}-${sku}-${i}`,
      }),
      started: Date.now(),
    }));
    const latencies = await Promise.all(
      handles.map(async ({ handle, started }) => {
        await handle.result();
        return Date.now() - started;
      }),
    );
    return { seconds: (Date.now() - start) / 1000, latencies, cpuMs: cpuPerUnit(cpuBefore, cpuSeconds(), N) };
  }
  /**
   * Each measured phase starts on a hub that has finished the last one's work: its events
   * delivered to subscribers, and its garbage collected. Without this, the bare phase after the
   * orders ran while the hub still collected the hundreds of MB the orders left in its heap, and
   * that phase's slowness lifted the pooled ratio.
   */
  async function settle(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [row] = await rowsOf<{ open: string }>(
        services.sequelize,
        `SELECT (SELECT count(*) FROM outbound_events WHERE NOT expanded)
              + (SELECT count(*) FROM event_deliveries WHERE status = 'pending') AS open`,
        [],
      );
      if (Number(row!.open) === 0) break;
      // A phase measured beside the last one's unfinished deliveries would be no figure at all.
      if (Date.now() > deadline) throw new Error(`${row!.open} events still undelivered after a minute`);
      await sleep(250);
    }
    collectGarbage();
    await sleep(1_000);
  }

  await settle();
  const bareBefore = await runBare('before');
  await settle();

  // Crossdock: N orders from REST to shipped, counted through the visibility store (not by
  // querying every order, which would load the workers the benchmark measures).
  const hubCpuBefore = cpuSeconds();
  const hubStart = Date.now();
  const accepted = await inBatches(N, async (i) => {
    const id = `b-${sku}-${i}`;
    const posted = Date.now();
    await axios.post(`${apiUrl}/v1/orders`, order(id, i), { headers });
    return { id, posted };
  });
  const settledQuery = `CrossdockOrderId STARTS_WITH "rest:b-${sku}-" AND CrossdockStatus IN ("shipped", "rejected", "failed", "exception", "delivered")`;
  for (;;) {
    const { count } = await services.client.workflow.count(settledQuery);
    if (count >= N) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const hubCpuMs = cpuPerUnit(hubCpuBefore, cpuSeconds(), N);
  // The hub's memory with N orders shipped and still running (waiting for delivery, in the cache).
  const hubRssMiB = rssMiB(process.pid);
  const views = await inBatches(N, async (i) => untilShipped(accepted[i]!.id));
  const shippedAt = views.map((v) => Date.parse(v.timeline.find((t) => t.status === 'shipped')?.at ?? 'NaN'));
  const hubSeconds = (Math.max(...shippedAt) - hubStart) / 1000;
  const hubLatencies = views.map((_, i) => shippedAt[i]! - accepted[i]!.posted);
  const failed = views.filter((v) => v.status !== 'shipped').length;
  const slowest = hubLatencies.indexOf(Math.max(...hubLatencies));
  console.error(
    'slowest order (posted at, timeline):',
    accepted[slowest]!.posted,
    JSON.stringify(views[slowest]!.timeline),
  );
  await settle();
  const bareAfter = await runBare('after');
  const bareSeconds = (bareBefore.seconds + bareAfter.seconds) / 2;
  const bareLatencies = [...bareBefore.latencies, ...bareAfter.latencies];

  // What each run cost the server, read from the histories once everything is measured.
  async function historyCosts(workflowIds: string[]): Promise<HistoryCost[]> {
    return inBatches(workflowIds.length, async (i) =>
      historyCost(await services.client.workflow.getHandle(workflowIds[i]!).fetchHistory()),
    );
  }
  const hubCosts = await historyCosts(accepted.map(({ id }) => `order:acme:rest:${id}`));
  const bareCosts = await historyCosts(Array.from({ length: N }, (_, i) => `bare-after-${sku}-${i}`));

  const stats = (await axios.get(`${sandbox.url}/__sandbox/stats`)).data as Record<
    string,
    Record<string, number>
  >;
  const result = {
    machine: machine(),
    orders: N,
    skus: SKUS,
    bareRounds: [+(N / bareBefore.seconds).toFixed(1), +(N / bareAfter.seconds).toFixed(1)],
    notShipped: failed,
    bare: {
      perSecond: +(N / bareSeconds).toFixed(1),
      p50ms: percentile(bareLatencies, 50),
      p99ms: percentile(bareLatencies, 99),
    },
    crossdock: {
      perSecond: +(N / hubSeconds).toFixed(1),
      p50ms: percentile(hubLatencies, 50),
      p99ms: percentile(hubLatencies, 99),
    },
    throughputRatio: +(N / hubSeconds / (N / bareSeconds)).toFixed(2),
    // Against each bare phase alone, beside the pooled ratio: the phase after runs beside the N
    // orders still open (cached, waiting for delivery), which the phase before does not.
    ratioToEachBare: [
      +(bareBefore.seconds / hubSeconds).toFixed(2),
      +(bareAfter.seconds / hubSeconds).toFixed(2),
    ],
    // CPU milliseconds an order (or a bare run) of each process, from /proc: both sides keep the
    // machine's cores busy, so the inverse ratio of the totals tracks the throughput ratio with
    // far less of the shared machine's noise.
    cpuMsPerOrder: { bareBefore: bareBefore.cpuMs, crossdock: hubCpuMs, bareAfter: bareAfter.cpuMs },
    hubRssMiBWithOrdersRunning: hubRssMiB,
    cpuRatio: +((bareBefore.cpuMs.total! + bareAfter.cpuMs.total!) / 2 / hubCpuMs.total!).toFixed(2),
    history: { bare: costSummary(bareCosts), crossdock: costSummary(hubCosts) },
    labelsBought: (stats.easypost?.purchased ?? 0) + (stats['easypost-b']?.purchased ?? 0),
    invoices: stats.quickbooks?.invoices,
  };
  console.log(JSON.stringify(result, null, 2));

  await hub.stop();
}

/** Events and Temporal Cloud actions per run (median and most), and every failed workflow task by cause. */
function costSummary(costs: HistoryCost[]) {
  const failedTasks: Record<string, number> = {};
  for (const cost of costs)
    for (const [cause, count] of Object.entries(cost.failedTasks))
      failedTasks[cause] = (failedTasks[cause] ?? 0) + count;
  const events = costs.map((c) => c.events);
  const actions = costs.map((c) => c.actions);
  return {
    eventsMedian: percentile(events, 50),
    eventsMost: Math.max(...events),
    actionsMedian: percentile(actions, 50),
    actionsMost: Math.max(...actions),
    failedTasks,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
