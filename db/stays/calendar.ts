import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { availableRooms, type CalendarDay } from '../../domain/stays/availability';

/** The rooms a room type sells: those not retired. */
export const ROOM_COUNT_SQL = `(SELECT count(*) FROM rooms r
  WHERE r.tenant_id = t.tenant_id AND r.property_id = t.property_id AND r.room_type_id = t.id AND r.retired_at IS NULL)`;

/** Whether a night `d` of room type `t` falls in one of its property `p`'s closed periods. */
export const CLOSED_PERIOD_SQL = (
  night: string,
) => `EXISTS (SELECT 1 FROM jsonb_array_elements(p.closed_periods) cp
  WHERE ${night} BETWEEN CAST(cp->>'from' AS date) AND CAST(cp->>'to' AS date)
    AND (cp->'roomTypeIds' IS NULL OR cp->'roomTypeIds' @> to_jsonb(t.id)))`;

/**
 * Calendar rows exist for every date sold; a missing one starts with the room type's room count
 * and its property's closed periods. Retired room types get no new nights.
 */
export async function ensureCalendar(
  sequelize: Sequelize,
  transaction: Transaction,
  ref: { tenantId: string; propertyId: string; roomTypeId?: string },
  from: string,
  to: string,
): Promise<void> {
  await sequelize.query(
    `INSERT INTO room_type_calendar (tenant_id, property_id, room_type_id, date, physical, closed_period)
     SELECT t.tenant_id, t.property_id, t.id, d::date, ${ROOM_COUNT_SQL}, ${CLOSED_PERIOD_SQL('d::date')}
       FROM room_types t
       JOIN properties p ON p.tenant_id = t.tenant_id AND p.id = t.property_id,
            generate_series(CAST(:from AS date), CAST(:to AS date), interval '1 day') AS d
      WHERE t.tenant_id = :tenantId AND t.property_id = :propertyId AND t.retired_at IS NULL
        ${ref.roomTypeId ? 'AND t.id = :roomTypeId' : ''}
     ON CONFLICT DO NOTHING`,
    { replacements: { ...ref, from, to }, transaction },
  );
}

/** Dates are read as text: the driver would turn a `date` into a local-midnight instant. */
export const CALENDAR_COLUMNS = `room_type_id, to_char(date, 'YYYY-MM-DD') AS date, physical, out_of_order, sold, held,
  closed OR closed_period AS closed, closed_to_arrival, closed_to_departure, min_los, max_los`;

export interface CalendarRow {
  room_type_id: string;
  date: string;
  physical: number;
  out_of_order: number;
  sold: number;
  held: number;
  closed: boolean;
  closed_to_arrival: boolean;
  closed_to_departure: boolean;
  min_los: number | null;
  max_los: number | null;
}

export function asDay(row: CalendarRow): CalendarDay {
  return {
    date: row.date,
    physical: Number(row.physical),
    outOfOrder: Number(row.out_of_order),
    sold: Number(row.sold),
    held: Number(row.held),
    closed: row.closed,
    closedToArrival: row.closed_to_arrival,
    closedToDeparture: row.closed_to_departure,
    minLos: row.min_los,
    maxLos: row.max_los,
  };
}

export interface AvailabilityDay extends CalendarDay {
  roomTypeId: string;
  available: number;
}

/** The calendar of every room type of a property for dates `from`..`to` (inclusive). */
export async function availabilityOf(
  sequelize: Sequelize,
  tenantId: string,
  propertyId: string,
  from: string,
  to: string,
): Promise<AvailabilityDay[]> {
  return sequelize.transaction(async (transaction) => {
    await ensureCalendar(sequelize, transaction, { tenantId, propertyId }, from, to);
    const rows = await sequelize.query<CalendarRow>(
      `SELECT ${CALENDAR_COLUMNS} FROM room_type_calendar
        WHERE tenant_id = :tenantId AND property_id = :propertyId AND date BETWEEN :from AND :to
        ORDER BY room_type_id, date`,
      { replacements: { tenantId, propertyId, from, to }, type: QueryTypes.SELECT, transaction },
    );
    return rows.map((row) => {
      const day = asDay(row);
      return { roomTypeId: row.room_type_id, ...day, available: availableRooms(day) };
    });
  });
}
