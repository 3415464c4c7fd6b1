import { z } from 'zod';
import { nonBlank } from '../domain/shared/text';

/** A stock count (`set`) or adjustment, with its reason; the OpenAPI document is built from it too. */
export const stockChangeSchema = z.union([
  z.object({ set: z.number().int().min(0).max(10_000_000), reason: nonBlank(300) }).strict(),
  z
    .object({
      // Either sign, never zero (which would change nothing): two ranges, as the document shows.
      adjust: z.union([z.number().int().min(-10_000_000).max(-1), z.number().int().min(1).max(10_000_000)], {
        error: 'an adjustment must change the count: a whole number from -10000000 to 10000000, not 0',
      }),
      reason: nonBlank(300),
    })
    .strict(),
]);

/** Which reservation's folio takes a charge kept for review (`<channel>:<externalId>`). */
export const chargeReleaseSchema = z
  .object({
    reservationId: z.string().min(3).max(100).describe('the reservation whose folio takes the charge'),
  })
  .strict();
