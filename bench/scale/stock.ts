import { randomBytes } from 'node:crypto';
import axios from 'axios';
import { MasterDataService } from '../../db/master-data/service';
import { startBenchHub } from '../shared/hub';

/** Variants per sandbox product: Shopify's catalogues carry many products of a few dozen variants. */
const VARIANTS_PER_PRODUCT = 50;
const WAREHOUSES = ['reno', 'newark'] as const;
/** Shopify's `inventory_levels/set` took one SKU-location a call, at a standard store's 2 calls a second. */
const REST_CALLS_PER_SECOND = 2;

export interface StockRow {
  skuLocations: number;
  /** The complete set (the store's catalogue and levels read, every level differing set) in seconds. */
  completeSetSeconds: number;
  /** GraphQL calls the store received for it: reads of variants and levels, and the sets. */
  graphqlCalls: number;
  quantitiesSet: number;
  /** What REST `inventory_levels/set` would take for the same levels: one call each at 2 a second. */
  restMinutes: number;
  /** Of that, the wait before the push began: from the resync request to its first call to the store. */
  waitSeconds: number;
  /**
   * Of that, from the resync request until the first level is set: the wait, then reading the
   * store's catalogue and its levels (the bulk operation) and what the hub keeps of them.
   */
  catalogueReadSeconds: number;
  /** Of the GraphQL calls, those that read (the rest set levels or activate them). */
  reads: number;
  throttled: number;
}

/**
 * Stock to a Shopify store of `skuLocations / 2` SKUs stocked at two warehouses: the complete set
 * a resync sends (every level differs from what the store shows), against Shopify's standard
 * GraphQL cost bucket (1,000 points, 50 a second), with the catalogue read it starts with.
 */
export async function measureStock(skuLocations: number): Promise<StockRow> {
  const hub = await startBenchHub();
  try {
    const { services, apiUrl, sandboxUrl } = hub;
    const headers = { Authorization: `Bearer ${process.env.CROSSDOCK_API_KEY_ACME}` };
    await axios.put(`${sandboxUrl}/__sandbox/shopify/settings`, {
      costBucket: { maximumAvailable: 1_000, restoreRate: 50 },
    });
    const run = randomBytes(3).toString('hex').toUpperCase();
    const skus = Array.from(
      { length: Math.ceil(skuLocations / WAREHOUSES.length) },
      (_, i) => `S${run}-${i}`,
    );
    // The catalogue as a tenant's setup declares it, in one batch through the master data service.
    await new MasterDataService({
      sequelize: services.sequelize,
      mappings: [],
      horizonDays: () => 0,
    }).declare(
      'acme',
      skus.map((sku) => ({ kind: 'item', ref: { key: sku }, body: { sku, name: sku, weightGrams: 300 } })),
    );
    for (let i = 0; i < skus.length; i += VARIANTS_PER_PRODUCT)
      await axios.post(`${sandboxUrl}/__sandbox/shopify/products`, {
        title: `Product ${i}`,
        variants: skus.slice(i, i + VARIANTS_PER_PRODUCT).map((sku) => ({ sku })),
      });
    // Counts at both warehouses, written at once and past the marking trigger (the setup of the
    // bench, not what it measures): the store shows none of them, so the complete set sends all.
    await services.sequelize.transaction(async (transaction) => {
      await services.sequelize.query(`SET LOCAL session_replication_role = replica`, { transaction });
      await services.sequelize.query(
        `INSERT INTO inventory_levels (tenant_id, sku, location_id, on_hand)
         SELECT 'acme', sku, location, 100 + ordinality::int % 7
           FROM unnest(ARRAY[:skus]::text[]) WITH ORDINALITY AS s(sku, ordinality),
                unnest(ARRAY[:locations]::text[]) AS l(location)
         ON CONFLICT (tenant_id, sku, location_id) DO UPDATE SET on_hand = EXCLUDED.on_hand`,
        { replacements: { skus, locations: [...WAREHOUSES] }, transaction },
      );
    });
    type ShopStats = { quantitiesSet: number; throttled: number };
    const stats = async () =>
      (await axios.get<{ shopify: ShopStats }>(`${sandboxUrl}/__sandbox/stats`)).data.shopify;
    type Call = { at: string; body?: { query?: string } };
    const calls = async () =>
      (await axios.get<Call[]>(`${sandboxUrl}/__sandbox/calls`, { params: { partner: 'shopify' } })).data;
    // The hub's start-up work with the store (its first complete set, the catalogue import) is
    // done: the store's levels stop changing. A complete set reads the store in one bulk
    // operation now, so the start-up one may already have set these levels: each is moved on by
    // one (past the marking trigger), so the measured complete set has every level to send.
    for (let last = -1; ;) {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const now = (await stats()).quantitiesSet;
      if (now === last) break;
      last = now;
    }
    await services.sequelize.transaction(async (transaction) => {
      await services.sequelize.query(`SET LOCAL session_replication_role = replica`, { transaction });
      await services.sequelize.query(
        `UPDATE inventory_levels SET on_hand = on_hand + 1 WHERE tenant_id = 'acme' AND sku = ANY(ARRAY[:skus]::text[])`,
        { replacements: { skus }, transaction },
      );
    });
    const before = { ...(await stats()), calls: (await calls()).length };

    const started = Date.now();
    await axios.post(`${apiUrl}/v1/channels/acme-shopify/resync`, undefined, { headers });
    const expected = skus.length * WAREHOUSES.length;
    for (let polls = 1; ; polls++) {
      const sent = (await stats()).quantitiesSet - before.quantitiesSet;
      if (sent >= expected) break;
      if (polls % 150 === 0) console.error(`stock: ${sent} of ${expected} levels set`);
      if (Date.now() - started > 3 * 3_600_000) throw new Error('the complete set did not finish in 3 hours');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const completeSetSeconds = (Date.now() - started) / 1000;
    const after = await stats();
    const made = (await calls()).slice(before.calls);
    // The catalogue and its levels are read before the first level is set.
    const firstSet = made.find((c) => c.body?.query?.includes('inventorySetQuantities'));
    const readSeconds = firstSet ? (Date.parse(firstSet.at) - started) / 1000 : completeSetSeconds;
    const waitSeconds = made[0] ? (Date.parse(made[0].at) - started) / 1000 : completeSetSeconds;
    return {
      skuLocations: expected,
      completeSetSeconds: Math.round(completeSetSeconds * 10) / 10,
      waitSeconds: Math.round(waitSeconds * 10) / 10,
      catalogueReadSeconds: Math.round(readSeconds * 10) / 10,
      graphqlCalls: made.length,
      // Reads: the bulk query, its polls and its file, or pages; the rest set or activate levels.
      reads: made.filter((c) => !/inventorySetQuantities|inventoryActivate/.test(c.body?.query ?? '')).length,
      quantitiesSet: after.quantitiesSet - before.quantitiesSet,
      restMinutes: Math.round((expected / REST_CALLS_PER_SECOND / 60) * 10) / 10,
      throttled: after.throttled - before.throttled,
    };
  } finally {
    await hub.stop();
  }
}
