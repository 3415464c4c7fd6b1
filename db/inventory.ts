import { QueryTypes, Transaction, type Sequelize } from 'sequelize';
import { allocateStock, type LineDemand, type StockLevelView } from '../domain/orders/allocation';
import type { StockAllocation } from '../domain/orders/status';
import { BusinessRuleViolation } from '../domain/shared/errors';
import type { Address } from '../domain/orders/order';
import { InventoryLevel, InventoryMovement, Item, Location, StockReservation } from './models';

export interface ReservedStock {
  allocations: StockAllocation[];
  /** True when this order's reservation already existed (a retried activity). */
  existing: boolean;
}

/**
 * Reserves every line of one order in one transaction. Idempotent per order key; rows are locked
 * in a fixed order so concurrent orders queue instead of deadlocking, and the table's CHECK
 * constraint is the last word against overselling.
 */
export async function reserveOrderStock(
  sequelize: Sequelize,
  tenantId: string,
  orderKey: string,
  lines: LineDemand[],
): Promise<ReservedStock> {
  return sequelize.transaction(async (transaction) => {
    const previous = await StockReservation.findAll({
      where: { tenantId, orderKey },
      order: [
        ['sku', 'ASC'],
        ['locationId', 'ASC'],
      ],
      transaction,
    });
    if (previous.some((r) => r.status !== 'released')) {
      return {
        existing: true,
        allocations: previous
          .filter((r) => r.status !== 'released')
          .map((r) => ({ sku: r.sku, locationId: r.locationId, quantity: r.quantity })),
      };
    }

    const skus = [...new Set(lines.map((line) => line.sku))].sort();
    const known = await Item.findAll({ where: { tenantId, sku: skus }, attributes: ['sku'], transaction });
    const knownSkus = new Set(known.map((item) => item.sku));
    const unknown = skus.filter((sku) => !knownSkus.has(sku));
    if (unknown.length > 0) {
      throw new BusinessRuleViolation(
        'UnknownSku',
        unknown.map((sku) => `unknown SKU ${sku}`),
      );
    }

    const levels = await sequelize.query<{ sku: string; location_id: string; available: number }>(
      `SELECT sku, location_id, on_hand - reserved AS available
         FROM inventory_levels
        WHERE tenant_id = :tenantId AND sku IN (:skus)
        ORDER BY sku, location_id
        FOR UPDATE`,
      { replacements: { tenantId, skus }, type: QueryTypes.SELECT, transaction },
    );
    const allocations = allocateStock(
      lines,
      levels.map<StockLevelView>((l) => ({
        sku: l.sku,
        locationId: l.location_id,
        available: Number(l.available),
      })),
    );

    for (const allocation of allocations) {
      await sequelize.query(
        `UPDATE inventory_levels SET reserved = reserved + :quantity, updated_at = now()
          WHERE tenant_id = :tenantId AND sku = :sku AND location_id = :locationId`,
        { replacements: { tenantId, ...allocation }, transaction },
      );
    }
    // Released rows of an earlier attempt are replaced, so the key stays one row per allocation.
    await StockReservation.destroy({ where: { tenantId, orderKey, status: 'released' }, transaction });
    await StockReservation.bulkCreate(
      allocations.map((a) => ({ tenantId, orderKey, ...a, status: 'held' as const })),
      { transaction },
    );
    await InventoryMovement.bulkCreate(
      allocations.map((a) => ({
        tenantId,
        sku: a.sku,
        locationId: a.locationId,
        kind: 'reserve' as const,
        reservedDelta: a.quantity,
        reference: orderKey,
      })),
      { transaction },
    );
    return { existing: false, allocations };
  });
}

/** Moves this order's held reservations to `to`, giving back exactly what it took. */
async function settleReservations(
  sequelize: Sequelize,
  tenantId: string,
  orderKey: string,
  to: 'released' | 'fulfilled',
): Promise<StockAllocation[]> {
  return sequelize.transaction(async (transaction) => {
    const held = await StockReservation.findAll({
      where: { tenantId, orderKey, status: 'held' },
      order: [
        ['sku', 'ASC'],
        ['locationId', 'ASC'],
      ],
      lock: Transaction.LOCK.UPDATE,
      transaction,
    });
    const onHandSign = to === 'fulfilled' ? 1 : 0;
    for (const reservation of held) {
      await sequelize.query(
        `UPDATE inventory_levels
            SET reserved = reserved - :quantity, on_hand = on_hand - :onHandDelta, updated_at = now()
          WHERE tenant_id = :tenantId AND sku = :sku AND location_id = :locationId`,
        {
          replacements: {
            tenantId,
            sku: reservation.sku,
            locationId: reservation.locationId,
            quantity: reservation.quantity,
            onHandDelta: reservation.quantity * onHandSign,
          },
          transaction,
        },
      );
      await reservation.update({ status: to }, { transaction });
    }
    await InventoryMovement.bulkCreate(
      held.map((r) => ({
        tenantId,
        sku: r.sku,
        locationId: r.locationId,
        kind: to === 'fulfilled' ? ('fulfil' as const) : ('release' as const),
        reservedDelta: -r.quantity,
        onHandDelta: -r.quantity * onHandSign,
        reference: orderKey,
      })),
      { transaction },
    );
    return held.map((r) => ({ sku: r.sku, locationId: r.locationId, quantity: r.quantity }));
  });
}

export function releaseOrderStock(sequelize: Sequelize, tenantId: string, orderKey: string) {
  return settleReservations(sequelize, tenantId, orderKey, 'released');
}

export function fulfilOrderStock(sequelize: Sequelize, tenantId: string, orderKey: string) {
  return settleReservations(sequelize, tenantId, orderKey, 'fulfilled');
}

export async function upsertLocation(
  tenantId: string,
  id: string,
  name: string,
  address: Address,
): Promise<void> {
  await Location.upsert({ tenantId, id, name, address });
}

export async function upsertItem(
  tenantId: string,
  sku: string,
  name: string,
  options: { weightGrams?: number; lowStockThreshold?: number } = {},
): Promise<void> {
  await Item.upsert({ tenantId, sku, name, ...options });
}

/** Sets on-hand stock (a count), writing the difference to the ledger. */
export async function setOnHand(
  sequelize: Sequelize,
  tenantId: string,
  sku: string,
  locationId: string,
  onHand: number,
  reason: string,
): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    const [level] = await InventoryLevel.findOrCreate({
      where: { tenantId, sku, locationId },
      defaults: { tenantId, sku, locationId, onHand: 0 },
      lock: Transaction.LOCK.UPDATE,
      transaction,
    });
    const delta = onHand - level.onHand;
    await level.update({ onHand }, { transaction });
    await InventoryMovement.create(
      { tenantId, sku, locationId, kind: 'set', onHandDelta: delta, reason },
      { transaction },
    );
  });
}

export async function getLocation(tenantId: string, id: string): Promise<Location | null> {
  return Location.findOne({ where: { tenantId, id } });
}

export async function getLevels(tenantId: string, sku: string): Promise<InventoryLevel[]> {
  return InventoryLevel.findAll({ where: { tenantId, sku }, order: [['locationId', 'ASC']] });
}

export async function parcelWeightGrams(tenantId: string, lines: LineDemand[]): Promise<number> {
  const items = await Item.findAll({ where: { tenantId, sku: lines.map((l) => l.sku) } });
  const weights = new Map(items.map((item) => [item.sku, item.weightGrams]));
  return lines.reduce((sum, line) => sum + (weights.get(line.sku) ?? 500) * line.quantity, 0);
}
