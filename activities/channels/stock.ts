import { ApplicationFailure } from '@temporalio/common';
import type { Sequelize } from 'sequelize';
import { partnerStatus } from '../../connectors/http/errors';
import type { ConnectorRegistry } from '../../connectors/registry';
import {
  clearStockMarks,
  dirtyStock,
  listedStock,
  recordStockAcknowledged,
  replaceListings,
  setListingAside,
  type StockPosition,
} from '../../db/stock-channels';
import { availableToSell } from '../../domain/channels/stock';
import type { ChannelPush } from './index';

/** Seconds of the store's budget one push may spend, well inside the activity's timeout. */
const PUSH_SECONDS = 20;

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
  return {
    async pushStock(request: {
      tenantId: string;
      connectorId: string;
      complete: boolean;
    }): Promise<ChannelPush> {
      const store = deps.connectors.shopifyStore(request.connectorId);
      const { stockLocations, stockBuffer } = store.options;
      const ref = { tenantId: request.tenantId, connectorId: request.connectorId };
      const perPush = Math.max(1, Math.floor(store.config.rateLimit.requestsPerSecond * PUSH_SECONDS));
      const readAt = new Date().toISOString();
      let positions: StockPosition[];
      if (request.complete) {
        const catalogue = await store.listings();
        await replaceListings(deps.sequelize, ref, catalogue);
        const shown = await store.inventoryLevels(
          catalogue.listings.map((l) => l.inventoryItemId),
          Object.values(stockLocations),
        );
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
      const refused = new Set<string>();
      for (const p of changed) {
        if (refused.has(p.sku)) continue;
        try {
          result.requests += 1;
          await store.setAvailable({
            inventoryItemId: p.inventoryItemId!,
            locationId: stockLocations[p.locationId]!,
            available: p.available,
          });
        } catch (error) {
          const status = partnerStatus(error);
          if (!(
            error instanceof ApplicationFailure &&
            error.nonRetryable &&
            (status === 404 || status === 422)
          ))
            throw error;
          refused.add(p.sku);
          await setListingAside(deps.sequelize, { ...ref, sku: p.sku, reason: error.message });
          continue;
        }
        result.ranges += 1;
        await recordStockAcknowledged(deps.sequelize, ref, [p]);
      }
      await clearStockMarks(
        deps.sequelize,
        ref,
        request.complete
          ? { before: readAt }
          : { marks: positions.map((p) => ({ ...p, markedAt: p.markedAt! })) },
      );
      return result;
    },
  };
}
