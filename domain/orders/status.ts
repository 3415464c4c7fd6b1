/** Order states visible in the API and as the `CrossdockStatus` search attribute. */
export const ORDER_STATUSES = [
  'received',
  'stock_reserved',
  'label_purchased',
  'completed',
  'rejected',
  'failed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = ['completed', 'rejected', 'failed'];

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_ORDER_STATUSES.includes(status);
}

/** Failure types that end an order in `rejected`: the input is wrong, retrying cannot help. */
export const ORDER_REJECTION_TYPES = [
  'InvalidOrder',
  'UnknownSku',
  'InsufficientStock',
  'InvalidAddress',
] as const;
export type OrderRejectionType = (typeof ORDER_REJECTION_TYPES)[number];

export interface OrderTimelineEntry {
  at: string;
  status: OrderStatus;
  note?: string;
}

export interface StockAllocation {
  sku: string;
  locationId: string;
  quantity: number;
}

export interface OrderLabel {
  locationId: string;
  carrier: string;
  trackingCode: string;
  labelKey: string;
  rate: { service: string; amount: string; currency: string };
}

export interface OrderView {
  id: string;
  tenantId: string;
  channel: string;
  externalId: string;
  status: OrderStatus;
  rejection?: { type: string; reasons: string[] };
  allocations: StockAllocation[];
  labels?: OrderLabel[];
  timeline: OrderTimelineEntry[];
}
