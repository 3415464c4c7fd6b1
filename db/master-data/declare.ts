import type { Sequelize } from 'sequelize';
import type { Address } from '../../domain/orders/order';
import type { RatePlanInput } from '../../domain/master-data/properties';
import type { RecordKind } from '../../domain/master-data/plan';
import { MasterDataService } from './service';

/**
 * Master data declared from code, through the same service and rules as REST (managed by the
 * API): the way tests, benchmarks and imports create what a tenant would declare.
 */
function serviceFor(sequelize: Sequelize, horizonDays: number): MasterDataService {
  return new MasterDataService({ sequelize, mappings: [], horizonDays: () => horizonDays });
}

async function putAll(
  sequelize: Sequelize,
  tenantId: string,
  records: Array<{ kind: RecordKind; key: string; propertyId?: string; body: Record<string, unknown> }>,
  horizonDays = 0,
): Promise<void> {
  await serviceFor(sequelize, horizonDays).declare(
    tenantId,
    records.map((r) => ({ kind: r.kind, ref: { key: r.key, propertyId: r.propertyId }, body: r.body })),
  );
}

export async function declareLocation(
  sequelize: Sequelize,
  tenantId: string,
  location: {
    id: string;
    name: string;
    address: Address;
    coordinates?: { latitude: number; longitude: number };
    shipsTo?: string[];
  },
): Promise<void> {
  await putAll(sequelize, tenantId, [{ kind: 'location', key: location.id, body: location }]);
}

export async function declareItem(
  sequelize: Sequelize,
  tenantId: string,
  item: { sku: string; name: string; weightGrams?: number; lowStockThreshold?: number },
): Promise<void> {
  await putAll(sequelize, tenantId, [{ kind: 'item', key: item.sku, body: { weightGrams: 500, ...item } }]);
}

/** A property with its room types (each with its room numbers) and rate plans. */
export interface PropertySetup {
  tenantId: string;
  id: string;
  name: string;
  timeZone: string;
  currency: string;
  roomTypes: Array<{
    id: string;
    name: string;
    maxOccupancy: number;
    baseOccupancy?: number;
    rooms: string[];
  }>;
  ratePlans: RatePlanInput[];
}

/** Creates or updates a property with its room types, rooms and rate plans. */
export async function declareProperty(
  sequelize: Sequelize,
  setup: PropertySetup,
  options: { horizonDays?: number } = {},
): Promise<void> {
  const { tenantId, id, roomTypes, ratePlans, ...property } = setup;
  await putAll(
    sequelize,
    tenantId,
    [
      { kind: 'property', key: id, body: property },
      ...roomTypes.map(({ rooms: _rooms, ...type }) => ({
        kind: 'roomType' as const,
        key: type.id,
        propertyId: id,
        body: type,
      })),
      ...roomTypes.flatMap((type) =>
        type.rooms.map((number) => ({
          kind: 'room' as const,
          key: number,
          propertyId: id,
          body: { roomTypeId: type.id },
        })),
      ),
      ...ratePlans.map((plan) => ({ kind: 'ratePlan' as const, key: plan.id, propertyId: id, body: plan })),
    ],
    options.horizonDays,
  );
}
