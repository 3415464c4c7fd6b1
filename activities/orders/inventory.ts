import type { Sequelize } from 'sequelize';
import { fulfilOrderStock, releaseOrderStock, reserveOrderStock } from '../../db/inventory';
import type { StockAllocation } from '../../domain/orders/status';
import { refusingNonRetryably } from '../shared/failures';

export interface StockRequest {
  tenantId: string;
  orderKey: string;
  lines: Array<{ sku: string; quantity: number }>;
}

export interface StockOrderRef {
  tenantId: string;
  orderKey: string;
}

/** Inventory steps of an order; each is idempotent per order key. */
export function createInventoryActivities(deps: { sequelize: Sequelize }) {
  return {
    async reserveStock(request: StockRequest): Promise<StockAllocation[]> {
      return refusingNonRetryably(async () => {
        const result = await reserveOrderStock(
          deps.sequelize,
          request.tenantId,
          request.orderKey,
          request.lines,
        );
        return result.allocations;
      });
    },

    /** Compensation for reserveStock: gives back exactly what this order holds, nothing else. */
    async releaseStock(ref: StockOrderRef): Promise<StockAllocation[]> {
      return releaseOrderStock(deps.sequelize, ref.tenantId, ref.orderKey);
    },

    /** The goods left the building: held units leave both reserved and on-hand. */
    async fulfilStock(ref: StockOrderRef): Promise<StockAllocation[]> {
      return fulfilOrderStock(deps.sequelize, ref.tenantId, ref.orderKey);
    },
  };
}
