import { randomBytes } from 'node:crypto';
import axios from 'axios';
import { setOnHand } from '../../db/inventory';
import { declareItem, declareLocation } from '../../db/master-data/declare';
import { ShopifyConnector } from '../../connectors/marketplaces/shopify';
import { machine, percentile, startBenchHub } from '../shared/hub';

/**
 * `npm run bench:stock-sync [-- CHANGES_ONE_AT_A_TIME BURST SKUS]`: stock from PostgreSQL to the
 * sandbox Shopify store, whose REST bucket (40 calls, leaking 2 a second) the sandbox enforces.
 *
 * - Propagation: stock counts through the API (`PUT /v1/inventory/:sku/:location`), one at a
 *   time at random moments; for each, the time until the store shows the new available-to-sell.
 * - Calls: a burst of BURST counts spread over SKUS SKUs at two warehouses; the
 *   `inventory_levels/set` calls the store received until it shows the final values, against
 *   naive pushing (one set per change, through the same connector, bucket lifted) in the same run.
 */
const SINGLE = Number(process.argv[2] ?? 40);
const BURST = Number(process.argv[3] ?? 1000);
const SKUS = Number(process.argv[4] ?? 10);
const STORE = { reno: 71_000_000_001, newark: 71_000_000_002 } as const;
type Warehouse = keyof typeof STORE;
const WAREHOUSES = Object.keys(STORE) as Warehouse[];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const hub = await startBenchHub();
  const { services, apiUrl, sandboxUrl } = hub;
  const headers = { Authorization: `Bearer ${process.env.CROSSDOCK_API_KEY_ACME}` };
  await axios.put(`${sandboxUrl}/__sandbox/shopify/settings`, {
    costBucket: { maximumAvailable: 1_000, restoreRate: 50 },
  });
  const run = randomBytes(3).toString('hex').toUpperCase();
  const skus = Array.from({ length: SKUS }, (_, i) => `BENCH-${run}-${i}`);
  for (const warehouse of WAREHOUSES)
    await declareLocation(services.sequelize, 'acme', {
      id: warehouse,
      name: warehouse,
      address: {
        name: warehouse,
        line1: '1 Dock Rd',
        city: 'Reno',
        region: 'NV',
        postalCode: '89502',
        country: 'US',
      },
    });
  for (const sku of skus) {
    await declareItem(services.sequelize, 'acme', { sku, name: sku });
    for (const warehouse of WAREHOUSES)
      await setOnHand(services.sequelize, 'acme', sku, warehouse, 100, 'bench');
    await axios.post(`${sandboxUrl}/__sandbox/shopify/products`, { title: sku, variants: [{ sku }] });
  }
  const shown = async (sku: string) =>
    (await axios.get<{ locations: Record<string, number> }>(`${sandboxUrl}/__sandbox/shopify/stock/${sku}`))
      .data.locations;
  const sets = async () =>
    (
      await axios.get<{ shopify: { inventorySets: number; throttled: number } }>(
        `${sandboxUrl}/__sandbox/stats`,
      )
    ).data.shopify;
  const showsAll = async (expected: Map<string, number>) => {
    for (;;) {
      const ok = await Promise.all(
        [...expected].map(async ([key, n]) => {
          const [sku, warehouse] = key.split(' ') as [string, Warehouse];
          return (await shown(sku))[String(STORE[warehouse])] === n;
        }),
      );
      if (ok.every(Boolean)) return;
      await sleep(50);
    }
  };
  // The store lists the new products at the next complete set.
  await axios.post(`${apiUrl}/v1/channels/acme-shopify/resync`, undefined, { headers });
  await showsAll(new Map(skus.flatMap((sku) => WAREHOUSES.map((w) => [`${sku} ${w}`, 100] as const))));
  await sleep(3_000);

  // 1. Propagation of single counts.
  const latencies: number[] = [];
  for (let i = 0; i < SINGLE; i++) {
    await sleep(Math.random() * 2_000);
    const sku = skus[i % skus.length]!;
    const warehouse = WAREHOUSES[i % 2]!;
    const count = 100 + (i % 7) + 1;
    const started = Date.now();
    const res = await axios.put(
      `${apiUrl}/v1/inventory/${sku}/${warehouse}`,
      { set: count, reason: 'cycle count' },
      { headers },
    );
    if (res.status !== 200) throw new Error(`count ${i} answered ${res.status}`);
    while ((await shown(sku))[String(STORE[warehouse])] !== count) await sleep(20);
    latencies.push(Date.now() - started);
  }

  // 2. A burst of counts, coalesced by the sync.
  const before = await sets();
  const finals = new Map<string, number>();
  const burstStart = Date.now();
  for (let i = 0; i < BURST; i += 10)
    await Promise.all(
      Array.from({ length: Math.min(10, BURST - i) }, (_, k) => {
        const n = i + k;
        const sku = skus[n % skus.length]!;
        const warehouse = WAREHOUSES[Math.floor(n / skus.length) % 2]!;
        const count = 50 + ((n * 37) % 101);
        finals.set(`${sku} ${warehouse}`, count);
        return setOnHand(services.sequelize, 'acme', sku, warehouse, count, 'burst');
      }),
    );
  const burstEnd = Date.now();
  await showsAll(finals);
  const convergedMs = Date.now() - burstEnd;
  const after = await sets();

  // 3. Naive pushing: one set per change through the same connector code, the bucket lifted on
  // both sides (at the store's 2 a second it would take BURST / 2 seconds).
  await axios.put(`${sandboxUrl}/__sandbox/shopify/settings`, {
    costBucket: { maximumAvailable: 1_000_000, restoreRate: 1_000_000 },
  });
  const store = new ShopifyConnector({
    ...hub.config.connectors.find((c) => c.id === 'acme-shopify')!,
    rateLimit: { requestsPerSecond: 1_000 },
  });
  const { listings } = await store.listings();
  const itemOf = new Map(listings.map((l) => [l.sku, l.inventoryItemId]));
  // What the store shows, as each naive set compares with it.
  const shownNow = new Map<string, number>(
    (await store.inventoryLevels([...itemOf.values()], Object.values(STORE))).map((l) => [
      `${[...itemOf].find(([, item]) => item === l.inventoryItemId)![0]} ${Object.entries(STORE).find(([, id]) => id === l.locationId)![0]}`,
      l.available ?? 0,
    ]),
  );
  const naiveBefore = (await sets()).inventorySets;
  const naiveStart = Date.now();
  for (let n = 0; n < BURST; n++) {
    const sku = skus[n % skus.length]!;
    const warehouse = WAREHOUSES[Math.floor(n / skus.length) % 2]!;
    const key = `${sku} ${warehouse}`;
    const available = 50 + ((n * 37) % 101);
    await store.setQuantities(
      [
        {
          inventoryItemId: itemOf.get(sku)!,
          locationId: STORE[warehouse],
          available,
          compare: shownNow.get(key) ?? null,
        },
      ],
      `naive-${n}`,
    );
    shownNow.set(key, available);
  }
  const naiveMs = Date.now() - naiveStart;
  const naiveCalls = (await sets()).inventorySets - naiveBefore;
  const calls = after.inventorySets - before.inventorySets;
  console.log(
    JSON.stringify(
      {
        machine: machine(),
        counts: SINGLE,
        propagation: {
          p50ms: percentile(latencies, 50),
          p95ms: percentile(latencies, 95),
          maxMs: Math.max(...latencies),
        },
        burst: {
          changes: BURST,
          skuLocations: finals.size,
          writtenInMs: burstEnd - burstStart,
          calls,
          throttled: after.throttled - before.throttled,
          convergedAfterBurstMs: convergedMs,
        },
        naive: {
          calls: naiveCalls,
          ms: naiveMs,
          // The client paces at the store's configured 2 calls a second.
          minutesAtLimit: +(naiveCalls / 2 / 60).toFixed(1),
        },
        reduction: +(naiveCalls / Math.max(calls, 1)).toFixed(1),
      },
      null,
      2,
    ),
  );
  await hub.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
