import { z } from 'zod';
import { addressSchema, orderLineSchema } from '../domain/orders/order';

/** Request bodies beyond the canonical order; the OpenAPI document is built from these too. */
export const cancelRequestSchema = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

export const editRequestSchema = z
  .object({
    shippingAddress: addressSchema.optional(),
    lines: z
      .array(orderLineSchema.partial({ unitPrice: true, tax: true }))
      .min(1)
      .max(250)
      .optional(),
  })
  .strict()
  .refine((edit) => edit.shippingAddress !== undefined || edit.lines !== undefined, {
    message: 'an edit changes lines or shippingAddress',
  });

export const stockChangeSchema = z.union([
  z
    .object({ set: z.number().int().min(0).max(10_000_000), reason: z.string().trim().min(1).max(300) })
    .strict(),
  z
    .object({
      adjust: z
        .number()
        .int()
        .min(-10_000_000)
        .max(10_000_000)
        .refine((n) => n !== 0, 'an adjustment must change the count'),
      reason: z.string().trim().min(1).max(300),
    })
    .strict(),
]);
