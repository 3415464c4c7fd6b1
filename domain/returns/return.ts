import { z } from 'zod';
import { addressSchema } from '../orders/order';
import { parcelTrackingSchema } from '../orders/status';
import { timelineEntrySchema } from '../shared/statuses';
import { RETURN_CONDITIONS, receivedLineSchema, refundBreakdownSchema, returnLineSchema } from './policy';

export { RETURN_CONDITIONS };

/**
 * Return (RMA) states, visible in the API and as the `CrossdockStatus` search attribute:
 *
 *   requested → approved → in_transit → received → refunded | closed (nothing to pay back)
 *   requested → rejected (ineligible, or refused by a person) · requested | approved → expired
 *   received → failed (a partner refused the refund or credit: ops must act)
 *
 * Each state is declared once, as open or terminal, so a new state must say which it is.
 */
const OPEN_RETURN_STATUSES = ['requested', 'approved', 'in_transit', 'received'] as const;
const CLOSED_RETURN_STATUSES = ['refunded', 'closed', 'rejected', 'expired', 'failed'] as const;
export const RETURN_STATUSES = [...OPEN_RETURN_STATUSES, ...CLOSED_RETURN_STATUSES] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];
export const TERMINAL_RETURN_STATUSES: readonly ReturnStatus[] = CLOSED_RETURN_STATUSES;

/** Goods are received only once the return is authorised and before it is settled. */
export const RECEIVABLE_RETURN_STATUSES: readonly ReturnStatus[] = ['approved', 'in_transit'];

export const EXCHANGE_SHIPPING = ['on_receipt', 'immediately'] as const;
export type ExchangeShipping = (typeof EXCHANGE_SHIPPING)[number];

const amount = z.string().describe('decimal amount, e.g. "12.50"');
const timestamp = z.string().describe('ISO 8601 date-time');

export const exchangeLineSchema = z.object({
  sku: z.string(),
  quantity: z.number().int(),
  /** Price per unit the replacement is valued at; defaults to the order's price for the SKU. */
  unitPrice: amount,
  tax: amount,
});
export type ExchangeLine = z.infer<typeof exchangeLineSchema>;

export const returnLabelSchema = z.object({
  carrier: z.string(),
  connectorId: z.string(),
  trackingCode: z.string(),
  shipmentKey: z.string(),
  labelKey: z.string().describe('where the label PDF is kept in the hub storage'),
  labelUrl: z.string(),
  tracking: parcelTrackingSchema().optional(),
  voided: z.boolean().optional(),
});
export type ReturnLabel = z.infer<typeof returnLabelSchema>;

export const RETURN_ORIGINS = ['api', 'channel'] as const;
export type ReturnOrigin = (typeof RETURN_ORIGINS)[number];

/** A return as its process shows it: the `getReturn` Query's answer and the API's return body. */
export const returnViewSchema = z.object({
  id: z.string().describe('the RMA id'),
  tenantId: z.string(),
  orderId: z.string(),
  status: z.enum(RETURN_STATUSES),
  origin: z.enum(RETURN_ORIGINS),
  lines: z.array(returnLineSchema),
  customerAddress: addressSchema(),
  exchange: z
    .object({
      lines: z.array(exchangeLineSchema),
      ships: z.enum(EXCHANGE_SHIPPING),
      value: amount,
      orderId: z.string().optional(),
    })
    .optional(),
  label: returnLabelSchema.optional(),
  receipt: z
    .object({
      locationId: z.string(),
      lines: z.array(receivedLineSchema.extend({ note: z.string().optional() })),
      at: timestamp,
    })
    .optional(),
  refund: refundBreakdownSchema
    .extend({
      /** Part of the refund that paid for the replacement of an exchange. */
      exchangeCredit: amount,
      /** What goes back to the customer: total less the exchange credit. */
      paid: amount,
      channelRefundId: z.string().optional(),
      creditNoteId: z.string().optional(),
    })
    .optional(),
  rejection: z.object({ type: z.string(), reasons: z.array(z.string()) }).optional(),
  timeline: z.array(timelineEntrySchema(RETURN_STATUSES)),
});
export type ReturnView = z.infer<typeof returnViewSchema>;

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
