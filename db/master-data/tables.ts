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

/** The record's field, or null where the record leaves it out. */
const field =
  (name: string) =>
  (value: Record<string, unknown>): unknown =>
    value[name] ?? null;
/** A record's field name for a column: `time_zone` is `timeZone`. */
const fieldName = (column: string) =>
  column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
/** A column, written by default from the record's field of the same name. */
const column = (
  name: string,
  type: string,
  write: ColumnSpec['write'] = field(fieldName(name)),
): ColumnSpec => ({ column: name, type, write });
/**
 * The columns of a composite field (a location's coordinates, an item's dimensions): one column
 * a component, named for it; a component the record leaves out is null.
 */
const composite = (name: string, type: string, columns: string[]): ColumnSpec[] =>
  columns.map((c) =>
    column(c, type, (value) => (value[name] as Record<string, unknown> | undefined)?.[fieldName(c)] ?? null),
  );
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
      column('id', 'text'),
      column('name', 'text'),
      column('kind', 'text'),
      column('address', 'jsonb'),
      ...composite('coordinates', 'double precision', ['latitude', 'longitude']),
      column('ships_to', 'text[]'),
      column('active', 'boolean'),
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
      column('sku', 'text'),
      column('name', 'text'),
      column('active', 'boolean'),
      column('weight_grams', 'integer'),
      ...composite('dimensions', 'integer', ['length_mm', 'width_mm', 'height_mm']),
      column('low_stock_threshold', 'integer'),
      column('reorder_quantity', 'integer'),
      column('returnable', 'boolean'),
      column('hs_code', 'text'),
      column('country_of_origin', 'text'),
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
      column('id', 'text'),
      column('name', 'text'),
      column('time_zone', 'text'),
      column('currency', 'text'),
      column('address', 'jsonb'),
      column('check_in_time', 'text'),
      column('check_out_time', 'text'),
      column('closed_periods', 'jsonb', (v) => v.closedPeriods ?? []),
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
      column('property_id', 'text'),
      column('id', 'text'),
      column('name', 'text'),
      column('max_occupancy', 'integer'),
      column('base_occupancy', 'integer'),
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
      column('property_id', 'text'),
      column('number', 'text'),
      column('room_type_id', 'text'),
      column('floor', 'text'),
      column('features', 'text[]'),
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
      column('property_id', 'text'),
      column('id', 'text'),
      column('room_type_id', 'text'),
      column('name', 'text'),
      column('amount', 'numeric'),
      column('extra_guest_amount', 'numeric'),
      column('tax_percent', 'numeric'),
      column('meals_included', 'text[]'),
      column('cancellation', 'jsonb'),
      column('no_show', 'jsonb'),
      column('guarantee_required', 'boolean'),
      column('deposit', 'jsonb'),
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
