import type { Address } from '../orders/order';
import type { TrackingStatus } from '../orders/tracking';
import type { ReceivedLine, RefundBreakdown, ReturnLineRequest } from './policy';

/**
 * Return (RMA) states, visible in the API and as the `CrossdockStatus` search attribute:
 *
 *   requested → approved → in_transit → received → refunded | closed (nothing to pay back)
 *   requested → rejected (ineligible, or refused by a person) · requested | approved → expired
 *   received → failed (a partner refused the refund or credit: ops must act)
 */
export const RETURN_STATUSES = [
  'requested',
  'approved',
  'in_transit',
  'received',
  'refunded',
  'closed',
  'rejected',
  'expired',
  'failed',
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export const TERMINAL_RETURN_STATUSES: readonly ReturnStatus[] = [
  'refunded',
  'closed',
  'rejected',
  'expired',
  'failed',
];

/** Goods are received only once the return is authorised and before it is settled. */
export const RECEIVABLE_RETURN_STATUSES: readonly ReturnStatus[] = ['approved', 'in_transit'];

export const RETURN_CONDITIONS = ['sellable', 'damaged'] as const;

export type ExchangeShipping = 'on_receipt' | 'immediately';

export interface ExchangeLine {
  sku: string;
  quantity: number;
  /** Price per unit the replacement is valued at; defaults to the order's price for the SKU. */
  unitPrice: string;
  tax: string;
}

export interface ReturnTimelineEntry {
  at: string;
  status: ReturnStatus;
  note?: string;
}

export interface ReturnLabel {
  carrier: string;
  connectorId: string;
  trackingCode: string;
  shipmentKey: string;
  labelKey: string;
  labelUrl: string;
  tracking?: { status: TrackingStatus; at: string; detail?: string };
  voided?: boolean;
}

export interface ReturnView {
  id: string;
  tenantId: string;
  orderId: string;
  status: ReturnStatus;
  origin: ReturnOrigin;
  lines: ReturnLineRequest[];
  customerAddress: Address;
  exchange?: { lines: ExchangeLine[]; ships: ExchangeShipping; value: string; orderId?: string };
  label?: ReturnLabel;
  receipt?: { locationId: string; lines: Array<ReceivedLine & { note?: string }>; at: string };
  refund?: RefundBreakdown & {
    /** Part of the refund that paid for the replacement of an exchange. */
    exchangeCredit: string;
    /** What goes back to the customer: total less the exchange credit. */
    paid: string;
    channelRefundId?: string;
    creditNoteId?: string;
  };
  rejection?: { type: string; reasons: string[] };
  timeline: ReturnTimelineEntry[];
}

export type ReturnOrigin = 'api' | 'channel';

/** RMA ids are short and URL-safe; callers derive them from a digest of what identifies the request. */
export const RMA_ID_PATTERN = /^RMA-[A-Z0-9]{6,24}$/;

/** Shipment key of a return's label: one return parcel per RMA, never bought twice. */
export function returnShipmentKey(tenantId: string, rmaId: string): string {
  return `${tenantId}:return:${rmaId}`;
}

/** External id of the replacement order an exchange creates (channel `rest`). */
export function exchangeOrderExternalId(rmaId: string): string {
  return `${rmaId}-X`;
}
