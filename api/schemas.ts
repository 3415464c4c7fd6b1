import { z } from 'zod';
import { EXTERNAL_ID_PATTERN, SKU_PATTERN, addressSchema, orderLineSchema } from '../domain/orders/order';
import { RETURN_CONDITIONS } from '../domain/returns/return';
import { MONEY_PATTERN } from '../domain/shared/money';

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

const returnSku = z.string().regex(SKU_PATTERN, 'must be 1-64 letters, digits, ".", "_" or "-"');
const units = z.number().int('must be a whole number').max(10_000);

export const returnRequestSchema = z
  .object({
    /** The caller's own id for this request: sending it again returns the same RMA. */
    reference: z
      .string()
      .regex(EXTERNAL_ID_PATTERN, 'must be 1-64 letters, digits, ".", "_" or "-"')
      .optional(),
    lines: z
      .array(
        z
          .object({ sku: returnSku, quantity: units.min(1), reason: z.string().trim().max(300).optional() })
          .strict(),
      )
      .min(1)
      .max(250),
    exchange: z
      .object({
        lines: z
          .array(
            z
              .object({
                sku: returnSku,
                quantity: units.min(1),
                unitPrice: z
                  .string()
                  .regex(MONEY_PATTERN, 'must be a decimal amount such as "19.99"')
                  .optional(),
              })
              .strict(),
          )
          .min(1)
          .max(250),
        ships: z.enum(['on_receipt', 'immediately']).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const approveReturnSchema = z.object({ note: z.string().trim().max(500).optional() }).strict();

export const rejectReturnSchema = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

export const receiveReturnSchema = z
  .object({
    locationId: z.string().min(1).max(64).optional(),
    lines: z
      .array(
        z
          .object({
            sku: returnSku,
            quantity: units.min(0),
            condition: z.enum(RETURN_CONDITIONS),
            note: z.string().trim().max(300).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(250),
  })
  .strict();
