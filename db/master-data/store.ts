import { createHash } from 'node:crypto';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { canonical } from '../../domain/master-data/common';
import {
  recordId,
  type OpeningStock,
  type PlannedChange,
  type RecordKind,
  type StoredRecord,
} from '../../domain/master-data/plan';
import { selectColumns, TABLES, type TableSpec } from './tables';

/** Which stored records a change needs to see: all of a tenant's, one record, or one property's. */
export type Scope = { all: true } | { kind: 'location' | 'item'; key: string } | { propertyId: string };

const PROPERTY_KINDS: RecordKind[] = ['property', 'roomType', 'room', 'ratePlan'];

/** A strong ETag of a record as stored: its values and whether it is retired. */
export function etagOf(record: Pick<StoredRecord, 'value' | 'retired'>): string {
  const digest = createHash('sha256')
    .update(canonical(record.value) + (record.retired ? '#retired' : ''))
    .digest('base64url');
  return `"${digest.slice(0, 27)}"`;
}

/** The tenant's stored master records within the scope, by `recordId`. */
export async function loadStored(
  sequelize: Sequelize,
  tenantId: string,
  scope: Scope,
  transaction?: Transaction,
): Promise<Map<string, StoredRecord>> {
  const kinds: RecordKind[] =
    'all' in scope ? (Object.keys(TABLES) as RecordKind[]) : 'kind' in scope ? [scope.kind] : PROPERTY_KINDS;
  const stored = new Map<string, StoredRecord>();
  for (const kind of kinds) {
    const spec = TABLES[kind];
    const where = ['tenant_id = :tenantId'];
    if ('kind' in scope) where.push(`${spec.keys[0]} = :key`);
    if ('propertyId' in scope)
      where.push(kind === 'property' ? 'id = :propertyId' : 'property_id = :propertyId');
    const rows = await sequelize.query<Record<string, unknown>>(
      `SELECT ${selectColumns(spec)} FROM ${spec.table} WHERE ${where.join(' AND ')}`,
      { replacements: { tenantId, ...scope }, type: QueryTypes.SELECT, transaction },
    );
    for (const row of rows) stored.set(recordId(kind, spec.keyOf(row)), asStored(spec, row));
  }
  return stored;
}

/** A row read with `selectColumns` as a stored record. */
export function asStored(spec: TableSpec, row: Record<string, unknown>): StoredRecord {
  return {
    kind: spec.kind,
    key: spec.keyOf(row),
    ...(row.property_id ? { propertyId: String(row.property_id) } : {}),
    value: spec.read(row),
    managedBy: row.managed_by as StoredRecord['managedBy'],
    retired: Boolean(row.retired),
  };
}

const CHUNK = 5_000;

/**
 * Writes the planned changes in the caller's transaction: one bulk upsert per kind (in chunks)
 * for what is created, changed or restored, one update per kind for what is retired.
 */
export async function writeChanges(
  sequelize: Sequelize,
  transaction: Transaction,
  tenantId: string,
  changes: PlannedChange[],
): Promise<void> {
  for (const spec of Object.values(TABLES)) {
    const upserts = changes.filter((c) => c.kind === spec.kind && c.action !== 'retire');
    for (let i = 0; i < upserts.length; i += CHUNK) {
      const rows = upserts.slice(i, i + CHUNK).map((change) => {
        const value = { ...change.record!.value, propertyId: change.record!.propertyId };
        const row: Record<string, unknown> = { managed_by: change.managedBy };
        for (const column of spec.columns) row[column.column] = column.write(value);
        return row;
      });
      await upsert(sequelize, transaction, tenantId, spec, rows);
    }
    const retired = changes.filter((c) => c.kind === spec.kind && c.action === 'retire');
    if (retired.length > 0)
      await retire(
        sequelize,
        transaction,
        tenantId,
        spec,
        retired.map((c) => c.key),
      );
  }
}

async function upsert(
  sequelize: Sequelize,
  transaction: Transaction,
  tenantId: string,
  spec: TableSpec,
  rows: Array<Record<string, unknown>>,
): Promise<void> {
  const columns = spec.columns.map((c) => c.column);
  const types = spec.columns.map((c) => `${c.column} ${c.type}`).join(', ');
  const updates = columns
    .filter((c) => !spec.keys.includes(c))
    .map((c) => `${c} = EXCLUDED.${c}`)
    .concat(['managed_by = EXCLUDED.managed_by', 'retired_at = NULL'])
    .concat(spec.updatedAt ? ['updated_at = now()'] : []);
  await sequelize.query(
    `INSERT INTO ${spec.table} (tenant_id, ${columns.join(', ')}, managed_by)
     SELECT :tenantId, ${columns.map((c) => `r.${c}`).join(', ')}, r.managed_by
       FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(${types}, managed_by text)
     ON CONFLICT (tenant_id, ${spec.keys.join(', ')}) DO UPDATE SET ${updates.join(', ')}`,
    { replacements: { tenantId, rows: JSON.stringify(rows) }, transaction },
  );
}

async function retire(
  sequelize: Sequelize,
  transaction: Transaction,
  tenantId: string,
  spec: TableSpec,
  keys: string[],
): Promise<void> {
  const keyRows = keys.map((key) => {
    const parts = spec.keys.length === 2 ? splitPart(key) : [key];
    return Object.fromEntries(spec.keys.map((column, i) => [column, parts[i]]));
  });
  await sequelize.query(
    `UPDATE ${spec.table} t SET retired_at = now()${spec.updatedAt ? ', updated_at = now()' : ''}
       FROM jsonb_to_recordset(CAST(:keys AS jsonb)) AS k(${spec.keys.map((k) => `${k} text`).join(', ')})
      WHERE t.tenant_id = :tenantId AND ${spec.keys.map((k) => `t.${k} = k.${k}`).join(' AND ')}
        AND t.retired_at IS NULL`,
    { replacements: { tenantId, keys: JSON.stringify(keyRows) }, transaction },
  );
}

/** `<propertyId>/<id>` → its two parts (a property id never holds "/"). */
export function splitPart(key: string): [string, string] {
  const at = key.indexOf('/');
  return [key.slice(0, at), key.slice(at + 1)];
}

/** The opening stock that would be set: only where the SKU has no stock level at the location yet. */
export async function missingOpeningStock(
  sequelize: Sequelize,
  tenantId: string,
  stock: OpeningStock[],
  transaction?: Transaction,
): Promise<OpeningStock[]> {
  if (stock.length === 0) return [];
  const existing = await sequelize.query<{ sku: string; location_id: string }>(
    `SELECT l.sku, l.location_id FROM inventory_levels l
       JOIN jsonb_to_recordset(CAST(:pairs AS jsonb)) AS p(sku text, location_id text)
         ON p.sku = l.sku AND p.location_id = l.location_id
      WHERE l.tenant_id = :tenantId`,
    {
      replacements: {
        tenantId,
        pairs: JSON.stringify(stock.map((s) => ({ sku: s.sku, location_id: s.locationId }))),
      },
      type: QueryTypes.SELECT,
      transaction,
    },
  );
  const have = new Set(existing.map((e) => `${e.sku}@${e.location_id}`));
  return stock.filter((s) => !have.has(`${s.sku}@${s.locationId}`));
}

/** Sets opening stock where no level exists yet, each with its ledger row, in the caller's transaction. */
export async function writeOpeningStock(
  sequelize: Sequelize,
  transaction: Transaction,
  tenantId: string,
  stock: OpeningStock[],
): Promise<void> {
  for (let i = 0; i < stock.length; i += CHUNK) {
    const rows = stock
      .slice(i, i + CHUNK)
      .map((s) => ({ sku: s.sku, location_id: s.locationId, on_hand: s.onHand }));
    await sequelize.query(
      `WITH created AS (
         INSERT INTO inventory_levels (tenant_id, sku, location_id, on_hand)
         SELECT :tenantId, r.sku, r.location_id, r.on_hand
           FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(sku text, location_id text, on_hand integer)
         ON CONFLICT DO NOTHING
         RETURNING sku, location_id, on_hand)
       INSERT INTO inventory_movements (tenant_id, sku, location_id, kind, on_hand_delta, reason, created_at)
       SELECT :tenantId, sku, location_id, 'set', on_hand, 'opening stock (setup file)', now() FROM created`,
      { replacements: { tenantId, rows: JSON.stringify(rows) }, transaction },
    );
  }
}
