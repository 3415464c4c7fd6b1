import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { z } from 'zod';
import { itemSchema } from '../../domain/master-data/items';
import { locationSchema } from '../../domain/master-data/locations';
import {
  integrityIssues,
  partKey,
  planChanges,
  planRetirement,
  recordId,
  recordsOfFile,
  resultingRecords,
  type ChannelMapping,
  type MasterRecord,
  type OpeningStock,
  type PlannedChange,
  type RecordKind,
  type StoredRecord,
} from '../../domain/master-data/plan';
import {
  propertySchema,
  ratePlanSchema,
  roomSchema,
  roomTypeSchema,
} from '../../domain/master-data/properties';
import type { SetupFile } from '../../domain/master-data/setup-file';
import { formatIssuePath } from '../../domain/shared/issues';
import { BUSINESS_DATE_SQL } from '../rooms';
import { followMasterData } from './calendar';
import { blockingDependents } from './dependents';
import {
  asStored,
  etagOf,
  loadStored,
  missingOpeningStock,
  splitPart,
  writeChanges,
  writeOpeningStock,
  type Scope,
} from './store';
import { selectColumns, TABLES, type TableSpec } from './tables';

/** Why master data was not written: invalid input, a precondition, or something depending on it. */
export class MasterDataRefused extends Error {
  constructor(
    /** `unprocessable`: well formed, but a rule across fields refused it (base over max occupancy…). */
    readonly code: 'invalid' | 'unprocessable' | 'not_found' | 'conflict' | 'precondition_failed',
    readonly problems: Array<{ path: string; message: string }>,
  ) {
    super(problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; '));
    this.name = 'MasterDataRefused';
  }
}

export interface SetupPlan {
  tenantId: string;
  changes: PlannedChange[];
  /** Stock levels the file sets because none exists yet. */
  openingStock: OpeningStock[];
}

/** The schema and key field of each kind, as REST bodies carry them. */
export const KIND_SCHEMAS: Record<RecordKind, { schema: z.ZodType; keyField: string }> = {
  location: { schema: locationSchema, keyField: 'id' },
  item: { schema: itemSchema, keyField: 'sku' },
  property: { schema: propertySchema, keyField: 'id' },
  roomType: { schema: roomTypeSchema, keyField: 'id' },
  room: { schema: roomSchema, keyField: 'number' },
  ratePlan: { schema: ratePlanSchema, keyField: 'id' },
};

/** Fields the hub sets, shown in responses and ignored in a `PUT` body sent back as read. */
const READ_ONLY = ['managedBy', 'retired', 'propertyId'];

export interface StoredView {
  record: StoredRecord;
  etag: string;
}

export interface MasterDataContext {
  sequelize: Sequelize;
  /** What each OTA connection maps, checked against its property whenever either changes. */
  mappings: ChannelMapping[];
  /** Nights a tenant's calendars are kept ahead. */
  horizonDays: (tenantId: string) => number;
}

/**
 * The one service behind both doors to a tenant's master data, the setup file and REST: every
 * write is planned against what is stored, refused with the reasons when it would break a
 * reference or take away what something open depends on, and written in one transaction per
 * tenant (serialised per tenant, so a stale `If-Match` is always seen). Calendars follow.
 */
export class MasterDataService {
  constructor(private readonly context: MasterDataContext) {}

  private get sequelize(): Sequelize {
    return this.context.sequelize;
  }

  /** What applying the file would do; writes nothing. Refused as `apply` would be. */
  plan(file: SetupFile): Promise<SetupPlan> {
    return this.declareFile(file, { dryRun: true });
  }

  /** Applies the file in one transaction. Applying it again changes nothing. */
  apply(file: SetupFile): Promise<SetupPlan> {
    return this.declareFile(file, { dryRun: false });
  }

  private async declareFile(file: SetupFile, options: { dryRun: boolean }): Promise<SetupPlan> {
    const { records, openingStock } = recordsOfFile(file);
    let plan: SetupPlan | undefined;
    await this.transact(file.tenant, { all: true }, options, async (stored, transaction) => {
      const changes = planChanges(stored, records, { manager: 'file', retireUndeclared: true });
      const resulting = resultingRecords(stored, changes);
      const problems = openingStock
        .filter((s) => !resulting.has(recordId('location', s.locationId)))
        .map((s) => ({ path: s.path, message: `location ${s.locationId} does not exist or is retired` }));
      if (problems.length) throw new MasterDataRefused('invalid', problems);
      const missing = await missingOpeningStock(this.sequelize, file.tenant, openingStock, transaction);
      plan = { tenantId: file.tenant, changes, openingStock: missing };
      return { changes, resulting, openingStock: missing };
    });
    return plan!;
  }

  /**
   * Creates or replaces one record (`PUT`). `ifMatch` must be the record's current ETag;
   * `ifNoneMatch: '*'` asks that it not exist yet.
   */
  async put(
    tenantId: string,
    kind: RecordKind,
    ref: { key: string; propertyId?: string },
    body: unknown,
    preconditions: { ifMatch?: string; ifNoneMatch?: string } = {},
  ): Promise<StoredView & { created: boolean; changed: boolean }> {
    const record = parseRecord(kind, ref, body);
    const id = recordId(kind, record.key);
    let outcome: { created: boolean; changed: boolean } = { created: false, changed: false };
    await this.transact(tenantId, scopeOf(kind, ref), { dryRun: false }, async (stored) => {
      const before = stored.get(id);
      checkPreconditions(before, preconditions);
      if (ref.propertyId && !stored.get(recordId('property', ref.propertyId)))
        throw new MasterDataRefused('not_found', [{ path: '', message: `no property ${ref.propertyId}` }]);
      const changes = planChanges(stored, [record], { manager: 'api', retireUndeclared: false });
      outcome = { created: !before, changed: changes.length > 0 };
      return { changes, resulting: resultingRecords(stored, changes) };
    });
    return { ...(await this.get(tenantId, kind, ref))!, ...outcome };
  }

  /**
   * Creates or replaces several records at once, as REST would one by one (managed by the API),
   * in one transaction: for imports, tests and benchmarks.
   */
  async declare(
    tenantId: string,
    entries: Array<{ kind: RecordKind; ref: { key: string; propertyId?: string }; body: unknown }>,
  ): Promise<PlannedChange[]> {
    const records = entries.map((e) => parseRecord(e.kind, e.ref, e.body));
    let planned: PlannedChange[] = [];
    await this.transact(tenantId, { all: true }, { dryRun: false }, async (stored) => {
      planned = planChanges(stored, records, { manager: 'api', retireUndeclared: false });
      return { changes: planned, resulting: resultingRecords(stored, planned) };
    });
    return planned;
  }

  /** Retires one record (`DELETE`), with the parts of a property or room type; never deletes. */
  async retire(
    tenantId: string,
    kind: RecordKind,
    ref: { key: string; propertyId?: string },
    preconditions: { ifMatch?: string } = {},
  ): Promise<StoredView & { retired: string[] }> {
    const key = ref.propertyId ? partKey(ref.propertyId, ref.key) : ref.key;
    let retired: string[] = [];
    await this.transact(tenantId, scopeOf(kind, ref), { dryRun: false }, async (stored) => {
      const before = stored.get(recordId(kind, key));
      if (!before) throw new MasterDataRefused('not_found', [{ path: '', message: `no ${kind} ${key}` }]);
      checkPreconditions(before, preconditions);
      const changes = planRetirement(stored, before);
      retired = changes.map((c) => `${c.kind} ${c.key}`);
      return { changes, resulting: resultingRecords(stored, changes) };
    });
    return { ...(await this.get(tenantId, kind, ref))!, retired };
  }

  async get(
    tenantId: string,
    kind: RecordKind,
    ref: { key: string; propertyId?: string },
    transaction?: Transaction,
  ): Promise<StoredView | undefined> {
    const key = ref.propertyId ? partKey(ref.propertyId, ref.key) : ref.key;
    const spec = TABLES[kind];
    const keys = spec.keys.length === 2 ? splitPart(key) : [key];
    const rows = await this.sequelize.query<Record<string, unknown>>(
      `SELECT ${selectColumns(spec)} FROM ${spec.table}
        WHERE tenant_id = :tenantId AND ${spec.keys.map((k, i) => `${k} = :k${i}`).join(' AND ')}`,
      {
        replacements: { tenantId, ...Object.fromEntries(keys.map((k, i) => [`k${i}`, k])) },
        type: QueryTypes.SELECT,
        transaction,
      },
    );
    return rows[0] && viewOfRow(spec, rows[0]);
  }

  /**
   * One page of a kind's records in key order, after the key `after` (the cursor). Retired
   * records are left out unless asked for.
   */
  async list(
    tenantId: string,
    kind: RecordKind,
    page: { propertyId?: string; after?: string; limit: number; includeRetired?: boolean },
  ): Promise<{ views: StoredView[]; last?: string }> {
    const spec = TABLES[kind];
    const sortKey = spec.keys[spec.keys.length - 1]!;
    const where = ['tenant_id = :tenantId'];
    if (spec.keys.length === 2) where.push('property_id = :propertyId');
    if (page.after !== undefined) where.push(`${sortKey} > :after`);
    if (!page.includeRetired) where.push('retired_at IS NULL');
    const rows = await this.sequelize.query<Record<string, unknown>>(
      `SELECT ${selectColumns(spec)} FROM ${spec.table} WHERE ${where.join(' AND ')}
        ORDER BY ${sortKey} LIMIT :limit`,
      {
        replacements: { tenantId, propertyId: page.propertyId, after: page.after, limit: page.limit + 1 },
        type: QueryTypes.SELECT,
      },
    );
    const views = rows.slice(0, page.limit).map((row) => viewOfRow(spec, row));
    const lastRow = rows.length > page.limit ? rows[page.limit - 1] : undefined;
    return { views, ...(lastRow ? { last: String(lastRow[sortKey]) } : {}) };
  }

  /** What every OTA connection of the tenant maps that its property does not sell. */
  async mappingIssues(tenantId: string): Promise<Array<{ path: string; message: string }>> {
    const issues: Array<{ path: string; message: string }> = [];
    const mappings = this.context.mappings.filter((m) => m.tenantId === tenantId);
    for (const propertyId of new Set(mappings.map((m) => m.propertyId))) {
      const stored = await loadStored(this.sequelize, tenantId, { propertyId });
      issues.push(
        ...integrityIssues(
          resultingRecords(stored, []),
          mappings.filter((m) => m.propertyId === propertyId),
          tenantId,
        ).filter((i) => i.path.startsWith('connectors')),
      );
    }
    return issues;
  }

  /**
   * One write: under the tenant's lock, the stored records in scope are read, `decide` plans the
   * changes, references and dependents are checked, then everything is written and the
   * calendars of the properties touched follow. A dry run stops before writing.
   */
  private async transact(
    tenantId: string,
    scope: Scope,
    options: { dryRun: boolean },
    decide: (
      stored: Map<string, StoredRecord>,
      transaction: Transaction,
    ) => Promise<{
      changes: PlannedChange[];
      resulting: Map<string, MasterRecord>;
      openingStock?: OpeningStock[];
    }>,
  ): Promise<void> {
    await this.sequelize.transaction(async (transaction) => {
      await this.sequelize.query(`SELECT pg_advisory_xact_lock(hashtext(:key))`, {
        replacements: { key: `crossdock:master-data:${tenantId}` },
        transaction,
      });
      const stored = await loadStored(this.sequelize, tenantId, scope, transaction);
      const { changes, resulting, openingStock = [] } = await decide(stored, transaction);
      const touched = touchedProperties(stored, changes);
      const mappings = this.context.mappings.filter(
        (m) => m.tenantId === tenantId && ('all' in scope || touched.has(m.propertyId)),
      );
      const problems = changes.length > 0 ? integrityIssues(resulting, mappings, tenantId) : [];
      if (problems.length) throw new MasterDataRefused('conflict', problems);
      const blocking = await blockingDependents(
        this.sequelize,
        transaction,
        tenantId,
        stored,
        changes,
        resulting,
      );
      if (blocking.length)
        throw new MasterDataRefused(
          'conflict',
          blocking.map((message) => ({ path: '', message })),
        );
      if (options.dryRun || (changes.length === 0 && openingStock.length === 0)) return;
      await writeChanges(this.sequelize, transaction, tenantId, changes);
      await writeOpeningStock(this.sequelize, transaction, tenantId, openingStock);
      await refreshStatistics(this.sequelize, transaction, changes, openingStock);
      for (const propertyId of touched) {
        await followMasterData(
          this.sequelize,
          transaction,
          { tenantId, propertyId },
          this.context.horizonDays(tenantId),
        );
        await markRatePlanNights(this.sequelize, transaction, tenantId, propertyId, changes);
      }
    });
  }
}

function viewOfRow(spec: TableSpec, row: Record<string, unknown>): StoredView {
  const record = asStored(spec, row);
  return { record, etag: etagOf(record) };
}

/** Rows written in one apply beyond which a table's planner statistics are refreshed at once. */
const BULK_ROWS = 1_000;

/**
 * After a bulk load the planner's statistics still describe the table before it (autovacuum
 * catches up minutes later), and keyset pages of a catalogue grown to 100,000 items would be
 * planned as sorts of the whole table: the tables a large apply grew are analysed in it.
 */
async function refreshStatistics(
  sequelize: Sequelize,
  transaction: Transaction,
  changes: PlannedChange[],
  openingStock: OpeningStock[],
): Promise<void> {
  const tables = Object.values(TABLES)
    .filter((spec) => changes.filter((c) => c.kind === spec.kind).length > BULK_ROWS)
    .map((spec) => spec.table);
  if (openingStock.length > BULK_ROWS) tables.push('inventory_levels');
  for (const table of tables) await sequelize.query(`ANALYZE ${table}`, { transaction });
}

function scopeOf(kind: RecordKind, ref: { key: string; propertyId?: string }): Scope {
  if (kind === 'location' || kind === 'item') return { kind, key: ref.key };
  return { propertyId: ref.propertyId ?? ref.key };
}

/** The record a REST body declares, validated by its kind's schema with the key from the path. */
export function parseRecord(
  kind: RecordKind,
  ref: { key: string; propertyId?: string },
  body: unknown,
): MasterRecord {
  const { schema, keyField } = KIND_SCHEMAS[kind];
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new MasterDataRefused('invalid', [{ path: '', message: 'the body must be a JSON object' }]);
  const fields = Object.fromEntries(Object.entries(body).filter(([k]) => !READ_ONLY.includes(k)));
  if (fields[keyField] !== undefined && fields[keyField] !== ref.key)
    throw new MasterDataRefused('invalid', [
      { path: keyField, message: `must be ${JSON.stringify(ref.key)}, as in the path, or left out` },
    ]);
  const parsed = schema.safeParse({ ...fields, [keyField]: ref.key });
  if (!parsed.success)
    throw new MasterDataRefused(
      parsed.error.issues.every((issue) => issue.code === 'custom') ? 'unprocessable' : 'invalid',
      parsed.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message })),
    );
  const value = parsed.data as Record<string, unknown>;
  return ref.propertyId
    ? { kind, key: partKey(ref.propertyId, ref.key), propertyId: ref.propertyId, value }
    : { kind, key: ref.key, value };
}

function checkPreconditions(
  before: StoredRecord | undefined,
  preconditions: { ifMatch?: string; ifNoneMatch?: string },
): void {
  if (preconditions.ifNoneMatch === '*' && before)
    throw new MasterDataRefused('precondition_failed', [
      { path: 'If-None-Match', message: `${before.kind} ${before.key} already exists` },
    ]);
  if (preconditions.ifMatch !== undefined) {
    const current = before ? etagOf(before) : undefined;
    const accepted = preconditions.ifMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
    if (!current || !(accepted.includes(current) || accepted.includes('*')))
      throw new MasterDataRefused('precondition_failed', [
        {
          path: 'If-Match',
          message: current
            ? `the ${before!.kind} changed since it was read (current ETag ${current})`
            : 'nothing to match: it does not exist',
        },
      ]);
  }
}

/** Properties whose calendars follow these changes (the property, its room types or rooms). */
function touchedProperties(stored: ReadonlyMap<string, StoredRecord>, changes: PlannedChange[]): Set<string> {
  const touched = new Set<string>();
  for (const change of changes) {
    if (change.kind === 'property') touched.add(change.key);
    else if (change.kind === 'roomType' || change.kind === 'room' || change.kind === 'ratePlan') {
      const propertyId =
        change.record?.propertyId ?? stored.get(recordId(change.kind, change.key))?.propertyId;
      if (propertyId) touched.add(propertyId);
    }
  }
  return touched;
}

/**
 * A rate plan's own amount is sent for every night without an amount of its own: a plan created
 * or changed marks its room type's future nights for the channels (per-night amounts mark
 * themselves by trigger).
 */
async function markRatePlanNights(
  sequelize: Sequelize,
  transaction: Transaction,
  tenantId: string,
  propertyId: string,
  changes: PlannedChange[],
): Promise<void> {
  const roomTypes = [
    ...new Set(
      changes
        .filter((c) => c.kind === 'ratePlan' && c.record?.propertyId === propertyId)
        .map((c) => String(c.record!.value.roomTypeId)),
    ),
  ];
  if (roomTypes.length === 0) return;
  await sequelize.query(
    `SELECT mark_channel_night(c.tenant_id, c.property_id, c.room_type_id, c.date)
       FROM room_type_calendar c JOIN properties p ON p.tenant_id = c.tenant_id AND p.id = c.property_id
      WHERE c.tenant_id = :tenantId AND c.property_id = :propertyId AND c.room_type_id IN (:roomTypes)
        AND c.date >= ${BUSINESS_DATE_SQL}
        AND EXISTS (SELECT 1 FROM channel_connections cc WHERE cc.tenant_id = c.tenant_id AND cc.property_id = c.property_id)`,
    { replacements: { tenantId, propertyId, roomTypes }, transaction },
  );
}
