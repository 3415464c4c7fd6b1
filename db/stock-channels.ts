import { QueryTypes, type Sequelize } from 'sequelize';
import { affectedRows } from './database';
import { clearReadMarks, type MarkKey } from './dirty-marks';

type ConnectionRef = { tenantId: string; connectorId: string };

/** Records which locations each marketplace connection sells from; the stock trigger marks them. */
export async function syncStockConnections(
  sequelize: Sequelize,
  connections: Array<ConnectionRef & { locationIds: string[] }>,
): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    for (const c of connections)
      await sequelize.query(
        `INSERT INTO stock_connections (tenant_id, connector_id, location_ids)
         VALUES (:tenantId, :connectorId, ARRAY[:locationIds]::text[])
         ON CONFLICT (tenant_id, connector_id) DO UPDATE SET location_ids = EXCLUDED.location_ids`,
        { replacements: c, transaction },
      );
  });
}

/** One SKU at one location as a marketplace connection sees it. */
export interface StockPosition {
  sku: string;
  locationId: string;
  onHand: number;
  reserved: number;
  /** The marketplace's inventory item for the SKU; null when it does not list the SKU. */
  inventoryItemId: string | null;
  /** Why the marketplace refused the SKU, while ops have not resolved it. */
  setAside: string | null;
  /** What the marketplace last acknowledged. */
  acked: number | null;
  /** The dirty mark read (absent in a complete set): cleared only if not marked again since. */
  markedAt?: string;
}

interface PositionRow {
  sku: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  inventory_item_id: string | null;
  set_aside: string | null;
  acked: number | null;
  marked_at?: string;
}

function asPosition(r: PositionRow): StockPosition {
  return {
    sku: r.sku,
    locationId: r.location_id,
    onHand: Number(r.on_hand),
    reserved: Number(r.reserved),
    inventoryItemId: r.inventory_item_id,
    setAside: r.set_aside,
    acked: r.acked === null ? null : Number(r.acked),
    ...(r.marked_at ? { markedAt: r.marked_at } : {}),
  };
}

const POSITION_JOINS = `LEFT JOIN inventory_levels l ON l.tenant_id = p.tenant_id AND l.sku = p.sku AND l.location_id = p.location_id
  LEFT JOIN stock_listings s ON s.tenant_id = p.tenant_id AND s.connector_id = p.connector_id AND s.sku = p.sku
  LEFT JOIN stock_acked a ON a.tenant_id = p.tenant_id AND a.connector_id = p.connector_id
       AND a.sku = p.sku AND a.location_id = p.location_id`;
const POSITION_COLUMNS = `p.sku, p.location_id, COALESCE(l.on_hand, 0) AS on_hand, COALESCE(l.reserved, 0) AS reserved,
  s.inventory_item_id, s.set_aside, a.available AS acked`;

/** The connection's dirty SKU-locations (oldest marks first, at most `limit`), as they stand now. */
export async function dirtyStock(
  sequelize: Sequelize,
  ref: ConnectionRef & { limit: number },
): Promise<StockPosition[]> {
  const rows = await sequelize.query<PositionRow>(
    `SELECT ${POSITION_COLUMNS},
            to_char(p.marked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS marked_at
       FROM stock_dirty p ${POSITION_JOINS}
      WHERE p.tenant_id = :tenantId AND p.connector_id = :connectorId
      ORDER BY p.marked_at, p.sku, p.location_id
      LIMIT :limit`,
    { replacements: ref, type: QueryTypes.SELECT },
  );
  return rows.map(asPosition);
}

/**
 * Fresh planner statistics for the tables a complete set just wrote in bulk. A store's first
 * complete set fills `stock_listings` and `stock_acked` with thousands of rows at once; until
 * autovacuum analyzes them the planner takes them for empty, and reading the listed stock became
 * a nested loop over every level of the tenant per listing: 13.3 s for 10,000 SKU-locations
 * instead of 17 ms (EXPLAIN ANALYZE, bench:scale stock). A complete set is rare (start-up, the
 * nightly resync, ops): the statistics cost tens of milliseconds.
 */
export async function analyzeStockTables(sequelize: Sequelize): Promise<void> {
  await sequelize.query('ANALYZE inventory_levels, stock_listings, stock_acked');
}

/**
 * Every SKU the marketplace lists, at every location the connection sells from, for a complete
 * set: a SKU with no stock row at a location has none there.
 */
export async function listedStock(sequelize: Sequelize, ref: ConnectionRef): Promise<StockPosition[]> {
  const rows = await sequelize.query<PositionRow>(
    `SELECT ${POSITION_COLUMNS}
       FROM (SELECT s.tenant_id, s.connector_id, s.sku, loc AS location_id
               FROM stock_listings s
               JOIN stock_connections c ON c.tenant_id = s.tenant_id AND c.connector_id = s.connector_id
              CROSS JOIN unnest(c.location_ids) AS loc
              WHERE s.tenant_id = :tenantId AND s.connector_id = :connectorId) p
       ${POSITION_JOINS}
      ORDER BY p.sku, p.location_id`,
    { replacements: ref, type: QueryTypes.SELECT },
  );
  return rows.map(asPosition);
}

/**
 * The marketplace's catalogue as read now: SKUs it no longer lists are dropped, set-asides stay.
 * A SKU it lists on several items is set aside (its stock cannot be told apart).
 */
export async function replaceListings(
  sequelize: Sequelize,
  ref: ConnectionRef,
  catalogue: {
    listings: Array<{ sku: string; inventoryItemId: string }>;
    ambiguous: Array<{ sku: string; inventoryItemIds: string[] }>;
  },
): Promise<void> {
  const listings = [
    ...catalogue.listings.map((l) => ({ ...l, setAside: null })),
    ...catalogue.ambiguous.map((a) => ({
      sku: a.sku,
      inventoryItemId: a.inventoryItemIds[0]!,
      setAside: `the store lists ${a.sku} on ${a.inventoryItemIds.length} variants (inventory items ${a.inventoryItemIds.join(', ')})`,
    })),
  ];
  const values = JSON.stringify(listings);
  await sequelize.transaction(async (transaction) => {
    await sequelize.query(
      `DELETE FROM stock_listings WHERE tenant_id = :tenantId AND connector_id = :connectorId
          AND sku NOT IN (SELECT v.sku FROM jsonb_to_recordset(CAST(:values AS jsonb)) AS v(sku text))`,
      { replacements: { ...ref, values }, transaction },
    );
    if (listings.length > 0)
      // A SKU set aside before keeps its reason unless it is ambiguous now.
      await sequelize.query(
        `INSERT INTO stock_listings (tenant_id, connector_id, sku, inventory_item_id, set_aside, set_aside_at)
         SELECT :tenantId, :connectorId, v.sku, v."inventoryItemId", v."setAside",
                CASE WHEN v."setAside" IS NULL THEN NULL ELSE now() END
           FROM jsonb_to_recordset(CAST(:values AS jsonb)) AS v(sku text, "inventoryItemId" text, "setAside" text)
         ON CONFLICT (tenant_id, connector_id, sku)
         DO UPDATE SET inventory_item_id = EXCLUDED.inventory_item_id, refreshed_at = now(),
                       set_aside = COALESCE(EXCLUDED.set_aside, stock_listings.set_aside),
                       set_aside_at = COALESCE(EXCLUDED.set_aside_at, stock_listings.set_aside_at)`,
        { replacements: { ...ref, values }, transaction },
      );
  });
}

/** What the marketplace acknowledged (or, in a complete set, was found to show). */
export async function recordStockAcknowledged(
  sequelize: Sequelize,
  ref: ConnectionRef,
  acknowledged: Array<{ sku: string; locationId: string; available: number }>,
): Promise<void> {
  if (acknowledged.length === 0) return;
  await sequelize.query(
    `INSERT INTO stock_acked (tenant_id, connector_id, sku, location_id, available)
     SELECT :tenantId, :connectorId, v.sku, v."locationId", v.available
       FROM jsonb_to_recordset(CAST(:values AS jsonb)) AS v(sku text, "locationId" text, available int)
     ON CONFLICT (tenant_id, connector_id, sku, location_id)
     DO UPDATE SET available = EXCLUDED.available, acked_at = now()`,
    { replacements: { ...ref, values: JSON.stringify(acknowledged) } },
  );
}

/** A SKU-location's mark (the marks read are passed as they were read, in camelCase). */
const POSITION_MARK: MarkKey = {
  recordColumns: 'sku text, "locationId" text, "markedAt" timestamptz',
  matches: 'd.sku = m.sku AND d.location_id = m."locationId" AND d.marked_at <= m."markedAt"',
};

/**
 * The marks that were read are done with, unless marked again after they were read (that change
 * still has to go out). A complete set clears every mark made before it was read.
 */
export async function clearStockMarks(
  sequelize: Sequelize,
  ref: ConnectionRef,
  read: { marks: Array<{ sku: string; locationId: string; markedAt: string }> } | { before: string },
): Promise<void> {
  await clearReadMarks(sequelize, 'stock_dirty', POSITION_MARK, ref, read);
}

/** A SKU the marketplace refused: its stock stops going out until ops resolve it. */
export async function setListingAside(
  sequelize: Sequelize,
  ref: ConnectionRef & { sku: string; reason: string },
): Promise<void> {
  await sequelize.query(
    `UPDATE stock_listings SET set_aside = :reason, set_aside_at = now()
      WHERE tenant_id = :tenantId AND connector_id = :connectorId AND sku = :sku`,
    { replacements: ref },
  );
}

export async function listingsSetAside(
  sequelize: Sequelize,
  ref: ConnectionRef,
): Promise<Array<{ sku: string; reason: string; raisedAt: string }>> {
  const rows = await sequelize.query<{ sku: string; set_aside: string; set_aside_at: Date }>(
    `SELECT sku, set_aside, set_aside_at FROM stock_listings
      WHERE tenant_id = :tenantId AND connector_id = :connectorId AND set_aside IS NOT NULL ORDER BY sku`,
    { replacements: ref, type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({
    sku: r.sku,
    reason: r.set_aside,
    raisedAt: new Date(r.set_aside_at).toISOString(),
  }));
}

/** Ops fixed the listing: the SKUs go out again with the next complete set. */
export async function resolveListings(sequelize: Sequelize, ref: ConnectionRef): Promise<number> {
  const [, count] = await sequelize.query(
    `UPDATE stock_listings SET set_aside = NULL, set_aside_at = NULL
      WHERE tenant_id = :tenantId AND connector_id = :connectorId AND set_aside IS NOT NULL`,
    { replacements: ref },
  );
  return affectedRows(count);
}

export async function pendingStockMarks(sequelize: Sequelize, ref: ConnectionRef): Promise<number> {
  const [row] = await sequelize.query<{ marks: string }>(
    `SELECT count(*) AS marks FROM stock_dirty WHERE tenant_id = :tenantId AND connector_id = :connectorId`,
    { replacements: ref, type: QueryTypes.SELECT },
  );
  return Number(row?.marks ?? 0);
}
