import { z } from 'zod';

/** A stock count (`set`) or adjustment, with its reason; the OpenAPI document is built from it too. */
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

/** Which reservation's folio takes a charge kept for review (`<channel>:<externalId>`). */
export const chargeReleaseSchema = z
  .object({
    reservationId: z.string().min(3).max(100).describe('the reservation whose folio takes the charge'),
  })
  .strict();
