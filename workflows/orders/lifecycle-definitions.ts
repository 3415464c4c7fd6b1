import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Address, CanonicalOrderInput, OrderLine, PaymentStatus } from '../../domain/orders/order';
import type { RoutingStrategy } from '../../domain/orders/routing';
import type { OrderView } from '../../domain/orders/status';
import type { TrackingUpdate } from '../../domain/orders/tracking';

/** What a tenant's config says about fulfilling its orders, captured when the order arrives. */
export interface OrderLifecyclePolicy {
  currency: string;
  shipsTo: string[];
  carriers: string[];
  routing: RoutingStrategy;
  accountingConnectorId?: string;
  /** Marketplace connector that gets tracking numbers and refunds (the channel the order came from). */
  channelConnectorId?: string;
  editWindowSeconds: number;
  paymentTimeoutMinutes: number;
  stuckAfterDays: number;
}

export type OrderOrigin = 'api' | 'webhook' | 'reconcile' | 'pos' | 'exchange';

/** Input of the order lifecycle workflow: the order as the channel sent it, validated inside. */
export interface OrderLifecycleInput {
  tenantId: string;
  candidate: CanonicalOrderInput;
  policy: OrderLifecyclePolicy;
  receivedAt: string;
  origin: OrderOrigin;
  /** Set on the replacement order of an exchange: the return it replaces goods for. */
  exchangeFor?: { rmaId: string; orderId: string };
}

/** The order process as callers start it; `order-lifecycle.ts` conforms (`workflows/conformance.ts`). */
export type OrderLifecycleWorkflow = (input: OrderLifecycleInput) => Promise<OrderView>;

/** One reconcile pass of a Shopify store (its schedule's arguments). */
export interface ShopifyReconcileInput {
  connectorId: string;
}

export interface CancelRequest {
  reason: string;
  /** `channel` when the channel itself cancelled (its refund is its own), `api` or `ops` otherwise. */
  origin: 'api' | 'channel' | 'ops';
}

export interface EditRequest {
  shippingAddress?: Address;
  /** The order's new lines; a SKU the order did not have needs its unitPrice. */
  lines?: Array<Pick<OrderLine, 'sku' | 'quantity'> & Partial<OrderLine>>;
}

/** What the channel reports about an order it already sent: payment, or a changed address. */
export interface ChannelOrderUpdate {
  paymentStatus?: PaymentStatus;
  shippingAddress?: Address;
}

export const cancelOrderUpdate = defineUpdate<OrderView, [CancelRequest]>('cancelOrder');
export const editOrderUpdate = defineUpdate<OrderView, [EditRequest]>('editOrder');
export const trackingSignal = defineSignal<[TrackingUpdate]>('tracking');
export const channelOrderUpdatedSignal = defineSignal<[ChannelOrderUpdate]>('channelOrderUpdated');
