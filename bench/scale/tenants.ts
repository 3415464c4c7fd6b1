import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import axios from 'axios';
import { loadConfigFile } from '../../platform/config/load';
import { restOrder } from '../../tests/support/fixtures';
import { startChaosCluster } from '../chaos/cluster';
import { rssMiB, untilOrdersSettled } from '../shared/measure';

export interface TenantsRow {
  /** Merchant tenants taking orders: acme and the added ones. */
  merchants: number;
  /** Tenants configured in all (the shipped globex and alpine as well). */
  tenants: number;
  /** Connector instances, each an activity task queue with its own Temporal worker. */
  connectors: number;
  /** From starting the API and worker processes to both ready on an empty database. */
  hubReadySeconds: number;
  /** The worker process's resident memory once ready and idle, and at most during the load. */
  workerIdleMiB: number;
  workerPeakMiB: number;
  orders: number;
  shipped: number;
  ordersPerSecond: number;
}

const SKU = 'MUG-TI';

/**
 * One API and one worker process serving `merchants` merchant tenants (acme and `merchants - 1`
 * added ones, each with its own EasyPost account and QuickBooks connector), then `orders` REST
 * orders spread evenly over them, each to `shipped`. Rate limits are lifted, so the hub is
 * measured rather than the partners' terms.
 */
export async function measureTenants(merchants: number, orders = 200): Promise<TenantsRow> {
  const cluster = await startChaosCluster({
    apis: 1,
    workers: 1,
    extraRooms: 0,
    requestsPerSecond: 1000,
    merchants: merchants - 1,
    log: () => undefined,
  });
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  try {
    const config = loadConfigFile(cluster.env.CROSSDOCK_CONFIG!, { env: cluster.env });
    const worker = cluster.workers[0]!;
    const http = axios.create({ baseURL: cluster.frontUrl, timeout: 60_000 });
    const keys = ['ACME', ...Array.from({ length: merchants - 1 }, (_, i) => `M${i + 1}`)].map((tenant) => ({
      Authorization: `Bearer ${cluster.env[`CROSSDOCK_API_KEY_${tenant}`]}`,
    }));
    for (const headers of keys)
      for (const location of ['reno', 'newark'])
        await http.put(`/v1/inventory/${SKU}/${location}`, { set: 10_000, reason: 'count' }, { headers });
    // Parcels are picked up at once and never delivered: an order's work ends at `shipped`.
    await axios.put(`${cluster.sandboxUrl}/__sandbox/easypost/tracking`, {
      inTransitAfterMs: 0,
      deliveredAfterMs: 3_600_000,
    });
    const client = new Client({ connection });
    const post = (i: number) =>
      http.post('/v1/orders', restOrder(`t-${randomBytes(5).toString('hex')}`, [{ sku: SKU, quantity: 1 }]), {
        headers: keys[i % keys.length],
      });
    // Warm-up: one order, so bundling and first connections are not measured.
    await post(0);
    await untilOrdersSettled(client, 1, Date.now() + 120_000);
    const workerIdleMiB = rssMiB(worker.pid!);
    let workerPeakMiB = workerIdleMiB;
    const sampler = setInterval(() => (workerPeakMiB = Math.max(workerPeakMiB, rssMiB(worker.pid!))), 500);
    const started = Date.now();
    for (let i = 0; i < orders; i += 50)
      await Promise.all(Array.from({ length: Math.min(50, orders - i) }, (_, j) => post(i + j)));
    await untilOrdersSettled(client, orders + 1, started + 900_000);
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    return {
      merchants,
      tenants: config.tenants.length,
      connectors: config.connectors.length,
      hubReadySeconds: Math.round(cluster.hubReadyMs / 100) / 10,
      workerIdleMiB,
      workerPeakMiB,
      orders,
      shipped: (await client.workflow.count('CrossdockStatus = "shipped"')).count - 1,
      ordersPerSecond: Math.round((orders / seconds) * 100) / 100,
    };
  } finally {
    await connection.close();
    await cluster.stop();
  }
}
