import { fromMinorUnits, toMinorUnits } from '../../shared/money';

/** A `returns/request` webhook: the customer asked for a return on Shopify. */
export interface ShopifyReturn {
  id: number;
  status?: string;
  order?: { id: number };
  return_line_items?: Array<{
    id: number;
    quantity: number;
    return_reason?: string | null;
    return_reason_note?: string | null;
    fulfillment_line_item?: { id?: number; line_item?: { id: number } };
  }>;
}

/** A `refunds/create` webhook: a refund made on Shopify, by the hub or by someone in Shopify's admin. */
export interface ShopifyRefund {
  id: number;
  order_id: number;
  note?: string | null;
  refund_line_items?: Array<{ line_item_id: number; quantity: number }>;
  transactions?: Array<{ kind: string; status: string; amount: string }>;
}

export interface ChannelReturnRequest {
  orderExternalId: string;
  reference: string;
  lines: Array<{ channelLineId: string; quantity: number; reason?: string }>;
}

export function returnRequestFromShopify(payload: ShopifyReturn): ChannelReturnRequest | undefined {
  const orderId = payload?.order?.id;
  const items = payload?.return_line_items;
  if (typeof payload?.id !== 'number' || typeof orderId !== 'number' || !Array.isArray(items))
    return undefined;
  const lines = items.map((item) => ({
    channelLineId: String(item.fulfillment_line_item?.line_item?.id ?? ''),
    quantity: item.quantity,
    ...(item.return_reason
      ? { reason: [item.return_reason, item.return_reason_note].filter(Boolean).join(': ') }
      : {}),
  }));
  if (lines.some((l) => !l.channelLineId)) return undefined;
  return { orderExternalId: String(orderId), reference: `shopify-return-${payload.id}`, lines };
}

/** The hub writes its RMA id first in the notes of the refunds it makes. */
export function isHubRefund(refund: ShopifyRefund): boolean {
  return /^RMA-[A-Z0-9]+: /.test(refund.note ?? '');
}

export interface ChannelRefund {
  orderExternalId: string;
  reference: string;
  lines: Array<{ channelLineId: string; quantity: number }>;
  amount: string;
}

export function refundFromShopify(payload: ShopifyRefund): ChannelRefund | undefined {
  if (typeof payload?.id !== 'number' || typeof payload.order_id !== 'number') return undefined;
  const paid = (payload.transactions ?? [])
    .filter((t) => t.kind === 'refund' && t.status === 'success')
    .reduce((sum, t) => sum + toMinorUnits(t.amount), 0);
  return {
    orderExternalId: String(payload.order_id),
    reference: `shopify-refund-${payload.id}`,
    lines: (payload.refund_line_items ?? []).map((l) => ({
      channelLineId: String(l.line_item_id),
      quantity: l.quantity,
    })),
    amount: fromMinorUnits(paid),
  };
}
