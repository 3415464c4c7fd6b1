import { z } from 'zod';
import { lazily } from '../shared/lazily';

/** Stock as routing and allocation see it: levels, what an order's lines ask for, what was held. */
export interface StockLevelView {
  sku: string;
  locationId: string;
  available: number;
}

export interface LineDemand {
  sku: string;
  quantity: number;
}

/** Units of one SKU held at one location for an order. */
export const stockAllocationSchema = lazily(() =>
  z.object({
    sku: z.string(),
    locationId: z.string(),
    quantity: z.number().int(),
  }),
);
export type StockAllocation = z.infer<ReturnType<typeof stockAllocationSchema>>;
