import { defineQuery } from '@temporalio/workflow';
import type { CanonicalOrder } from '../../domain/orders/order';
import type { OrderView } from '../../domain/orders/status';

/** Everything the order workflow needs from whoever starts it (the API, a webhook, a reconcile). */
export interface OrderWorkflowInput {
  tenantId: string;
  order: CanonicalOrder;
  /** Carrier connector instance that ships this order (from the tenant's config). */
  carrierConnectorId: string;
  receivedAt: string;
}

export const getOrderQuery = defineQuery<OrderView>('getOrder');
