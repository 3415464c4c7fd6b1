import type { RecordKind } from '../../domain/master-data/plan';

/**
 * How each kind of master record is stored: its table, its key columns, and each column's
 * PostgreSQL type with the way it is read from and written to the record's value. One table of
 * specs serves every read, bulk write and retirement, so the kinds cannot drift apart.
 */
export interface ColumnSpec {
  column: string;
  type: string;
  write: (value: Record<string, unknown>) => unknown;
}

export interface TableSpec {
  kind: RecordKind;
  table: string;
  /** Key columns after tenant_id; a property's parts start with property_id. */
  keys: string[];
  columns: ColumnSpec[];
  /** Touches updated_at on write (tables that have one). */
  updatedAt: boolean;
  /** The record's value from a row read with `select`. */
  read: (row: Record<string, unknown>) => Record<string, unknown>;
  /** The record's key from a row. */
  keyOf: (row: Record<string, unknown>) => string;
}

const field =
  (name: string) =>
  (value: Record<string, unknown>): unknown =>
    value[name] ?? null;
const json =
  (name: string) =>
  (value: Record<string, unknown>): unknown =>
    value[name] === undefined ? null : value[name];
const defined = <T extends Record<string, unknown>>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as T;
const money = (v: unknown) => (v === null || v === undefined ? undefined : Number(v).toFixed(2));
const part = (row: Record<string, unknown>, id: unknown) => `${String(row.property_id)}/${String(id)}`;

export const TABLES: Record<RecordKind, TableSpec> = {
  location: {
    kind: 'location',
    table: 'locations',
    keys: ['id'],
    updatedAt: true,
    columns: [
      { column: 'id', type: 'text', write: field('id') },
      { column: 'name', type: 'text', write: field('name') },
      { column: 'kind', type: 'text', write: field('kind') },
      { column: 'address', type: 'jsonb', write: json('address') },
      {
        column: 'latitude',
        type: 'double precision',
        write: (v) => (v.coordinates as { latitude?: number } | undefined)?.latitude ?? null,
      },
      {
        column: 'longitude',
        type: 'double precision',
        write: (v) => (v.coordinates as { longitude?: number } | undefined)?.longitude ?? null,
      },
      { column: 'ships_to', type: 'text[]', write: field('shipsTo') },
      { column: 'active', type: 'boolean', write: field('active') },
    ],
    keyOf: (row) => String(row.id),
    read: (row) =>
      defined({
        id: row.id,
        name: row.name,
        kind: row.kind,
        address: row.address,
        coordinates:
          row.latitude === null || row.longitude === null
            ? undefined
            : { latitude: Number(row.latitude), longitude: Number(row.longitude) },
        shipsTo: row.ships_to,
        active: row.active,
      }),
  },
  item: {
    kind: 'item',
    table: 'items',
    keys: ['sku'],
    updatedAt: true,
    columns: [
      { column: 'sku', type: 'text', write: field('sku') },
      { column: 'name', type: 'text', write: field('name') },
      { column: 'active', type: 'boolean', write: field('active') },
      { column: 'weight_grams', type: 'integer', write: field('weightGrams') },
      {
        column: 'length_mm',
        type: 'integer',
        write: (v) => (v.dimensions as { lengthMm?: number } | undefined)?.lengthMm ?? null,
      },
      {
        column: 'width_mm',
        type: 'integer',
        write: (v) => (v.dimensions as { widthMm?: number } | undefined)?.widthMm ?? null,
      },
      {
        column: 'height_mm',
        type: 'integer',
        write: (v) => (v.dimensions as { heightMm?: number } | undefined)?.heightMm ?? null,
      },
      { column: 'low_stock_threshold', type: 'integer', write: field('lowStockThreshold') },
      { column: 'reorder_quantity', type: 'integer', write: field('reorderQuantity') },
      { column: 'returnable', type: 'boolean', write: field('returnable') },
      { column: 'hs_code', type: 'text', write: field('hsCode') },
      { column: 'country_of_origin', type: 'text', write: field('countryOfOrigin') },
    ],
    keyOf: (row) => String(row.sku),
    read: (row) =>
      defined({
        sku: row.sku,
        name: row.name,
        active: row.active,
        weightGrams: Number(row.weight_grams),
        dimensions:
          row.length_mm === null
            ? undefined
            : {
                lengthMm: Number(row.length_mm),
                widthMm: Number(row.width_mm),
                heightMm: Number(row.height_mm),
              },
        lowStockThreshold: Number(row.low_stock_threshold),
        reorderQuantity: Number(row.reorder_quantity),
        returnable: row.returnable,
        hsCode: row.hs_code,
        countryOfOrigin: row.country_of_origin,
      }),
  },
  property: {
    kind: 'property',
    table: 'properties',
    keys: ['id'],
    updatedAt: true,
    columns: [
      { column: 'id', type: 'text', write: field('id') },
      { column: 'name', type: 'text', write: field('name') },
      { column: 'time_zone', type: 'text', write: field('timeZone') },
      { column: 'currency', type: 'text', write: field('currency') },
      { column: 'address', type: 'jsonb', write: json('address') },
      { column: 'check_in_time', type: 'text', write: field('checkInTime') },
      { column: 'check_out_time', type: 'text', write: field('checkOutTime') },
      { column: 'closed_periods', type: 'jsonb', write: (v) => v.closedPeriods ?? [] },
    ],
    keyOf: (row) => String(row.id),
    read: (row) =>
      defined({
        id: row.id,
        name: row.name,
        timeZone: row.time_zone,
        currency: row.currency,
        address: row.address,
        checkInTime: row.check_in_time,
        checkOutTime: row.check_out_time,
        closedPeriods: row.closed_periods,
      }),
  },
  roomType: {
    kind: 'roomType',
    table: 'room_types',
    keys: ['property_id', 'id'],
    updatedAt: false,
    columns: [
      { column: 'property_id', type: 'text', write: field('propertyId') },
      { column: 'id', type: 'text', write: field('id') },
      { column: 'name', type: 'text', write: field('name') },
      { column: 'max_occupancy', type: 'integer', write: field('maxOccupancy') },
      { column: 'base_occupancy', type: 'integer', write: field('baseOccupancy') },
    ],
    keyOf: (row) => part(row, row.id),
    read: (row) => ({
      id: row.id,
      name: row.name,
      maxOccupancy: Number(row.max_occupancy),
      baseOccupancy: Number(row.base_occupancy),
    }),
  },
  room: {
    kind: 'room',
    table: 'rooms',
    keys: ['property_id', 'number'],
    updatedAt: true,
    columns: [
      { column: 'property_id', type: 'text', write: field('propertyId') },
      { column: 'number', type: 'text', write: field('number') },
      { column: 'room_type_id', type: 'text', write: field('roomTypeId') },
      { column: 'floor', type: 'text', write: field('floor') },
      { column: 'features', type: 'text[]', write: field('features') },
    ],
    keyOf: (row) => part(row, row.number),
    read: (row) =>
      defined({ number: row.number, roomTypeId: row.room_type_id, floor: row.floor, features: row.features }),
  },
  ratePlan: {
    kind: 'ratePlan',
    table: 'rate_plans',
    keys: ['property_id', 'id'],
    updatedAt: false,
    columns: [
      { column: 'property_id', type: 'text', write: field('propertyId') },
      { column: 'id', type: 'text', write: field('id') },
      { column: 'room_type_id', type: 'text', write: field('roomTypeId') },
      { column: 'name', type: 'text', write: field('name') },
      { column: 'amount', type: 'numeric', write: field('amount') },
      { column: 'extra_guest_amount', type: 'numeric', write: field('extraGuestAmount') },
      { column: 'tax_percent', type: 'numeric', write: field('taxPercent') },
      { column: 'meals_included', type: 'text[]', write: field('mealsIncluded') },
      { column: 'cancellation', type: 'jsonb', write: json('cancellation') },
      { column: 'no_show', type: 'jsonb', write: json('noShow') },
      { column: 'guarantee_required', type: 'boolean', write: field('guaranteeRequired') },
      { column: 'deposit', type: 'jsonb', write: json('deposit') },
    ],
    keyOf: (row) => part(row, row.id),
    read: (row) =>
      defined({
        id: row.id,
        roomTypeId: row.room_type_id,
        name: row.name,
        amount: money(row.amount),
        extraGuestAmount: money(row.extra_guest_amount),
        taxPercent: Number(row.tax_percent),
        mealsIncluded: row.meals_included,
        cancellation: row.cancellation,
        noShow: row.no_show,
        guaranteeRequired: row.guarantee_required,
        deposit: row.deposit,
      }),
  },
};

/** The column list that reads a kind's rows (with who manages them and whether they are retired). */
export function selectColumns(spec: TableSpec): string {
  return [...spec.columns.map((c) => c.column), 'managed_by', 'retired_at IS NOT NULL AS retired'].join(', ');
}
