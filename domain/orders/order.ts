import { z } from 'zod';
import { MONEY_PATTERN, fromMinorUnits, toMinorUnits } from '../shared/money';

/** Channels an order can arrive from; each maps its payload onto the canonical order below. */
export const ORDER_CHANNELS = ['rest', 'shopify', 'pos'] as const;
export type OrderChannel = (typeof ORDER_CHANNELS)[number];

export const SHIPPING_SERVICES = ['ground', 'express', 'overnight'] as const;
export type ShippingService = (typeof SHIPPING_SERVICES)[number];

/** External ids become part of workflow ids and URLs, so they are kept to a safe alphabet. */
export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const SKU_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

const money = z.string().regex(MONEY_PATTERN, 'must be a decimal amount such as "19.99"');

export const addressSchema = z.object({
  name: z.string().trim().min(1).max(200),
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  region: z.string().trim().max(100).optional(),
  postalCode: z.string().trim().min(1).max(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code'),
  phone: z.string().max(40).optional(),
});
export type Address = z.infer<typeof addressSchema>;

export const orderLineSchema = z.object({
  sku: z.string().regex(SKU_PATTERN, 'must be 1-64 letters, digits, ".", "_" or "-"'),
  quantity: z.number().int('must be a whole number').min(1).max(10_000),
  unitPrice: money,
});
export type OrderLine = z.infer<typeof orderLineSchema>;

export const canonicalOrderSchema = z
  .object({
    channel: z.enum(ORDER_CHANNELS),
    externalId: z.string().regex(EXTERNAL_ID_PATTERN, 'must be 1-64 letters, digits, ".", "_" or "-"'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code'),
    placedAt: z.iso.datetime({ offset: true }).optional(),
    customer: z.object({ email: z.email().optional(), name: z.string().max(200).optional() }).optional(),
    shippingAddress: addressSchema,
    shippingService: z.enum(SHIPPING_SERVICES).default('ground'),
    lines: z.array(orderLineSchema).min(1).max(250),
  })
  .superRefine((order, ctx) => {
    const seen = new Set<string>();
    order.lines.forEach((line, index) => {
      if (seen.has(line.sku)) {
        ctx.addIssue({ code: 'custom', path: ['lines', index, 'sku'], message: `duplicate SKU ${line.sku}` });
      }
      seen.add(line.sku);
    });
  });
export type CanonicalOrder = z.infer<typeof canonicalOrderSchema>;
export type CanonicalOrderInput = z.input<typeof canonicalOrderSchema>;

export function orderSubtotal(order: Pick<CanonicalOrder, 'lines'>): string {
  return fromMinorUnits(
    order.lines.reduce((sum, line) => sum + toMinorUnits(line.unitPrice) * line.quantity, 0),
  );
}

export function totalUnits(order: Pick<CanonicalOrder, 'lines'>): number {
  return order.lines.reduce((sum, line) => sum + line.quantity, 0);
}
