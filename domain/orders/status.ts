import type { CanonicalOrder } from './order';
import type { RoutingDecision } from './routing';
import type { StockAllocation } from './stock';
import type { TrackingStatus } from './tracking';

/**
 * Order states visible in the API and as the `CrossdockStatus` search attribute.
 * `completed` belongs to the first order workflow (orderFulfillment), kept for runs still open.
 */
export const ORDER_STATUSES = [
  'received',
  'awaiting_payment',
  'stock_reserved',
  'label_purchased',
  'shipped',
  'delivered',
  'exception',
  'completed',
  'cancelled',
  'expired',
  'rejected',
  'failed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = [
  'delivered',
  'completed',
  'cancelled',
  'expired',
  'rejected',
  'failed',
];

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_ORDER_STATUSES.includes(status);
}

/** States in which an order can still be cancelled: nothing has left a warehouse. */
export const CANCELLABLE_ORDER_STATUSES: readonly OrderStatus[] = [
  'received',
  'awaiting_payment',
  'stock_reserved',
  'label_purchased',
];

/** States in which lines and address may still change: no label bought yet. */
export const EDITABLE_ORDER_STATUSES: readonly OrderStatus[] = [
  'received',
  'awaiting_payment',
  'stock_reserved',
];

/** Failure types that end an order in `rejected`: the input is wrong, retrying cannot help. */
export const ORDER_REJECTION_TYPES = [
  'InvalidOrder',
  'InvalidQuantity',
  'InvalidAddress',
  'CurrencyMismatch',
  'UnknownSku',
  'InactiveSku',
  'InsufficientStock',
  'NoEligibleRate',
] as const;
export type OrderRejectionType = (typeof ORDER_REJECTION_TYPES)[number];

export interface OrderTimelineEntry {
  at: string;
  status: OrderStatus;
  note?: string;
}

export interface OrderLabel {
  locationId: string;
  carrier: string;
  trackingCode: string;
  labelKey: string;
  rate: { service: string; amount: string; currency: string };
  /** Carrier connector that sold the label (rate shopping may pick any configured one). */
  connectorId?: string;
  shipmentKey?: string;
  tracking?: { status: TrackingStatus; at: string; detail?: string };
  voided?: boolean;
}

export interface OrderView {
  id: string;
  /** The order as validated (and edited): lines, prices, tax, address. */
  order?: CanonicalOrder;
  /** The return this order replaces goods for, when it is an exchange's replacement. */
  exchangeFor?: { rmaId: string; orderId: string };
  tenantId: string;
  channel: string;
  externalId: string;
  status: OrderStatus;
  rejection?: { type: string; reasons: string[] };
  routing?: Omit<RoutingDecision, 'allocations'>;
  allocations: StockAllocation[];
  labels?: OrderLabel[];
  totals?: { subtotal: string; tax: string; shipping: string; total: string; currency: string };
  accounting?: { invoiceId: string; paymentId?: string; connectorId: string };
  channelFulfilmentIds?: string[];
  cancellation?: { reason: string; origin: string; refunded?: string };
  exception?: { reason: string; since: string };
  timeline: OrderTimelineEntry[];
}
