import { QueryTypes } from 'sequelize';
import { changeOnHand, setOnHand } from '../../db/inventory';
import {
  acmeHeaders,
  eventually,
  http,
  postRestOrder,
  sandboxStats,
  seedStock,
  uniqueId,
} from '../support/fixtures';
import { recordHistoryIfAsked } from '../support/histories';
import { startTestHub, type TestHub } from '../support/hub';
import { channelSyncWorkflowId } from '../../workflows/channels/contract';

/** The sandbox store's locations for acme's warehouses (crossdock.config.yaml). */
const STORE = { reno: '71000000001', newark: '71000000002' } as const;
const CONNECTOR = 'acme-shopify';

interface StoreStats {
  shopify: { inventorySets: number; quantitiesSet: number; throttled: number };
}

/**
 * Stock from PostgreSQL to the sandbox Shopify store: through the inventory trigger, the database
 * notification, the store's sync workflow and the Shopify connector (shopify-api-node), with the
 * store's REST bucket (40 calls, 2 a second) enforced by the sandbox.
 */
describe('stock synchronisation to a marketplace end to end', () => {
  let hub: TestHub;

  const stats = async () => (await sandboxStats(hub.sandboxUrl)) as unknown as StoreStats;
  const shown = async (sku: string) =>
    (
      await http.get<{ locations: Record<string, number> }>(
        `${hub.sandboxUrl}/__sandbox/shopify/stock/${sku}`,
      )
    ).data.locations;
  const waitForStore = (sku: string, expected: Record<string, number>, timeoutMs = 30_000) =>
    eventually(
      `the store to show ${sku} as ${JSON.stringify(expected)}`,
      async () => {
        const locations = await shown(sku);
        return Object.entries(expected).every(([location, n]) => locations[location] === n)
          ? locations
          : undefined;
      },
      timeoutMs,
    );
  /**
   * Products of this test's own on the store: they are listed at the next complete set. Stocked
   * nowhere yet, so the first level the hub sets at each location is an inventoryActivate.
   */
  const listOnStore = async (skus: string[]) => {
    const ids: number[] = [];
    for (const sku of skus) {
      const { data } = await http.post<{ product: { id: number } }>(
        `${hub.sandboxUrl}/__sandbox/shopify/products`,
        {
          title: `Item ${sku}`,
          variants: [{ sku }],
          stockedAt: [],
        },
      );
      ids.push(data.product.id);
    }
    return ids;
  };
  const resync = async () => {
    const res = await http.post(`${hub.apiUrl}/v1/channels/${CONNECTOR}/resync`, undefined, {
      headers: acmeHeaders(),
    });
    expect(res.status).toBe(202);
  };
  const nothingWaiting = () =>
    eventually('the store connection to have nothing waiting', async () => {
      const { data } = await http.get<{ pendingMarks: number }>(`${hub.apiUrl}/v1/channels/${CONNECTOR}`, {
        headers: acmeHeaders(),
      });
      return data.pendingMarks === 0 ? true : undefined;
    });
  /** A new SKU stocked at acme's warehouses (by name) and listed on the store, once the store shows it. */
  const stockedOnStore = async (sku: string, levels: Record<string, number>) => {
    await seedStock(hub.services.sequelize, 'acme', { [sku]: levels });
    await listOnStore([sku]);
    await resync();
    await waitForStore(
      sku,
      Object.fromEntries(
        Object.entries(levels).map(([warehouse, n]) => [STORE[warehouse as keyof typeof STORE], n]),
      ),
    );
  };

  beforeAll(async () => {
    await http.put(`${process.env.CROSSDOCK_SANDBOX_URL}/__sandbox/shopify/settings`, {
      // A Standard plan's GraphQL bucket: 1,000 points, restored at 50 a second.
      costBucket: { maximumAvailable: 1_000, restoreRate: 50 },
    });
    hub = await startTestHub();
  });

  afterAll(async () => {
    await http.put(`${hub.sandboxUrl}/__sandbox/shopify/settings`, { costBucket: null });
    await hub?.stop();
  });

  test('available-to-sell per location reaches the store, and an order lowers it', async () => {
    const sku = uniqueId('TARP').toUpperCase();
    await stockedOnStore(sku, { reno: 30, newark: 5 });

    const order = await postRestOrder(hub.apiUrl, uniqueId('stock'), [{ sku, quantity: 3 }]);
    expect(order.status).toBe(202);
    const after = await eventually('the order to reach the store', async () => {
      const locations = await shown(sku);
      return locations[STORE.reno]! + locations[STORE.newark]! === 32 ? locations : undefined;
    });
    // Ship-complete takes all three units from one warehouse.
    expect([
      [27, 5],
      [30, 2],
    ]).toContainEqual([after[STORE.reno], after[STORE.newark]]);

    const view = await http.get<{ kind: string; sync: { pushes: number }; setAside: unknown[] }>(
      `${hub.apiUrl}/v1/channels/${CONNECTOR}`,
      { headers: acmeHeaders() },
    );
    expect(view.data).toMatchObject({ kind: 'stock', setAside: [] });
    expect(view.data.sync.pushes).toBeGreaterThan(0);
  });

  test('a burst of 1,000 stock changes reaches the store in a few dozen calls, within its bucket', async () => {
    const skus = Array.from({ length: 10 }, () => uniqueId('BURST').toUpperCase());
    await seedStock(
      hub.services.sequelize,
      'acme',
      Object.fromEntries(skus.map((sku) => [sku, { reno: 100, newark: 100 }])),
    );
    await listOnStore(skus);
    await resync();
    for (const sku of skus) await waitForStore(sku, { [STORE.reno]: 100, [STORE.newark]: 100 });
    await nothingWaiting();
    const before = await stats();

    // 1,000 changes: 50 to each SKU at each warehouse, each its own transaction.
    const final: Record<string, Record<string, number>> = {};
    for (let round = 1; round <= 50; round++)
      await Promise.all(
        skus.flatMap((sku, i) =>
          (['reno', 'newark'] as const).map((location) => {
            const onHand = 100 + ((round * (i + 3) + (location === 'reno' ? 7 : 0)) % 41) - 20;
            (final[sku] ??= {})[location] = onHand;
            return setOnHand(hub.services.sequelize, 'acme', sku, location, onHand, 'count');
          }),
        ),
      );
    for (const sku of skus)
      await waitForStore(
        sku,
        { [STORE.reno]: final[sku]!.reno!, [STORE.newark]: final[sku]!.newark! },
        60_000,
      );
    await nothingWaiting();
    const after = await stats();
    const calls = after.shopify.inventorySets - before.shopify.inventorySets;
    const levels = after.shopify.quantitiesSet - before.shopify.quantitiesSet;
    console.log(
      `1,000 stock changes cost ${calls} inventorySetQuantities calls setting ${levels} levels (naive: 1,000)`,
    );
    // At least one set for each level that ends up different from where it started, 250 a call at most.
    const moved = Object.values(final).flatMap((levels) => Object.values(levels).filter((n) => n !== 100));
    expect(levels).toBeGreaterThanOrEqual(moved.length);
    expect(calls).toBeGreaterThanOrEqual(Math.ceil(moved.length / 250));
    expect(calls).toBeLessThanOrEqual(100);
    expect(after.shopify.throttled).toBe(before.shopify.throttled);
    // A running store sync's history so far: later changes must replay it.
    await recordHistoryIfAsked(
      hub.services.client,
      channelSyncWorkflowId('acme', CONNECTOR),
      'stock-sync-bucketed-running',
    );
    // Its complete set now runs under the complete-set profile: recorded with it too.
    await recordHistoryIfAsked(
      hub.services.client,
      channelSyncWorkflowId('acme', CONNECTOR),
      'stock-sync-complete-set-running',
    );
  });

  test('a complete set puts right what was changed in the store admin, and sends nothing already right', async () => {
    const sku = uniqueId('DRIFT').toUpperCase();
    await stockedOnStore(sku, { reno: 12, newark: 0 });
    await nothingWaiting();

    await http.put(`${hub.sandboxUrl}/__sandbox/shopify/stock/${sku}`, {
      locationId: Number(STORE.reno),
      available: 50,
    });
    const before = await stats();
    await resync();
    await waitForStore(sku, { [STORE.reno]: 12 });
    const after = await stats();
    // Only the drifted level was set, in one call: everything else the store showed was already right.
    expect(after.shopify.inventorySets - before.shopify.inventorySets).toBe(1);
    expect(after.shopify.quantitiesSet - before.shopify.quantitiesSet).toBe(1);
  });

  test('a SKU the store refuses is set aside for ops and the others keep flowing', async () => {
    const [gone, kept] = [uniqueId('GONE').toUpperCase(), uniqueId('KEPT').toUpperCase()];
    await seedStock(hub.services.sequelize, 'acme', { [gone]: { reno: 4 }, [kept]: { reno: 4 } });
    const [goneProduct] = await listOnStore([gone, kept]);
    await resync();
    await waitForStore(gone, { [STORE.reno]: 4 });
    await waitForStore(kept, { [STORE.reno]: 4 });

    // The product is deleted in the store: its inventory item no longer exists (INVALID_INVENTORY_ITEM).
    await http.delete(`${hub.sandboxUrl}/__sandbox/shopify/products/${goneProduct}`);
    await changeOnHand(hub.services.sequelize, {
      tenantId: 'acme',
      sku: gone,
      locationId: 'reno',
      adjust: 1,
      reason: 'found',
    });
    await changeOnHand(hub.services.sequelize, {
      tenantId: 'acme',
      sku: kept,
      locationId: 'reno',
      adjust: 2,
      reason: 'found',
    });
    await waitForStore(kept, { [STORE.reno]: 6 });
    const aside = await eventually('the refused SKU to be set aside', async () => {
      const { data } = await http.get<{ setAside: Array<{ sku: string; reason: string }> }>(
        `${hub.apiUrl}/v1/channels/${CONNECTOR}`,
        { headers: acmeHeaders() },
      );
      return data.setAside.find((s) => s.sku === gone);
    });
    expect(aside.reason).toMatch(/could not be found. \(INVALID_INVENTORY_ITEM\)/);
    await nothingWaiting();

    // A SKU the store lists on two variants cannot be told apart: set aside at the next complete set.
    const twice = uniqueId('TWICE').toUpperCase();
    await seedStock(hub.services.sequelize, 'acme', { [twice]: { reno: 2 } });
    const listedTwice = await http.post<{ product: { id: number } }>(
      `${hub.sandboxUrl}/__sandbox/shopify/products`,
      {
        title: `Item ${twice}`,
        variants: [{ sku: twice }, { sku: twice }],
        stockedAt: [],
      },
    );
    await resync();
    const ambiguous = await eventually('the SKU on two variants to be set aside', async () => {
      const { data } = await http.get<{ setAside: Array<{ sku: string; reason: string }> }>(
        `${hub.apiUrl}/v1/channels/${CONNECTOR}`,
        { headers: acmeHeaders() },
      );
      return data.setAside.find((s) => s.sku === twice);
    });
    expect(ambiguous.reason).toMatch(/on 2 variants/);
    expect(await shown(twice)).toEqual({});
    // The merchant removes the duplicate product.
    await http.delete(`${hub.sandboxUrl}/__sandbox/shopify/products/${listedTwice.data.product.id}`);

    // Ops resolve it: the complete set reads the catalogue again, and the SKU is no longer listed.
    const resolved = await http.post<{ resolved: number }>(
      `${hub.apiUrl}/v1/channels/${CONNECTOR}/mappings/resolve`,
      undefined,
      { headers: acmeHeaders() },
    );
    expect(resolved.data.resolved).toBeGreaterThanOrEqual(1);
    await eventually('the set-aside list to be empty', async () => {
      const { data } = await http.get<{ setAside: unknown[] }>(`${hub.apiUrl}/v1/channels/${CONNECTOR}`, {
        headers: acmeHeaders(),
      });
      return data.setAside.length === 0 ? true : undefined;
    });
  });

  test('a stock change reaches the store within seconds after PostgreSQL drops the notification listener', async () => {
    const sku = uniqueId('RELISTEN').toUpperCase();
    await stockedOnStore(sku, { reno: 5 });
    // The sync has sent both complete sets (its first, and the one asked for) and waits for news.
    await nothingWaiting();
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    // What a PostgreSQL restart does to the listener's session.
    const terminated = await hub.services.sequelize.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
        WHERE query = 'LISTEN crossdock_channel_dirty' AND pid <> pg_backend_pid()`,
      { type: QueryTypes.SELECT },
    );
    expect(terminated.length).toBeGreaterThanOrEqual(1);
    expect(terminated.every((row) => row.ok)).toBe(true);
    await setOnHand(hub.services.sequelize, 'acme', sku, 'reno', 3, 'count');
    // The sync's own poll comes a minute later; the listener, back within seconds, nudges it first.
    const started = Date.now();
    await waitForStore(sku, { [STORE.reno]: 3 }, 20_000);
    console.log(`stock reached the store ${Date.now() - started} ms after the listener was cut off`);
  });

  test('a store answering 503 and 429 for a while gets the final values once it is back', async () => {
    const sku = uniqueId('OUTAGE').toUpperCase();
    await stockedOnStore(sku, { reno: 10 });
    await http.put(`${hub.sandboxUrl}/__sandbox/faults/shopify`, { failNext: { count: 4, status: 503 } });
    for (const n of [9, 8, 7]) await setOnHand(hub.services.sequelize, 'acme', sku, 'reno', n, 'count');
    await waitForStore(sku, { [STORE.reno]: 7 });
    await http.put(`${hub.sandboxUrl}/__sandbox/faults/shopify`, { failNext: { count: 2, status: 429 } });
    await setOnHand(hub.services.sequelize, 'acme', sku, 'reno', 3, 'count');
    await waitForStore(sku, { [STORE.reno]: 3 });
    await nothingWaiting();
    await http.delete(`${hub.sandboxUrl}/__sandbox/faults`);
  });

  test('the nightly resync starts a sync that was stopped by hand', async () => {
    const workflowId = channelSyncWorkflowId('acme', CONNECTOR);
    await hub.services.client.workflow.getHandle(workflowId).terminate('stopped by ops');
    const sku = uniqueId('NIGHT').toUpperCase();
    await seedStock(hub.services.sequelize, 'acme', { [sku]: { newark: 9 } });
    await listOnStore([sku]);
    // What the schedule runs, started by hand.
    const resyncId = uniqueId('channel-resync-test');
    await hub.services.client.workflow.execute('channelResync', {
      workflowId: resyncId,
      taskQueue: hub.config.temporal.orchestrationTaskQueue,
      args: [{ tenantId: 'acme', connectorId: CONNECTOR, kind: 'stock' }],
    });
    await waitForStore(sku, { [STORE.newark]: 9, [STORE.reno]: 0 });
    const description = await hub.services.client.workflow.getHandle(workflowId).describe();
    expect(description.status.name).toBe('RUNNING');
    await recordHistoryIfAsked(hub.services.client, resyncId, 'channel-resync-restarted');
  });
});
