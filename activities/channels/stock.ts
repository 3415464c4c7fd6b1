import type { Sequelize } from 'sequelize';
import { QUANTITIES_PER_CALL } from '../../connectors/marketplaces/shopify';
import type { ConnectorRegistry } from '../../connectors/registry';
import {
  clearStockMarks,
  dirtyStock,
  listedStock,
  recordStockAcknowledged,
  replaceListings,
  analyzeStockTables,
  listingsSetAside,
  setListingAside,
  type StockPosition,
} from '../../db/stock-channels';
import { availableToSell } from '../../domain/channels/stock';
import { settled, type ChannelPush, type ChannelPushRequest } from './index';

/** Calls of 250 levels one push may make, well inside the activity's timeout and the store's bucket. */
const CALLS_PER_PUSH = 4;

/**
 * One push of stock to a store: the connection's dirty SKU-locations (or, for a complete set,
 * every SKU the store lists at every location sold from) are read as they stand, and each whose
 * available-to-sell differs from what the store acknowledged is set there. However many changes
 * a SKU went through since the last push, it costs one call. A complete set first reads the
 * store's catalogue and its current levels, so drift made in the store's admin is put right and
 * nothing already right is sent. A SKU the store refuses (unknown item, untracked) is set aside
 * for ops; HTTP failures are retried, and what went through is already recorded.
 */
export function createStockSyncActivities(deps: { sequelize: Sequelize; connectors: ConnectorRegistry }) {
  const { pushStock } = createStockPush(deps);
  return {
    // A delta reads only the SKUs it pushes: how many of the store's are set aside is asked after.
    pushStock: async (request: ChannelPushRequest): Promise<ChannelPush> => {
      const result = await pushStock(request);
      const ref = { tenantId: request.tenantId, connectorId: request.connectorId };
      return { ...result, setAside: (await listingsSetAside(deps.sequelize, ref)).length };
    },
  };
}

function createStockPush(deps: { sequelize: Sequelize; connectors: ConnectorRegistry }) {
  return {
    async pushStock(request: ChannelPushRequest): Promise<ChannelPush> {
      const store = deps.connectors.shopifyStore(request.connectorId);
      await settled(request);
      const { stockLocations, stockBuffer } = store.options;
      const ref = { tenantId: request.tenantId, connectorId: request.connectorId };
      const perPush = QUANTITIES_PER_CALL * CALLS_PER_PUSH;
      const readAt = new Date().toISOString();
      let positions: StockPosition[];
      if (request.complete) {
        // One bulk operation reads the catalogue and every level the store shows, instead of pages
        // at the store's GraphQL pace (the worker heartbeats the activity while Shopify runs it).
        const { levels: shown, listings, ambiguous } = await store.catalogueWithLevels();
        const catalogue = { listings, ambiguous };
        await replaceListings(deps.sequelize, ref, catalogue);
        await analyzeStockTables(deps.sequelize);
        const shownAt = new Map(shown.map((l) => [`${l.inventoryItemId} ${l.locationId}`, l.available]));
        // What the store shows now is what it has acknowledged; not stocked there counts as unknown.
        positions = (await listedStock(deps.sequelize, ref)).map((p) => ({
          ...p,
          acked: shownAt.get(`${p.inventoryItemId} ${stockLocations[p.locationId]}`) ?? null,
        }));
        await recordStockAcknowledged(
          deps.sequelize,
          ref,
          positions.filter((p) => p.acked !== null).map((p) => ({ ...p, available: p.acked! })),
        );
      } else {
        positions = await dirtyStock(deps.sequelize, { ...ref, limit: perPush });
      }
      const changed = positions
        .filter((p) => p.inventoryItemId !== null && p.setAside === null && stockLocations[p.locationId])
        .map((p) => ({ ...p, available: availableToSell(p, stockBuffer) }))
        .filter((p) => p.available !== p.acked);
      const result: ChannelPush = {
        requests: 0,
        ranges: 0,
        nights: changed.length,
        remaining: !request.complete && positions.length >= perPush,
        // The store's client paces each call; the sync leaves the same pace between pushes, so
        // a burst of changes piles up into the next push instead of spending the store's budget.
        spacingMs: Math.ceil(1000 / store.config.rateLimit.requestsPerSecond),
      };
      // One call per 250 levels, each compared with what the store last showed: a level the store
      // changed meanwhile (a sale not heard of yet) is read again and left marked for the next push.
      const outcome = await store.setQuantities(
        changed.map((p) => ({
          inventoryItemId: p.inventoryItemId!,
          locationId: stockLocations[p.locationId]!,
          available: p.available,
          compare: p.acked,
        })),
        `${request.tenantId}/${request.connectorId}/${readAt}`,
      );
      result.requests += outcome.calls;
      const byLevel = new Map(
        changed.map((p) => [`${p.inventoryItemId} ${stockLocations[p.locationId]}`, p]),
      );
      const positionOf = (level: { inventoryItemId: string; locationId: number }) =>
        byLevel.get(`${level.inventoryItemId} ${level.locationId}`)!;
      const taken = outcome.set.map(positionOf);
      result.ranges += taken.length;
      await recordStockAcknowledged(deps.sequelize, ref, taken);
      for (const sku of new Set(outcome.refused.map((r) => positionOf(r.level).sku)))
        await setListingAside(deps.sequelize, {
          ...ref,
          sku,
          reason: outcome.refused.find((r) => positionOf(r.level).sku === sku)!.reason,
        });
      const stale = outcome.stale.map(positionOf);
      if (stale.length > 0) {
        const shown = await store.inventoryLevels(
          [...new Set(stale.map((p) => p.inventoryItemId!))],
          [...new Set(stale.map((p) => stockLocations[p.locationId]!))],
        );
        const now = new Map(shown.map((l) => [`${l.inventoryItemId} ${l.locationId}`, l.available]));
        await recordStockAcknowledged(
          deps.sequelize,
          ref,
          stale
            .map((p) => ({
              ...p,
              available: now.get(`${p.inventoryItemId} ${stockLocations[p.locationId]}`) ?? null,
            }))
            .filter((p): p is typeof p & { available: number } => p.available !== null),
        );
        result.remaining = true;
      }
      const staleKeys = new Set(stale.map((p) => `${p.sku} ${p.locationId}`));
      await clearStockMarks(
        deps.sequelize,
        ref,
        request.complete
          ? { before: readAt }
          : {
              marks: positions
                .filter((p) => !staleKeys.has(`${p.sku} ${p.locationId}`))
                .map((p) => ({ ...p, markedAt: p.markedAt! })),
            },
      );
      return result;
    },
  };
}
