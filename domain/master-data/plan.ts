import { canonical, changedFields, type Manager } from './common';
import type { SetupFile } from './setup-file';

/**
 * Master data as records, one per location, item, property, room type, room and rate plan, so a
 * setup file and the REST API go through one planner: what is declared is compared with what is
 * stored, and the difference is a list of changes to show (`plan`) or write (`apply`).
 */
export const RECORD_KINDS = ['location', 'item', 'property', 'roomType', 'room', 'ratePlan'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export interface MasterRecord {
  kind: RecordKind;
  /** Unique per tenant and kind: `id`, `sku`, or `<propertyId>/<id or number>` for a property's parts. */
  key: string;
  propertyId?: string;
  value: Record<string, unknown>;
}

export interface StoredRecord extends MasterRecord {
  managedBy: Manager;
  retired: boolean;
}

export type ChangeAction = 'create' | 'change' | 'restore' | 'retire';

export interface PlannedChange {
  action: ChangeAction;
  kind: RecordKind;
  key: string;
  /** The fields that differ, for `change` and `restore`. */
  fields?: string[];
  /** The record as it will be stored (absent for `retire`). */
  record?: MasterRecord;
  managedBy: Manager;
}

export interface OpeningStock {
  sku: string;
  locationId: string;
  onHand: number;
  /** Where the file declares it, for messages. */
  path: string;
}

export const recordId = (kind: RecordKind, key: string) => `${kind}:${key}`;
export const partKey = (propertyId: string, id: string) => `${propertyId}/${id}`;

/** The records a setup file declares, and its opening stock. */
export function recordsOfFile(file: SetupFile): { records: MasterRecord[]; openingStock: OpeningStock[] } {
  const records: MasterRecord[] = [];
  const openingStock: OpeningStock[] = [];
  for (const location of file.locations)
    records.push({ kind: 'location', key: location.id, value: location });
  file.items.forEach(({ openingStock: stock, ...item }, index) => {
    records.push({ kind: 'item', key: item.sku, value: item });
    for (const [locationId, onHand] of Object.entries(stock ?? {}))
      openingStock.push({
        sku: item.sku,
        locationId,
        onHand,
        path: `items[${index}].openingStock.${locationId}`,
      });
  });
  for (const { roomTypes, rooms, ratePlans, ...property } of file.properties) {
    records.push({ kind: 'property', key: property.id, value: property });
    const part = (kind: RecordKind, id: string, value: Record<string, unknown>) =>
      records.push({ kind, key: partKey(property.id, id), propertyId: property.id, value });
    for (const type of roomTypes) part('roomType', type.id, type);
    for (const room of rooms) part('room', room.number, room);
    for (const plan of ratePlans) part('ratePlan', plan.id, plan);
  }
  return { records, openingStock };
}

/** Kinds in the order they are written: a part after what it belongs to. Retirements go in reverse. */
const WRITE_ORDER: Record<RecordKind, number> = {
  location: 0,
  item: 1,
  property: 2,
  roomType: 3,
  room: 4,
  ratePlan: 5,
};

/**
 * The changes that make the stored records what is declared. `manager` is who declares: the
 * setup file takes over what it declares (REST changes to it are put back on the next apply)
 * and, with `retireUndeclared`, retires what it declared before and no longer does. A retired
 * property or room type takes its parts with it.
 */
export function planChanges(
  stored: ReadonlyMap<string, StoredRecord>,
  declared: MasterRecord[],
  options: { manager: Manager; retireUndeclared: boolean },
): PlannedChange[] {
  const changes: PlannedChange[] = [];
  const declaredIds = new Set<string>();
  for (const record of declared) {
    const id = recordId(record.kind, record.key);
    declaredIds.add(id);
    const before = stored.get(id);
    if (!before) {
      changes.push({
        action: 'create',
        kind: record.kind,
        key: record.key,
        record,
        managedBy: options.manager,
      });
      continue;
    }
    // REST changes a record where it stands; the file takes over a record made by REST.
    const managedBy = options.manager === 'file' ? 'file' : before.managedBy;
    const fields = changedFields(before.value, record.value);
    if (before.managedBy !== managedBy) fields.push('managedBy');
    if (before.retired)
      changes.push({ action: 'restore', kind: record.kind, key: record.key, fields, record, managedBy });
    else if (fields.length > 0)
      changes.push({ action: 'change', kind: record.kind, key: record.key, fields, record, managedBy });
  }
  if (options.retireUndeclared) {
    for (const [id, record] of stored)
      if (record.managedBy === 'file' && !record.retired && !declaredIds.has(id))
        changes.push(retirement(record));
  }
  return withParts(stored, changes, declaredIds).sort(
    (a, b) =>
      (a.action === 'retire' ? 1 : 0) - (b.action === 'retire' ? 1 : 0) ||
      (a.action === 'retire'
        ? WRITE_ORDER[b.kind] - WRITE_ORDER[a.kind]
        : WRITE_ORDER[a.kind] - WRITE_ORDER[b.kind]),
  );
}

/** Retiring one record by hand (REST `DELETE`), with the parts it takes along. */
export function planRetirement(
  stored: ReadonlyMap<string, StoredRecord>,
  record: StoredRecord,
): PlannedChange[] {
  if (record.retired) return [];
  return withParts(stored, [retirement(record)], new Set()).sort(
    (a, b) => WRITE_ORDER[b.kind] - WRITE_ORDER[a.kind],
  );
}

function retirement(record: StoredRecord): PlannedChange {
  return { action: 'retire', kind: record.kind, key: record.key, managedBy: record.managedBy };
}

/** Retiring a property or a room type retires its parts (that are not declared anew). */
function withParts(
  stored: ReadonlyMap<string, StoredRecord>,
  changes: PlannedChange[],
  declaredIds: ReadonlySet<string>,
): PlannedChange[] {
  const retiring = new Set(changes.filter((c) => c.action === 'retire').map((c) => recordId(c.kind, c.key)));
  const retiredProperties = new Set(
    changes.filter((c) => c.action === 'retire' && c.kind === 'property').map((c) => c.key),
  );
  const retiredTypes = new Set(
    changes.filter((c) => c.action === 'retire' && c.kind === 'roomType').map((c) => c.key),
  );
  if (retiredProperties.size === 0 && retiredTypes.size === 0) return changes;
  const extra: PlannedChange[] = [];
  for (const [id, record] of stored) {
    if (record.retired || retiring.has(id) || declaredIds.has(id) || !record.propertyId) continue;
    const typeKey =
      record.kind === 'roomType'
        ? record.key
        : partKey(record.propertyId, String(record.value.roomTypeId ?? ''));
    if (retiredProperties.has(record.propertyId) || retiredTypes.has(typeKey)) extra.push(retirement(record));
  }
  return [...changes, ...extra];
}

/** The stored records as they will be once the changes are written (retired ones left out). */
export function resultingRecords(
  stored: ReadonlyMap<string, StoredRecord>,
  changes: PlannedChange[],
): Map<string, MasterRecord> {
  const result = new Map<string, MasterRecord>();
  for (const [id, record] of stored) if (!record.retired) result.set(id, record);
  for (const change of changes) {
    const id = recordId(change.kind, change.key);
    if (change.action === 'retire') result.delete(id);
    else result.set(id, change.record!);
  }
  return result;
}

/** What an OTA connection maps, from the config, to be checked against its property. */
export interface ChannelMapping {
  /** `connectors[3]`, for messages. */
  path: string;
  connectorId: string;
  tenantId: string;
  propertyId: string;
  roomTypes: Record<string, string>;
  ratePlans: Record<string, string>;
}

export interface IntegrityIssue {
  path: string;
  message: string;
}

/**
 * References that must hold in the records as they will be: every room and rate plan names a
 * room type of its property, a rate plan a room type it belongs to, a closed period room types
 * that exist, and every OTA connection codes that name something its property sells.
 */
export function integrityIssues(
  records: ReadonlyMap<string, MasterRecord>,
  mappings: ChannelMapping[],
  tenantId: string,
): IntegrityIssue[] {
  const issues: IntegrityIssue[] = [];
  const has = (kind: RecordKind, key: string) => records.has(recordId(kind, key));
  for (const record of records.values()) {
    if (!record.propertyId) continue;
    const where = `${record.kind} ${record.key}`;
    if (!has('property', record.propertyId))
      issues.push({ path: where, message: `property ${record.propertyId} does not exist or is retired` });
    if (record.kind === 'room' || record.kind === 'ratePlan') {
      const type = String(record.value.roomTypeId);
      if (!has('roomType', partKey(record.propertyId, type)))
        issues.push({
          path: `${where}.roomTypeId`,
          message: `room type ${type} does not exist at property ${record.propertyId} or is retired`,
        });
    }
  }
  for (const record of records.values()) {
    if (record.kind !== 'property') continue;
    const periods = (record.value.closedPeriods ?? []) as Array<{ roomTypeIds?: string[] }>;
    periods.forEach((period, i) =>
      period.roomTypeIds?.forEach((type, j) => {
        if (!has('roomType', partKey(record.key, type)))
          issues.push({
            path: `property ${record.key}.closedPeriods[${i}].roomTypeIds[${j}]`,
            message: `room type ${type} does not exist at property ${record.key} or is retired`,
          });
      }),
    );
  }
  for (const mapping of mappings.filter((m) => m.tenantId === tenantId)) {
    if (!has('property', mapping.propertyId)) {
      issues.push({
        path: `${mapping.path}.options.propertyId`,
        message: `${mapping.connectorId} sells property ${mapping.propertyId}, which does not exist or is retired`,
      });
      continue;
    }
    for (const type of Object.keys(mapping.roomTypes))
      if (!has('roomType', partKey(mapping.propertyId, type)))
        issues.push({
          path: `${mapping.path}.options.roomTypes.${type}`,
          message: `${mapping.connectorId} maps room type ${type}, which property ${mapping.propertyId} does not sell`,
        });
    for (const plan of Object.keys(mapping.ratePlans))
      if (!has('ratePlan', partKey(mapping.propertyId, plan)))
        issues.push({
          path: `${mapping.path}.options.ratePlans.${plan}`,
          message: `${mapping.connectorId} maps rate plan ${plan}, which property ${mapping.propertyId} does not sell`,
        });
  }
  return issues;
}

/** One line per change, as `plan` prints it. */
export function describeChange(change: PlannedChange): string {
  const what = `${change.kind} ${change.key}`;
  switch (change.action) {
    case 'create':
      return `+ create  ${what}`;
    case 'retire':
      return `- retire  ${what}`;
    case 'restore':
      return `+ restore ${what}${change.fields?.length ? ` (${change.fields.join(', ')})` : ''}`;
    case 'change':
      return `~ change  ${what} (${change.fields!.join(', ')})`;
  }
}

/** Whether two records hold the same values (as stored and as declared). */
export function sameValue(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return canonical(a) === canonical(b);
}
