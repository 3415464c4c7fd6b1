import { QueryTypes, Transaction, type Sequelize } from 'sequelize';
import { crossedBelowThreshold, reorderSuggestion } from '../domain/events';
import { locationsOf } from '../domain/orders/allocation';
import type { LineDemand, StockAllocation, StockLevelView } from '../domain/orders/stock';
import { routeOrder, type RoutableLocation, type RoutingDecision } from '../domain/orders/routing';
import { BusinessRuleViolation } from '../domain/shared/errors';
import { modelsOf, type InventoryLevel, type Location } from './models';
import { parcelOf, type Dimensions } from '../domain/master-data/items';
import { recordEvent } from './outbox';
import { rowsOf } from './statements';

export interface Parcel {
  weightGrams: number;
  dimensions?: Dimensions;
}

export interface ReservedStock {
  allocations: StockAllocation[];
  /** True when this order's reservation already existed (a retried activity). */
  existing: boolean;
}

export type StockPlanner = (levels: StockLevelView[], locations: RoutableLocation[]) => RoutingDecision;

/** The first order workflow's planner: one location that ships everything, else location order. */
const locationOrderPlanner =
  (lines: LineDemand[]): StockPlanner =>
  (levels) =>
    routeOrder(lines, levels, locationsOf(levels), {}, 'ship-complete');

export interface RoutedReservation extends ReservedStock {
  decision: Omit<RoutingDecision, 'allocations'>;
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
  return reserveRoutedStock(sequelize, tenantId, orderKey, lines, locationOrderPlanner(lines));
}

/**
 * What reserving does with what the order already holds: `keep` it (a retried attempt finds it
 * and reserves nothing more) or `replace` it (an edit gives it back and reserves the new lines,
 * in the same transaction: if they do not fit, nothing changes and the old reservation stands).
 */
export type HeldStock = 'keep' | 'replace';

export async function reserveRoutedStock(
  sequelize: Sequelize,
  tenantId: string,
  orderKey: string,
  lines: LineDemand[],
  plan: StockPlanner,
  held: HeldStock = 'keep',
): Promise<RoutedReservation> {
  return sequelize.transaction(async (transaction) => {
    if (held === 'replace') await settleWithin(sequelize, transaction, tenantId, orderKey, 'released');
    return reserveWithin(sequelize, transaction, tenantId, orderKey, lines, plan);
  });
}

/** What an earlier attempt reserved, answered as that attempt's result. */
function reservedEarlier(allocations: StockAllocation[]): RoutedReservation {
  const split = new Set(allocations.map((a) => a.locationId)).size > 1;
  return {
    existing: true,
    allocations,
    decision: {
      strategy: 'ship-complete',
      outcome: split ? 'split' : 'single_location',
      reason: 'reserved by an earlier attempt',
    },
  };
}

async function reserveWithin(
  sequelize: Sequelize,
  transaction: Transaction,
  tenantId: string,
  orderKey: string,
  lines: LineDemand[],
  plan: StockPlanner,
): Promise<RoutedReservation> {
  // Everything that needs no lock is read first: the row locks below are held for as little
  // time as possible, since every order for a hot SKU queues on them.
  const skus = [...new Set(lines.map((line) => line.sku))].sort();
  const context = await stockContext(sequelize, transaction, tenantId, orderKey, skus);
  // A retried attempt finds the order's reservation already held (an edit released it first).
  if (context.held.length > 0) return reservedEarlier(context.held);
  const { items: catalogue, locations } = context;
  const known = new Map(catalogue.filter((item) => !item.retired).map((item) => [item.sku, item]));
  const unknown = skus.filter((sku) => !known.has(sku));
  if (unknown.length > 0) {
    throw new BusinessRuleViolation(
      'UnknownSku',
      unknown.map((sku) => `unknown SKU ${sku}`),
    );
  }
  const inactive = skus.filter((sku) => !known.get(sku)!.active);
  if (inactive.length > 0)
    throw new BusinessRuleViolation(
      'InactiveSku',
      inactive.map((sku) => `SKU ${sku} is not sold (inactive)`),
    );
  const routable = new Set(locations.map((l) => l.id));

  const levels = (
    await rowsOf<{ sku: string; location_id: string; available: number }>(
      sequelize,
      `SELECT sku, location_id, on_hand - reserved AS available
         FROM inventory_levels
        WHERE tenant_id = $1 AND sku = ANY($2)
        ORDER BY sku, location_id
        FOR UPDATE`,
      [tenantId, skus],
      transaction,
    )
  ).filter((level) => routable.has(level.location_id));
  const decision = plan(
    levels.map<StockLevelView>((l) => ({
      sku: l.sku,
      locationId: l.location_id,
      available: Number(l.available),
    })),
    locations.map((l) => ({
      id: l.id,
      latitude: l.latitude ?? undefined,
      longitude: l.longitude ?? undefined,
      shipsTo: l.ships_to,
    })),
  );
  const before = availableBySku(levels);

  // One round trip writes the levels, the reservation rows (replacing released rows of an
  // earlier attempt, so the key stays one row per allocation) and the ledger.
  const replacements: Record<string, unknown> = { tenantId, orderKey };
  const rows = decision.allocations.map((a, i) => {
    Object.assign(replacements, { [`s${i}`]: a.sku, [`l${i}`]: a.locationId, [`q${i}`]: a.quantity });
    return { i };
  });
  await sequelize.query(
    `UPDATE inventory_levels AS lv SET reserved = lv.reserved + v.quantity, updated_at = now()
       FROM (VALUES ${rows.map((r) => `(:s${r.i}, :l${r.i}, CAST(:q${r.i} AS integer))`).join(', ')}) AS v(sku, location_id, quantity)
      WHERE lv.tenant_id = :tenantId AND lv.sku = v.sku AND lv.location_id = v.location_id;
     DELETE FROM stock_reservations WHERE tenant_id = :tenantId AND order_key = :orderKey AND status = 'released';
     INSERT INTO stock_reservations (tenant_id, order_key, sku, location_id, quantity, status, created_at, updated_at)
       VALUES ${rows.map((r) => `(:tenantId, :orderKey, :s${r.i}, :l${r.i}, :q${r.i}, 'held', now(), now())`).join(', ')};
     INSERT INTO inventory_movements (tenant_id, sku, location_id, kind, reserved_delta, reference, created_at)
       VALUES ${rows.map((r) => `(:tenantId, :s${r.i}, :l${r.i}, 'reserve', :q${r.i}, :orderKey, now())`).join(', ')};`,
    { replacements, transaction },
  );
  const taken = new Map<string, number>();
  for (const a of decision.allocations) taken.set(a.sku, (taken.get(a.sku) ?? 0) + a.quantity);
  await announceLowStock(
    sequelize,
    transaction,
    tenantId,
    before,
    (sku) => (before.get(sku) ?? 0) - (taken.get(sku) ?? 0),
    catalogue,
  );
  const { allocations, ...routing } = decision;
  return { existing: false, allocations, decision: routing };
}

function availableBySku(levels: Array<{ sku: string; available: number }>): Map<string, number> {
  const totals = new Map<string, number>();
  for (const level of levels) totals.set(level.sku, (totals.get(level.sku) ?? 0) + Number(level.available));
  return totals;
}

/** What stock moves need to know of an item: whether it is sold, and its low-stock threshold. */
interface StockItem {
  sku: string;
  name: string;
  active: boolean;
  retired: boolean;
  lowStockThreshold: number;
  reorderQuantity: number;
}

/** The StockItems of the SKUs in $2 (text[]) of the tenant in $1. */
const STOCK_ITEMS = `SELECT sku, name, active, retired_at IS NOT NULL AS retired,
            low_stock_threshold AS "lowStockThreshold", reorder_quantity AS "reorderQuantity"
       FROM items WHERE tenant_id = $1 AND sku = ANY($2)`;

/**
 * What reserving needs before it locks anything, in one read: what the order already holds, the
 * lines' items, and the locations orders are routed to (only active ones ship; a retired or
 * inactive one keeps its stock but is not routed to). Plain rows, not model instances: this read
 * is on every order's path (see docs/benchmarks.md).
 */
async function stockContext(
  sequelize: Sequelize,
  transaction: Transaction,
  tenantId: string,
  orderKey: string,
  skus: string[],
): Promise<{
  held: StockAllocation[];
  items: StockItem[];
  locations: Array<{ id: string; latitude: number | null; longitude: number | null; ships_to: string[] }>;
}> {
  const [context] = await rowsOf<Awaited<ReturnType<typeof stockContext>>>(
    sequelize,
    `SELECT COALESCE((SELECT json_agg(h ORDER BY h.sku, h."locationId")
                        FROM (SELECT sku, location_id AS "locationId", quantity FROM stock_reservations
                               WHERE tenant_id = $1 AND order_key = $3 AND status = 'held') h), '[]') AS held,
            COALESCE((SELECT json_agg(i) FROM (${STOCK_ITEMS}) i), '[]') AS items,
            COALESCE((SELECT json_agg(json_build_object('id', id, 'latitude', latitude,
                        'longitude', longitude, 'ships_to', ships_to))
                        FROM locations WHERE tenant_id = $1 AND active AND retired_at IS NULL), '[]') AS locations`,
    [tenantId, skus, orderKey],
    transaction,
  );
  return context!;
}

/** The items of these SKUs, as stock moves need them (plain rows, as above). */
function stockItems(
  sequelize: Sequelize,
  transaction: Transaction,
  tenantId: string,
  skus: string[],
): Promise<StockItem[]> {
  return rowsOf<StockItem>(sequelize, STOCK_ITEMS, [tenantId, skus], transaction);
}

/** Writes `inventory.low` to the outbox, in the caller's transaction, for SKUs that crossed their threshold. */
async function announceLowStock(
  sequelize: Sequelize,
  transaction: Transaction,
  tenantId: string,
  before: Map<string, number>,
  after: (sku: string) => number,
  knownItems?: StockItem[],
): Promise<void> {
  if (before.size === 0) return;
  const items = knownItems ?? (await stockItems(sequelize, transaction, tenantId, [...before.keys()]));
  for (const item of items) {
    const was = before.get(item.sku) ?? 0;
    const now = after(item.sku);
    if (!crossedBelowThreshold(was, now, item.lowStockThreshold)) continue;
    const [{ seq }] = (await sequelize.query<{ seq: string }>(
      `SELECT max(id) AS seq FROM inventory_movements`,
      {
        type: QueryTypes.SELECT,
        transaction,
      },
    )) as [{ seq: string }];
    await recordEvent(
      sequelize,
      {
        id: `inventory.low:${tenantId}:${item.sku}:${seq}`,
        type: 'inventory.low',
        tenantId,
        occurredAt: new Date().toISOString(),
        data: {
          ...reorderSuggestion(item.sku, now, item.lowStockThreshold, item.reorderQuantity),
          name: item.name,
        },
      },
      transaction,
    );
  }
}

/**
 * Moves this order's held reservations to `to` (those from one location when it is given), giving
 * back exactly what they took, in one statement: its reservations and their stock levels locked
 * together in one order (by SKU, then location) so that concurrent settlements queue instead of
 * deadlocking, then the levels, the reservations and the ledger written. One statement is atomic
 * on its own, so settling needs no transaction of its own (three round trips fewer an order); in a
 * caller's transaction (an edit replacing what the order holds) it runs in that. What it settled.
 */
function settleWithin(
  sequelize: Sequelize,
  transaction: Transaction | undefined,
  tenantId: string,
  orderKey: string,
  to: 'released' | 'fulfilled',
  locationId?: string,
): Promise<StockAllocation[]> {
  return rowsOf<StockAllocation>(
    sequelize,
    `WITH held AS MATERIALIZED (
       SELECT r.sku, r.location_id AS "locationId", r.quantity
         FROM stock_reservations r
         JOIN inventory_levels l ON l.tenant_id = r.tenant_id AND l.sku = r.sku AND l.location_id = r.location_id
        WHERE r.tenant_id = $1 AND r.order_key = $2 AND r.status = 'held' AND ($3::text IS NULL OR r.location_id = $3)
        ORDER BY r.sku, r.location_id
        FOR UPDATE),
     levels AS (
       UPDATE inventory_levels l
          SET reserved = l.reserved - h.quantity, on_hand = l.on_hand - h.quantity * $5, updated_at = now()
         FROM held h WHERE l.tenant_id = $1 AND l.sku = h.sku AND l.location_id = h."locationId"),
     settled AS (
       UPDATE stock_reservations r SET status = $4, updated_at = now()
         FROM held h WHERE r.tenant_id = $1 AND r.order_key = $2 AND r.sku = h.sku AND r.location_id = h."locationId"
          AND r.status = 'held'),
     ledger AS (
       INSERT INTO inventory_movements (tenant_id, sku, location_id, kind, reserved_delta, on_hand_delta, reference)
       SELECT $1, h.sku, h."locationId", $6, -h.quantity, -h.quantity * $5, $2 FROM held h)
     SELECT sku, "locationId", quantity FROM held ORDER BY sku, "locationId"`,
    [
      tenantId,
      orderKey,
      locationId || null,
      to,
      to === 'fulfilled' ? 1 : 0,
      to === 'fulfilled' ? 'fulfil' : 'release',
    ],
    transaction,
  );
}

/** The parcel from one location left the building: its units leave both reserved and on-hand. */
export function fulfilLocationStock(
  sequelize: Sequelize,
  tenantId: string,
  orderKey: string,
  locationId: string,
) {
  return settleWithin(sequelize, undefined, tenantId, orderKey, 'fulfilled', locationId);
}

export function releaseOrderStock(sequelize: Sequelize, tenantId: string, orderKey: string) {
  return settleWithin(sequelize, undefined, tenantId, orderKey, 'released');
}

export function fulfilOrderStock(sequelize: Sequelize, tenantId: string, orderKey: string) {
  return settleWithin(sequelize, undefined, tenantId, orderKey, 'fulfilled');
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
  await changeOnHand(sequelize, { tenantId, sku, locationId, set: onHand, reason });
}

export type StockChange = {
  tenantId: string;
  sku: string;
  locationId: string;
  reason: string;
  reference?: string;
  /** Ledger kind; `set` or `adjust` from the change unless a caller names it (returns restock). */
  kind?: 'return_restock';
} & ({ set: number; adjust?: undefined } | { adjust: number; set?: undefined });

export interface LevelView {
  sku: string;
  locationId: string;
  onHand: number;
  reserved: number;
  available: number;
}

/**
 * A stock count (`set`) or a relative change (`adjust`), applied with one upsert and one ledger
 * row in one transaction. On-hand below what is reserved is refused: those units are promised.
 */
export async function changeOnHand(sequelize: Sequelize, change: StockChange): Promise<LevelView> {
  const { sku, locationId } = change;
  try {
    return await sequelize.transaction((transaction) => changeOnHandWithin(sequelize, transaction, change));
  } catch (error) {
    const message = (error as { parent?: { constraint?: string; code?: string } }).parent;
    if (message?.constraint === 'inventory_never_oversold') {
      throw new BusinessRuleViolation('StockBelowReserved', [
        `${sku} at ${locationId}: on hand cannot fall below zero or below the units already reserved`,
      ]);
    }
    if (message?.code === '23503') {
      throw new BusinessRuleViolation('UnknownSkuOrLocation', [
        `unknown SKU ${sku} or location ${locationId}`,
      ]);
    }
    throw error;
  }
}

/** `changeOnHand` inside the caller's transaction, for changes that belong to a larger one (returns). */
export async function changeOnHandWithin(
  sequelize: Sequelize,
  transaction: Transaction,
  change: StockChange,
): Promise<LevelView> {
  const { tenantId, sku, locationId } = change;
  const levels = await sequelize.query<{ location_id: string; on_hand: number; available: number }>(
    `SELECT location_id, on_hand, on_hand - reserved AS available FROM inventory_levels
      WHERE tenant_id = :tenantId AND sku = :sku ORDER BY location_id FOR UPDATE`,
    { replacements: { tenantId, sku }, type: QueryTypes.SELECT, transaction },
  );
  const before = availableBySku([
    { sku, available: 0 },
    ...levels.map((l) => ({ sku, available: l.available })),
  ]);
  const previous = Number(levels.find((l) => l.location_id === locationId)?.on_hand ?? 0);
  const delta = change.set !== undefined ? change.set - previous : change.adjust;
  const exists = levels.some((l) => l.location_id === locationId);
  const [row] = await sequelize.query<{ on_hand: number; reserved: number }>(
    exists
      ? `UPDATE inventory_levels SET on_hand = on_hand + :delta, updated_at = now()
          WHERE tenant_id = :tenantId AND sku = :sku AND location_id = :locationId
          RETURNING on_hand, reserved`
      : `INSERT INTO inventory_levels (tenant_id, sku, location_id, on_hand)
         VALUES (:tenantId, :sku, :locationId, :delta) RETURNING on_hand, reserved`,
    { replacements: { tenantId, sku, locationId, delta }, type: QueryTypes.SELECT, transaction },
  );
  const level = row!;
  await modelsOf(sequelize).InventoryMovement.create(
    {
      tenantId,
      sku,
      locationId,
      kind: change.kind ?? (change.set !== undefined ? 'set' : 'adjust'),
      onHandDelta: delta,
      reason: change.reason,
      reference: change.reference ?? null,
    },
    { transaction },
  );
  await announceLowStock(sequelize, transaction, tenantId, before, (s) => (before.get(s) ?? 0) + delta);
  return {
    sku,
    locationId,
    onHand: Number(level.on_hand),
    reserved: Number(level.reserved),
    available: Number(level.on_hand) - Number(level.reserved),
  };
}

export async function getLevels(
  sequelize: Sequelize,
  tenantId: string,
  sku: string,
): Promise<InventoryLevel[]> {
  return modelsOf(sequelize).InventoryLevel.findAll({
    where: { tenantId, sku },
    order: [['locationId', 'ASC']],
  });
}

/** An item as a parcel's weight and size are made from it. */
export interface ParcelItem {
  sku: string;
  weight_grams: number;
  length_mm: number | null;
  width_mm: number | null;
  height_mm: number | null;
}

/**
 * A statement's `items` column: the ParcelItems of the SKUs in the parameter `skus` (text[]) of
 * the tenant in the parameter `tenant`, '[]' when none is known.
 */
export function parcelItemsColumn(tenant: string, skus: string): string {
  return `COALESCE((SELECT json_agg(json_build_object('sku', i.sku, 'weight_grams', i.weight_grams,
                        'length_mm', i.length_mm, 'width_mm', i.width_mm, 'height_mm', i.height_mm))
                        FROM items i WHERE i.tenant_id = ${tenant} AND i.sku = ANY(${skus})), '[]') AS items`;
}

/** The parcel these lines make from their items' weights and dimensions (500 g for a SKU no longer known). */
export function parcelOfItems(lines: LineDemand[], items: ParcelItem[]): Parcel {
  const bySku = new Map(items.map((item) => [item.sku, item]));
  return parcelOf(
    lines.map((line) => {
      const item = bySku.get(line.sku);
      return {
        quantity: line.quantity,
        weightGrams: item ? Number(item.weight_grams) : 500,
        ...(item?.length_mm
          ? {
              dimensions: {
                lengthMm: Number(item.length_mm),
                widthMm: Number(item.width_mm),
                heightMm: Number(item.height_mm),
              },
            }
          : {}),
      };
    }),
  );
}

/**
 * What a carrier needs to quote a parcel from a location: the location's address and the parcel
 * these lines make. One read, since every quote of every parcel makes it; undefined when there is
 * no such location.
 */
export async function parcelFrom(
  sequelize: Sequelize,
  tenantId: string,
  locationId: string,
  lines: LineDemand[],
): Promise<{ address: Location['address']; parcel: Parcel } | undefined> {
  const [row] = await rowsOf<{ address: Location['address']; items: ParcelItem[] }>(
    sequelize,
    `SELECT l.address, ${parcelItemsColumn('$1', '$3')} FROM locations l WHERE l.tenant_id = $1 AND l.id = $2`,
    [tenantId, locationId, lines.map((l) => l.sku)],
  );
  return row && { address: row.address, parcel: parcelOfItems(lines, row.items) };
}

/** Of these SKUs, those the catalogue marks as never taken back. */
export async function notReturnable(
  sequelize: Sequelize,
  tenantId: string,
  skus: string[],
): Promise<string[]> {
  if (skus.length === 0) return [];
  const rows = await sequelize.query<{ sku: string }>(
    `SELECT sku FROM items WHERE tenant_id = :tenantId AND sku IN (:skus) AND NOT returnable`,
    { replacements: { tenantId, skus }, type: QueryTypes.SELECT },
  );
  return rows.map((r) => r.sku);
}
