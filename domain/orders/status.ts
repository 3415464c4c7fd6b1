import { z } from 'zod';
import { canonicalOrderSchema } from './order';
import { routingOutcomeSchema } from './routing';
import { stockAllocationSchema } from './stock';
import { TRACKING_STATUSES } from './tracking';
import { timelineEntrySchema } from '../shared/statuses';
import { lazily } from '../shared/lazily';

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
  // A parcel that never moved (or the carrier failed before pick-up): still in the building.
  'exception',
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

/** A decimal amount as the API writes it, e.g. `"12.50"`. */
const amount = lazily(() => z.string().describe('decimal amount, e.g. "12.50"'));
const timestamp = lazily(() => z.string().describe('ISO 8601 date-time'));

/** The latest carrier scan of a parcel. */
export const parcelTrackingSchema = lazily(() =>
  z.object({
    status: z.enum(TRACKING_STATUSES),
    at: timestamp(),
    detail: z.string().optional(),
  }),
);

export const orderLabelSchema = lazily(() =>
  z.object({
    locationId: z.string(),
    carrier: z.string(),
    trackingCode: z.string(),
    labelKey: z.string().describe('where the label PDF is kept in the hub storage'),
    rate: z.object({ service: z.string(), amount: amount(), currency: z.string() }),
    /** Carrier connector that sold the label (rate shopping may pick any configured one). */
    connectorId: z.string().optional(),
    shipmentKey: z.string().optional(),
    tracking: parcelTrackingSchema().optional(),
    voided: z.boolean().optional(),
  }),
);
export type OrderLabel = z.infer<ReturnType<typeof orderLabelSchema>>;

/** An order as its process shows it: the `getOrder` Query's answer and the API's order body. */
export const orderViewSchema = lazily(() =>
  z.object({
    id: z.string().describe('<channel>:<externalId>'),
    /** The order as validated (and edited): lines, prices, tax, address. */
    order: canonicalOrderSchema().optional(),
    /** The return this order replaces goods for, when it is an exchange's replacement. */
    exchangeFor: z.object({ rmaId: z.string(), orderId: z.string() }).optional(),
    tenantId: z.string(),
    channel: z.string(),
    externalId: z.string(),
    status: z.enum(ORDER_STATUSES),
    rejection: z.object({ type: z.string(), reasons: z.array(z.string()) }).optional(),
    routing: routingOutcomeSchema().optional(),
    allocations: z.array(stockAllocationSchema()),
    labels: z.array(orderLabelSchema()).optional(),
    totals: z
      .object({
        subtotal: amount(),
        tax: amount(),
        shipping: amount(),
        total: amount(),
        currency: z.string(),
      })
      .optional(),
    accounting: z
      .object({ invoiceId: z.string(), paymentId: z.string().optional(), connectorId: z.string() })
      .optional(),
    channelFulfilmentIds: z.array(z.string()).optional(),
    cancellation: z
      .object({ reason: z.string(), origin: z.string(), refunded: amount().optional() })
      .optional(),
    exception: z.object({ reason: z.string(), since: timestamp() }).optional(),
    timeline: z.array(timelineEntrySchema(ORDER_STATUSES)),
  }),
);
export type OrderView = z.infer<ReturnType<typeof orderViewSchema>>;
