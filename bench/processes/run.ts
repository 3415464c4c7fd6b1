import { Client, Connection } from '@temporalio/client';
import axios from 'axios';
import { startChaosCluster } from '../chaos/cluster';
import { ChaosLoad } from '../chaos/load';
import { machine } from '../shared/hub';
import { rssMiB, untilOrdersSettled } from '../shared/measure';

/**
 * `npm run bench:processes [-- ORDERS]`: the hub as separate processes (one API, then one and
 * two worker processes; `bench/chaos`'s cluster, no faults), ORDERS orders (default 200) posted at
 * once in batches of 50, each to `shipped` (a label bought and scanned, invoice and payment
 * posted). Reports orders per second (first POST to the last shipped, counted through the
 * visibility store) and the largest resident memory of each process while they were in flight.
 * Connector rate limits are lifted: the hub is measured, not the partners' limits. With
 * `BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR"` every hub process writes a CPU profile there
 * when it stops (`bench/processes/top.ts DIR/FILE` lists where its time went).
 */
const ORDERS = Number(process.argv[2] ?? 200);

async function measure(workers: number) {
  const cluster = await startChaosCluster({
    apis: 1,
    workers,
    extraRooms: 0,
    requestsPerSecond: 1000,
    log: () => undefined,
  });
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  try {
    const load = new ChaosLoad(
      cluster.frontUrl,
      cluster.sandboxUrl,
      cluster.env,
      cluster.timeZone,
      () => undefined,
    );
    await load.prepare();
    // Parcels are picked up at once and never delivered: an order's work ends at `shipped`.
    await axios.put(`${cluster.sandboxUrl}/__sandbox/easypost/tracking`, {
      inTransitAfterMs: 0,
      deliveredAfterMs: 3_600_000,
    });
    // Warm-up: one order through every path, so bundling and first connections are not measured.
    await load.restOrder();
    await load.until('the warm-up order', async () =>
      (await load.orderStatus(load.record.orderIds[0]!)) === 'shipped' ? true : undefined,
    );

    const processes = [...cluster.apis, ...cluster.workers];
    // With BENCH_NODE_ARGS=--cpu-prof, each process's profile is named by its pid.
    const pids = Object.fromEntries(processes.map((p) => [p.name, p.pid]));
    const peak = new Map(processes.map((p) => [p.name, 0]));
    const sampler = setInterval(() => {
      for (const p of processes) if (p.pid) peak.set(p.name, Math.max(peak.get(p.name)!, rssMiB(p.pid)));
    }, 500);
    const client = new Client({ connection });
    const started = Date.now();
    for (let i = 0; i < ORDERS; i += 50)
      await Promise.all(Array.from({ length: Math.min(50, ORDERS - i) }, () => load.restOrder()));
    await untilOrdersSettled(client, ORDERS + 1, started + 900_000);
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    const shipped = (await client.workflow.count('CrossdockStatus = "shipped"')).count;
    return {
      workers,
      orders: ORDERS,
      shipped: shipped - 1,
      seconds: Math.round(seconds * 10) / 10,
      ordersPerSecond: Math.round((ORDERS / seconds) * 100) / 100,
      peakRssMiB: Object.fromEntries(peak),
      pids,
    };
  } finally {
    await connection.close();
    await cluster.stop();
  }
}

async function main(): Promise<void> {
  const rows = [];
  for (const workers of [1, 2]) {
    rows.push(await measure(workers));
    console.error(JSON.stringify(rows.at(-1)));
  }
  console.log(
    JSON.stringify(
      {
        machine: machine(),
        at: new Date().toISOString(),
        rows,
        twoOverOne: Math.round((rows[1]!.ordersPerSecond / rows[0]!.ordersPerSecond) * 100) / 100,
      },
      null,
      2,
    ),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
