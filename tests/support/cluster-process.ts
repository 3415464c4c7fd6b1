import { startChaosCluster } from '../../bench/chaos/cluster';

/**
 * `node --import tsx tests/support/cluster-process.ts '<options JSON>'`: the hub as separate
 * processes (`bench/chaos`'s cluster), in a process of its own because embedded PostgreSQL is an
 * ES module Jest's sandbox cannot import. Prints one JSON line once everything is ready (where
 * each part answers, its environment and its log directory), and stops everything on SIGTERM.
 */
async function main(): Promise<void> {
  const cluster = await startChaosCluster({
    ...(JSON.parse(process.argv[2] ?? '{}') as { apis: number; workers: number; extraRooms: number }),
    log: (line) => console.error(line),
  });
  const stop = () => void cluster.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  console.log(
    JSON.stringify({
      dir: cluster.dir,
      env: cluster.env,
      frontUrl: cluster.frontUrl,
      sandboxUrl: cluster.sandboxUrl,
      temporalAddress: cluster.temporalAddress,
      workerHealthUrls: cluster.workers.map((w) => w.healthUrl),
      temporalMetricsPorts: cluster.temporalMetricsPorts,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
