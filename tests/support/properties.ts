import type { Sequelize } from 'sequelize';
import { declareProperty, type PropertySetup } from '../../db/master-data/declare';

/**
 * A test property in Vienna (EUR) with double rooms numbered from 100 and a flexible rate plan
 * (10 % tax, one night's penalty inside `freeUntilDaysBefore` days); `more` adds room types and
 * rate plans beside them.
 */
export async function upsertDoublesLodge(
  sequelize: Sequelize,
  lodge: {
    tenantId?: string;
    id: string;
    rooms: number;
    amount: string;
    freeUntilDaysBefore?: number;
    more?: Pick<PropertySetup, 'roomTypes' | 'ratePlans'>;
  },
): Promise<void> {
  await declareProperty(sequelize, {
    tenantId: lodge.tenantId ?? 'alpine',
    id: lodge.id,
    name: `Lodge ${lodge.id}`,
    timeZone: 'Europe/Vienna',
    currency: 'EUR',
    roomTypes: [
      {
        id: 'dbl',
        name: 'Double',
        maxOccupancy: 2,
        rooms: Array.from({ length: lodge.rooms }, (_, i) => `${100 + i}`),
      },
      ...(lodge.more?.roomTypes ?? []),
    ],
    ratePlans: [
      {
        id: 'flex',
        roomTypeId: 'dbl',
        name: 'Flexible',
        amount: lodge.amount,
        taxPercent: 10,
        cancellation: { freeUntilDaysBefore: lodge.freeUntilDaysBefore ?? 1, penalty: { nights: 1 } },
      },
      ...(lodge.more?.ratePlans ?? []),
    ],
  });
}
