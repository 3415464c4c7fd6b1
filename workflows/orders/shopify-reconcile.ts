import { proxyActivities } from '@temporalio/workflow';
import type { ConnectorActivities } from '../../activities';
import { connectorTaskQueue } from '../../domain/task-queues';
import type { ShopifyReconcileInput } from './contract';

/**
 * One reconcile pass of a Shopify store, started by its Temporal Schedule (and on demand). The
 * pass runs on the store's connector queue, inside the store's rate limit.
 */
export async function shopifyReconcile(
  input: ShopifyReconcileInput,
): ReturnType<ConnectorActivities['reconcileShopifyOrders']> {
  const { reconcileShopifyOrders } = proxyActivities<ConnectorActivities>({
    taskQueue: connectorTaskQueue(input.connectorId),
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '5 seconds', maximumInterval: '2 minutes', maximumAttempts: 10 },
  });
  return reconcileShopifyOrders({ connectorId: input.connectorId });
}
