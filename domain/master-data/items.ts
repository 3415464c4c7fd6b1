import { z } from 'zod';
import { SKU_PATTERN } from '../orders/order';
import { countryCode, name } from './common';

const count = z.number().int('must be a whole number').min(0).max(10_000_000);
const millimetres = z.number().int('must be whole millimetres').min(1).max(10_000);

export const dimensionsSchema = z
  .object({ lengthMm: millimetres, widthMm: millimetres, heightMm: millimetres })
  .strict();
export type Dimensions = z.infer<typeof dimensionsSchema>;

/** A SKU the tenant sells. Weight and dimensions make the parcel carriers quote. */
export const itemSchema = z
  .object({
    sku: z.string().regex(SKU_PATTERN, 'must be 1-64 letters, digits, ".", "_" or "-"'),
    name: name.max(300),
    /** An inactive SKU is kept but not sold: orders for it are rejected (InactiveSku). */
    active: z.boolean().default(true),
    weightGrams: z.number().int('must be whole grams').min(1).max(1_000_000),
    dimensions: dimensionsSchema.optional(),
    /** `inventory.low` is announced when available stock falls below this (0: never). */
    lowStockThreshold: count.default(0),
    /** Suggested in `inventory.low` (0: enough to reach twice the threshold). */
    reorderQuantity: count.default(0),
    returnable: z.boolean().default(true),
    hsCode: z
      .string()
      .regex(/^\d{4}(\.?\d{2}){1,3}$/, 'must be a Harmonized System code of 6 to 10 digits, e.g. "6306.22"')
      .optional(),
    countryOfOrigin: countryCode.optional(),
  })
  .strict()
  .meta({ description: 'A catalogue item (SKU).' });
export type ItemRecord = z.infer<typeof itemSchema>;

export interface ParcelLine {
  quantity: number;
  weightGrams: number;
  dimensions?: Dimensions;
}

/**
 * The parcel for these lines: their weight, and when every line has dimensions, a box as long
 * and wide as the largest item with the units stacked in height. Lines without dimensions leave
 * the size to the carrier (weight alone).
 */
export function parcelOf(lines: ParcelLine[]): { weightGrams: number; dimensions?: Dimensions } {
  const weightGrams = lines.reduce((sum, line) => sum + line.weightGrams * line.quantity, 0);
  if (lines.length === 0 || lines.some((line) => !line.dimensions)) return { weightGrams };
  const sized = lines as Array<Required<ParcelLine>>;
  return {
    weightGrams,
    dimensions: {
      lengthMm: Math.max(...sized.map((l) => l.dimensions.lengthMm)),
      widthMm: Math.max(...sized.map((l) => l.dimensions.widthMm)),
      heightMm: sized.reduce((sum, l) => sum + l.dimensions.heightMm * l.quantity, 0),
    },
  };
}
