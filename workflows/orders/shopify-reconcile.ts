import type { MarketplaceActivities } from '../../activities';
import { partners } from '../shared/activities';
import type { ShopifyReconcileInput } from './contract';

/**
 * One reconcile pass of a Shopify store, started by its Temporal Schedule (and on demand). The
 * pass runs on the store's connector queue, inside the store's rate limit.
 */
export async function shopifyReconcile(
  input: ShopifyReconcileInput,
): ReturnType<MarketplaceActivities['reconcileShopifyOrders']> {
  const { reconcileShopifyOrders } = partners.marketplace(input.connectorId, 'storeReconcile');
  return reconcileShopifyOrders({ connectorId: input.connectorId });
}
