import { z } from 'zod';
import { nonBlank, storableText } from '../shared/text';
import { fromMinorUnits, moneySchema, toMinorUnits } from '../shared/money';
import { lazily } from '../shared/lazily';

/** Channels an order can arrive from; each maps its payload onto the canonical order below. */
export const ORDER_CHANNELS = ['rest', 'shopify', 'pos'] as const;
export type OrderChannel = (typeof ORDER_CHANNELS)[number];

export const PAYMENT_STATUSES = ['paid', 'pending'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const SHIPPING_SERVICES = ['ground', 'express', 'overnight'] as const;
export type ShippingService = (typeof SHIPPING_SERVICES)[number];

/** External ids become part of workflow ids and URLs, so they are kept to a safe alphabet. */
export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const SKU_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** One money schema for every amount of an order (its JSON Schema is the same object throughout). */
const money = lazily(() => moneySchema());

export const addressSchema = lazily(() =>
  z.object({
    name: nonBlank(200),
    line1: nonBlank(200),
    line2: storableText(200, { trim: true }).optional(),
    city: nonBlank(100),
    region: storableText(100, { trim: true }).optional(),
    postalCode: nonBlank(20),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code'),
    phone: storableText(40).optional(),
    /** Where the parcel goes, when the channel knows it; routing picks the nearest location. */
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
  }),
);
export type Address = z.infer<ReturnType<typeof addressSchema>>;

/** The same delivery address, field by field (an absent line2 equals an empty one). */
export function sameAddress(a: Address, b: Address): boolean {
  const keys = ['name', 'line1', 'line2', 'city', 'region', 'postalCode', 'country'] as const;
  return keys.every((key) => (a[key] ?? '') === (b[key] ?? ''));
}

export const orderLineSchema = lazily(() =>
  z.object({
    sku: z.string().regex(SKU_PATTERN, 'must be 1-64 letters, digits, ".", "_" or "-"'),
    quantity: z.number().int('must be a whole number').min(1).max(10_000),
    unitPrice: money(),
    /** Tax on the whole line as the channel computed it; Crossdock never recomputes tax. */
    tax: money().default('0.00'),
    title: storableText(300).optional(),
    /** The channel's own line id (Shopify line_item.id), needed to fulfil that line there. */
    channelLineId: storableText(64).optional(),
  }),
);
export type OrderLine = z.infer<ReturnType<typeof orderLineSchema>>;

export const canonicalOrderSchema = lazily(() =>
  z
    .object({
      channel: z.enum(ORDER_CHANNELS),
      externalId: z.string().regex(EXTERNAL_ID_PATTERN, 'must be 1-64 letters, digits, ".", "_" or "-"'),
      currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code'),
      placedAt: z.iso.datetime({ offset: true }).optional(),
      customer: z.object({ email: z.email().optional(), name: storableText(200).optional() }).optional(),
      shippingAddress: addressSchema(),
      shippingService: z.enum(SHIPPING_SERVICES).default('ground'),
      shippingPrice: money().default('0.00'),
      shippingTax: money().default('0.00'),
      /** `pending` orders hold their stock until the channel reports payment, or expire. */
      paymentStatus: z.enum(PAYMENT_STATUSES).default('paid'),
      lines: z.array(orderLineSchema()).min(1).max(250),
    })
    .superRefine((order, ctx) => {
      const seen = new Set<string>();
      order.lines.forEach((line, index) => {
        if (seen.has(line.sku)) {
          ctx.addIssue({
            code: 'custom',
            path: ['lines', index, 'sku'],
            message: `duplicate SKU ${line.sku}`,
          });
        }
        seen.add(line.sku);
      });
    }),
);
export type CanonicalOrder = z.infer<ReturnType<typeof canonicalOrderSchema>>;
export type CanonicalOrderInput = z.input<ReturnType<typeof canonicalOrderSchema>>;

export function orderSubtotal(order: Pick<CanonicalOrder, 'lines'>): string {
  return fromMinorUnits(
    order.lines.reduce((sum, line) => sum + toMinorUnits(line.unitPrice) * line.quantity, 0),
  );
}

export interface OrderTotals {
  subtotal: string;
  tax: string;
  shipping: string;
  total: string;
}

/** What the customer pays: lines, their tax, shipping and its tax, all as the channel stated them. */
export function orderTotals(
  order: Pick<CanonicalOrder, 'lines' | 'shippingPrice' | 'shippingTax'>,
): OrderTotals {
  const subtotal = order.lines.reduce((sum, line) => sum + toMinorUnits(line.unitPrice) * line.quantity, 0);
  const tax =
    order.lines.reduce((sum, line) => sum + toMinorUnits(line.tax), 0) + toMinorUnits(order.shippingTax);
  const shipping = toMinorUnits(order.shippingPrice);
  return {
    subtotal: fromMinorUnits(subtotal),
    tax: fromMinorUnits(tax),
    shipping: fromMinorUnits(shipping),
    total: fromMinorUnits(subtotal + tax + shipping),
  };
}

export function totalUnits(order: Pick<CanonicalOrder, 'lines'>): number {
  return order.lines.reduce((sum, line) => sum + line.quantity, 0);
}
