import { setupFileSchema } from '../../domain/master-data/setup-file';

/** The Lodge's flexible rate for its double rooms: free to cancel until two days before arrival. */
export const LODGE_FLEX_RATE = {
  id: 'flex',
  roomTypeId: 'dbl',
  name: 'Flexible',
  amount: '100',
  taxPercent: 10,
  cancellation: { freeUntilDaysBefore: 2, penalty: { nights: 1 } },
};

/**
 * A tenant's setup file declaring one property, the Lodge in Vienna (EUR), with the room types,
 * rooms and rate plans given; `more` adds to the file beside the property.
 */
export function lodgeSetupFile(
  tenant: string,
  lodge: Record<string, unknown>,
  more: Record<string, unknown> = {},
) {
  return setupFileSchema.parse({
    tenant,
    properties: [{ id: 'lodge', name: 'Lodge', timeZone: 'Europe/Vienna', currency: 'EUR', ...lodge }],
    ...more,
  });
}
