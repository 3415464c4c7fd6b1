import type { Sequelize } from 'sequelize';
import {
  fulfilLocationStock,
  fulfilOrderStock,
  releaseOrderStock,
  reserveOrderStock,
  reserveRoutedStock,
  type HeldStock,
  type StockPlanner,
} from '../../db/inventory';
import {
  routeOrder,
  type Destination,
  type RoutingDecision,
  type RoutingStrategy,
} from '../../domain/orders/routing';
import type { StockAllocation } from '../../domain/orders/stock';
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

export interface RoutedStockRequest extends StockRequest {
  destination: Destination;
  strategy: RoutingStrategy;
}

export interface RoutedStock {
  allocations: StockAllocation[];
  routing: Omit<RoutingDecision, 'allocations'>;
}

/** Inventory steps of the order lifecycle; each is idempotent per order key. */
export function createRoutedInventoryActivities(deps: { sequelize: Sequelize }) {
  function routed(request: RoutedStockRequest, held: HeldStock): Promise<RoutedStock> {
    return refusingNonRetryably(async () => {
      const plan: StockPlanner = (levels, locations) =>
        routeOrder(request.lines, levels, locations, request.destination, request.strategy);
      const { tenantId, orderKey, lines } = request;
      const result = await reserveRoutedStock(deps.sequelize, tenantId, orderKey, lines, plan, held);
      return { allocations: result.allocations, routing: result.decision };
    });
  }

  return {
    /** Routes and reserves in one transaction: the routing decision is made on locked rows. */
    async reserveRoutedStock(request: RoutedStockRequest): Promise<RoutedStock> {
      return routed(request, 'keep');
    },

    /** An edit: swaps the order's reservation for the new lines, or refuses and changes nothing. */
    async replaceReservedStock(request: RoutedStockRequest): Promise<RoutedStock> {
      return routed(request, 'replace');
    },

    /** One parcel was picked up: its location's units leave stock. */
    async fulfilLocationStock(ref: StockOrderRef & { locationId: string }): Promise<StockAllocation[]> {
      return fulfilLocationStock(deps.sequelize, ref.tenantId, ref.orderKey, ref.locationId);
    },
  };
}
