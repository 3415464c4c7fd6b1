import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { availableRooms, checkStay, type CalendarDay } from '../domain/stays/availability';
import type { CancellationPolicy } from '../domain/stays/cancellation';
import type { StayRequest } from '../domain/stays/reservation';
import { addDays, daysBetween, localDate, nightsOf } from '../domain/stays/dates';
import { BusinessRuleViolation } from '../domain/shared/errors';
import { fromMinorUnits, toMinorUnits } from '../domain/shared/money';

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
const CALENDAR_COLUMNS = `room_type_id, to_char(date, 'YYYY-MM-DD') AS date, physical, out_of_order, sold, held,
  closed OR closed_period AS closed, closed_to_arrival, closed_to_departure, min_los, max_los`;

interface CalendarRow {
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

function asDay(row: CalendarRow): CalendarDay {
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

export interface HeldStay {
  nightly: string[];
  taxPercent: number;
  currency: string;
  timeZone: string;
  cancellation: CancellationPolicy;
  /** The fee when nobody arrives (absent: the cancellation penalty). */
  noShow?: { penalty: CancellationPolicy['penalty'] };
  /** Present and false when the rate plan confirms a booking without a guarantee. */
  guaranteeRequired?: false;
  /** The deposit confirming the booking asks for. */
  deposit?: CancellationPolicy['penalty'];
  existing: boolean;
}

interface PlanRow {
  amount: string;
  extra_guest_amount: string | null;
  tax_percent: string;
  cancellation: CancellationPolicy;
  no_show: { penalty: CancellationPolicy['penalty'] } | null;
  guarantee_required: boolean;
  deposit: CancellationPolicy['penalty'] | null;
  currency: string;
  time_zone: string;
  max_occupancy: number;
  base_occupancy: number;
}

async function planOf(
  sequelize: Sequelize,
  tenantId: string,
  stay: StayRequest,
  transaction: Transaction,
): Promise<PlanRow> {
  const [plan] = await sequelize.query<PlanRow>(
    `SELECT p.amount, p.extra_guest_amount, p.tax_percent, p.cancellation, p.no_show, p.guarantee_required, p.deposit,
            pr.currency, pr.time_zone, t.max_occupancy, t.base_occupancy
       FROM rate_plans p
       JOIN properties pr ON pr.tenant_id = p.tenant_id AND pr.id = p.property_id
       JOIN room_types t ON t.tenant_id = p.tenant_id AND t.property_id = p.property_id AND t.id = p.room_type_id
      WHERE p.tenant_id = :tenantId AND p.property_id = :propertyId AND p.id = :ratePlanId AND p.room_type_id = :roomTypeId
        AND p.retired_at IS NULL AND t.retired_at IS NULL AND pr.retired_at IS NULL`,
    { replacements: { tenantId, ...stay }, type: QueryTypes.SELECT, transaction },
  );
  if (!plan)
    throw new BusinessRuleViolation('UnknownRatePlan', [
      `property ${stay.propertyId} sells no rate plan ${stay.ratePlanId} for room type ${stay.roomTypeId}`,
    ]);
  return plan;
}

type NightStatus = 'held' | 'sold';

/** What each night costs on top of its amount for the guests above the room type's base occupancy. */
function extraGuestsPerNight(stay: StayRequest, plan: PlanRow): string {
  if (!plan.extra_guest_amount) return '0.00';
  const extra = Math.max(0, stay.guests.adults + stay.guests.children - Number(plan.base_occupancy));
  return fromMinorUnits(extra * toMinorUnits(Number(plan.extra_guest_amount).toFixed(2)));
}

/** The party must fit the room type. */
function checkOccupancy(stay: StayRequest, plan: PlanRow): void {
  const guests = stay.guests.adults + stay.guests.children;
  if (guests > plan.max_occupancy)
    throw new BusinessRuleViolation('TooManyGuests', [
      `room type ${stay.roomTypeId} sleeps at most ${plan.max_occupancy}, ${guests} guests asked`,
    ]);
}

/**
 * Takes one room of the stay's type for each of its nights, as held or sold, after checking the
 * calendar's availability and restrictions; the CHECK constraint is the last word. The caller's
 * transaction has locked (or here locks) the nights' calendar rows.
 */
async function takeNights(
  sequelize: Sequelize,
  transaction: Transaction,
  request: {
    tenantId: string;
    reservationKey: string;
    stay: StayRequest;
    plan: PlanRow;
    status: NightStatus;
  },
): Promise<string[]> {
  const { tenantId, reservationKey, stay, plan, status } = request;
  checkOccupancy(stay, plan);
  const ref = { tenantId, propertyId: stay.propertyId, roomTypeId: stay.roomTypeId };
  await ensureCalendar(sequelize, transaction, ref, stay.arrival, stay.departure);
  const rows = await sequelize.query<CalendarRow>(
    `SELECT ${CALENDAR_COLUMNS} FROM room_type_calendar
      WHERE tenant_id = :tenantId AND property_id = :propertyId AND room_type_id = :roomTypeId
        AND date BETWEEN :arrival AND :departure
      ORDER BY date FOR UPDATE`,
    {
      replacements: { ...ref, arrival: stay.arrival, departure: stay.departure },
      type: QueryTypes.SELECT,
      transaction,
    },
  );
  const days = rows.map(asDay);
  const departureDay = days.find((d) => d.date === stay.departure);
  const reasons = checkStay(
    stay.arrival,
    stay.departure,
    days.filter((d) => d.date < stay.departure),
    departureDay,
  );
  if (reasons.length > 0) throw new BusinessRuleViolation('NotAvailable', reasons);
  const column = status === 'sold' ? 'sold' : 'held';
  const nights = await sequelize.query<{ date: string; amount: string }>(
    `WITH taken AS (
       UPDATE room_type_calendar SET ${column} = ${column} + 1
        WHERE tenant_id = :tenantId AND property_id = :propertyId AND room_type_id = :roomTypeId
          AND date >= :arrival AND date < :departure
        RETURNING date)
     INSERT INTO stay_nights (tenant_id, reservation_key, property_id, room_type_id, date, amount, status, rate_plan_id)
     SELECT :tenantId, :reservationKey, :propertyId, :roomTypeId, taken.date,
            COALESCE(ra.amount, :planAmount) + CAST(:extraPerNight AS numeric), :status, :ratePlanId
       FROM taken
       LEFT JOIN rate_amounts ra ON ra.tenant_id = :tenantId AND ra.property_id = :propertyId
            AND ra.rate_plan_id = :ratePlanId AND ra.date = taken.date
     RETURNING to_char(date, 'YYYY-MM-DD') AS date, amount`,
    {
      replacements: {
        ...ref,
        reservationKey,
        arrival: stay.arrival,
        departure: stay.departure,
        ratePlanId: stay.ratePlanId,
        planAmount: plan.amount,
        extraPerNight: extraGuestsPerNight(stay, plan),
        status,
      },
      type: QueryTypes.SELECT,
      transaction,
    },
  );
  return nights
    .map((n) => ({ date: String(n.date), amount: n.amount }))
    .sort((a, b) => (a.date < b.date ? -1 : 1))
    .map((n) => Number(n.amount).toFixed(2));
}

/** The rate plan's terms as they stood when the stay was taken: the reservation keeps them. */
function termsOf(plan: PlanRow): Omit<HeldStay, 'nightly' | 'existing'> {
  return {
    taxPercent: Number(plan.tax_percent),
    currency: plan.currency,
    timeZone: plan.time_zone,
    cancellation: plan.cancellation,
    ...(plan.no_show ? { noShow: plan.no_show } : {}),
    ...(plan.guarantee_required === false ? { guaranteeRequired: false } : {}),
    ...(plan.deposit ? { deposit: plan.deposit } : {}),
  };
}

interface NightRow {
  room_type_id: string;
  date: string;
  amount: string;
  status: NightStatus | 'stayed';
}

async function nightsHeldBy(
  sequelize: Sequelize,
  transaction: Transaction,
  tenantId: string,
  reservationKey: string,
): Promise<NightRow[]> {
  return sequelize.query<NightRow>(
    `SELECT room_type_id, to_char(date, 'YYYY-MM-DD') AS date, amount, status FROM stay_nights
      WHERE tenant_id = :tenantId AND reservation_key = :reservationKey ORDER BY date`,
    { replacements: { tenantId, reservationKey }, type: QueryTypes.SELECT, transaction },
  );
}

/**
 * Holds one room of a type for every night of a stay, in one transaction: the nights' calendar
 * rows are locked in date order (concurrent bookings queue instead of deadlocking), checked
 * against availability and restrictions, and the CHECK constraint is the last word. Idempotent
 * per reservation: a retry returns the nights already held.
 */
export async function holdStay(
  sequelize: Sequelize,
  request: { tenantId: string; reservationKey: string; stay: StayRequest },
): Promise<HeldStay> {
  const { tenantId, reservationKey, stay } = request;
  return sequelize.transaction(async (transaction) => {
    const plan = await planOf(sequelize, tenantId, stay, transaction);
    const held = await nightsHeldBy(sequelize, transaction, tenantId, reservationKey);
    if (held.length > 0)
      return {
        ...termsOf(plan),
        nightly: held.map((n) => Number(n.amount).toFixed(2)),
        existing: true,
      };
    const nightly = await takeNights(sequelize, transaction, { ...request, plan, status: 'held' });
    return { ...termsOf(plan), nightly, existing: false };
  });
}

/**
 * Moves a booked stay to new dates, room type, rate plan or party in one transaction: the old
 * and new nights' calendar rows are locked together in (room type, date) order, the old nights
 * are given back, and the new ones are taken as held or sold like the old. When the new stay
 * does not fit, the transaction rolls back and the old nights are untouched. Idempotent: when
 * the reservation already holds exactly the new nights they stay, repriced only when the rate
 * plan changed (a new party alone keeps the price it booked).
 */
export async function modifyStay(
  sequelize: Sequelize,
  request: { tenantId: string; reservationKey: string; stay: StayRequest; reprice: boolean },
): Promise<HeldStay> {
  const { tenantId, reservationKey, stay } = request;
  return sequelize.transaction(async (transaction) => {
    const plan = await planOf(sequelize, tenantId, stay, transaction);
    const current = await nightsHeldBy(sequelize, transaction, tenantId, reservationKey);
    if (current.length === 0)
      throw new BusinessRuleViolation('NothingHeld', [`reservation ${reservationKey} holds no nights`]);
    if (current.some((n) => n.status === 'stayed'))
      throw new BusinessRuleViolation('InHouse', ['the guest has arrived; the stay can no longer be moved']);
    const status = current[0]!.status as NightStatus;
    const wanted = nightsOf(stay.arrival, stay.departure);
    const unchanged =
      current.every((n) => n.room_type_id === stay.roomTypeId) &&
      current.map((n) => n.date).join() === wanted.join();
    const oldType = current[0]!.room_type_id;
    const from = [current[0]!.date, stay.arrival].sort()[0]!;
    const to = [addDays(current[current.length - 1]!.date, 1), stay.departure].sort().reverse()[0]!;
    const ref = { tenantId, propertyId: stay.propertyId };
    await ensureCalendar(sequelize, transaction, { ...ref, roomTypeId: stay.roomTypeId }, from, to);
    await sequelize.query(
      `SELECT 1 FROM room_type_calendar
        WHERE tenant_id = :tenantId AND property_id = :propertyId AND room_type_id IN (:oldType, :newType)
          AND date BETWEEN :from AND :to
        ORDER BY room_type_id, date FOR UPDATE`,
      { replacements: { ...ref, oldType, newType: stay.roomTypeId, from, to }, transaction },
    );
    if (unchanged) {
      checkOccupancy(stay, plan);
      const nights = request.reprice
        ? await sequelize.query<{ date: string; amount: string }>(
            `UPDATE stay_nights n SET rate_plan_id = :ratePlanId, amount = COALESCE((SELECT ra.amount FROM rate_amounts ra
                 WHERE ra.tenant_id = n.tenant_id AND ra.property_id = n.property_id
                   AND ra.rate_plan_id = :ratePlanId AND ra.date = n.date), :planAmount) + CAST(:extraPerNight AS numeric)
              WHERE n.tenant_id = :tenantId AND n.reservation_key = :reservationKey
              RETURNING to_char(n.date, 'YYYY-MM-DD') AS date, n.amount`,
            {
              replacements: {
                tenantId,
                reservationKey,
                ratePlanId: stay.ratePlanId,
                planAmount: plan.amount,
                extraPerNight: extraGuestsPerNight(stay, plan),
              },
              type: QueryTypes.SELECT,
              transaction,
            },
          )
        : current;
      const nightly = [...nights]
        .sort((x, y) => (x.date < y.date ? -1 : 1))
        .map((n) => Number(n.amount).toFixed(2));
      return { ...termsOf(plan), nightly, existing: true };
    }
    await sequelize.query(
      `UPDATE room_type_calendar c SET ${status} = c.${status} - 1
         FROM stay_nights n
        WHERE n.tenant_id = :tenantId AND n.reservation_key = :reservationKey
          AND c.tenant_id = n.tenant_id AND c.property_id = n.property_id
          AND c.room_type_id = n.room_type_id AND c.date = n.date;
       DELETE FROM stay_nights WHERE tenant_id = :tenantId AND reservation_key = :reservationKey;`,
      { replacements: { tenantId, reservationKey }, transaction },
    );
    const nightly = await takeNights(sequelize, transaction, { ...request, plan, status });
    return { ...termsOf(plan), nightly, existing: false };
  });
}

/**
 * Runs `sql` on a reservation's nights in one transaction, after locking the calendar rows they
 * stand on in date order (the order holds take them in, so the two never deadlock).
 */
async function onLockedNights(
  sequelize: Sequelize,
  tenantId: string,
  reservationKey: string,
  sql: string,
): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    const replacements = { tenantId, reservationKey };
    await sequelize.query(
      `SELECT 1 FROM room_type_calendar c
         JOIN stay_nights n ON c.tenant_id = n.tenant_id AND c.property_id = n.property_id
          AND c.room_type_id = n.room_type_id AND c.date = n.date
        WHERE n.tenant_id = :tenantId AND n.reservation_key = :reservationKey
        ORDER BY c.date FOR UPDATE OF c`,
      { replacements, transaction },
    );
    await sequelize.query(sql, { replacements, transaction });
  });
}

/** A held stay becomes sold (a deposit or guarantee arrived). Confirming twice changes nothing. */
export async function confirmStay(
  sequelize: Sequelize,
  tenantId: string,
  reservationKey: string,
): Promise<void> {
  await onLockedNights(
    sequelize,
    tenantId,
    reservationKey,
    `UPDATE room_type_calendar c SET held = c.held - 1, sold = c.sold + 1
         FROM stay_nights n
        WHERE n.tenant_id = :tenantId AND n.reservation_key = :reservationKey AND n.status = 'held'
          AND c.tenant_id = n.tenant_id AND c.property_id = n.property_id
          AND c.room_type_id = n.room_type_id AND c.date = n.date;
       UPDATE stay_nights SET status = 'sold'
        WHERE tenant_id = :tenantId AND reservation_key = :reservationKey AND status = 'held';`,
  );
}

/** Gives back every night a reservation holds or bought. Releasing twice changes nothing. */
export async function releaseStay(
  sequelize: Sequelize,
  tenantId: string,
  reservationKey: string,
): Promise<void> {
  await onLockedNights(
    sequelize,
    tenantId,
    reservationKey,
    `UPDATE room_type_calendar c
          SET held = c.held - CASE WHEN n.status = 'held' THEN 1 ELSE 0 END,
              sold = c.sold - CASE WHEN n.status <> 'held' THEN 1 ELSE 0 END
         FROM stay_nights n
        WHERE n.tenant_id = :tenantId AND n.reservation_key = :reservationKey
          AND c.tenant_id = n.tenant_id AND c.property_id = n.property_id
          AND c.room_type_id = n.room_type_id AND c.date = n.date;
       DELETE FROM stay_nights WHERE tenant_id = :tenantId AND reservation_key = :reservationKey;`,
  );
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

export async function propertyOf(
  sequelize: Sequelize,
  tenantId: string,
  propertyId: string,
): Promise<{ id: string; name: string; timeZone: string; currency: string } | undefined> {
  const [row] = await sequelize.query<{ id: string; name: string; time_zone: string; currency: string }>(
    `SELECT id, name, time_zone, currency FROM properties
      WHERE tenant_id = :tenantId AND id = :propertyId AND retired_at IS NULL`,
    { replacements: { tenantId, propertyId }, type: QueryTypes.SELECT },
  );
  return row && { id: row.id, name: row.name, timeZone: row.time_zone, currency: row.currency };
}

/** The party arrived: its nights stay sold, and the night audit no longer counts it as expected. */
export async function markArrived(
  sequelize: Sequelize,
  tenantId: string,
  reservationKey: string,
): Promise<void> {
  await sequelize.query(
    `UPDATE stay_nights SET status = 'stayed' WHERE tenant_id = :tenantId AND reservation_key = :reservationKey AND status = 'sold'`,
    { replacements: { tenantId, reservationKey } },
  );
}

export interface AuditTargets {
  businessDate: string;
  /**
   * False when the business date has not begun at the property yet (an audit already closed
   * today, by hand or on schedule): there is nothing to audit until it does.
   */
  begun?: boolean;
  /** Reservations whose party is in a room. */
  inHouse: string[];
  /** Confirmed reservations due by the business date whose party never arrived. */
  expected: string[];
}

/**
 * What the night audit of a property's business date touches: the parties in house (their night
 * is charged) and the confirmed arrivals that did not come (no-shows). The business date is the
 * property's own, or its local date when no audit ran yet.
 */
/** A property's business date: the one its last audit opened, or its local date before any audit. */
export async function businessDateOf(
  sequelize: Sequelize,
  tenantId: string,
  propertyId: string,
  now: string,
): Promise<{ businessDate: string; begun: boolean }> {
  const [property] = await sequelize.query<{ business_date: string | null; time_zone: string }>(
    `SELECT to_char(business_date, 'YYYY-MM-DD') AS business_date, time_zone FROM properties
      WHERE tenant_id = :tenantId AND id = :propertyId`,
    { replacements: { tenantId, propertyId }, type: QueryTypes.SELECT },
  );
  if (!property)
    throw new BusinessRuleViolation('UnknownProperty', [`property ${propertyId} does not exist`]);
  const today = localDate(now, property.time_zone);
  const businessDate = property.business_date ?? today;
  return { businessDate, begun: businessDate <= today };
}

export async function auditTargets(
  sequelize: Sequelize,
  tenantId: string,
  propertyId: string,
  now: string,
): Promise<AuditTargets> {
  const { businessDate, begun } = await businessDateOf(sequelize, tenantId, propertyId, now);
  if (!begun) return { businessDate, begun: false, inHouse: [], expected: [] };
  const inHouse = await sequelize.query<{ occupied_by: string }>(
    `SELECT occupied_by FROM rooms WHERE tenant_id = :tenantId AND property_id = :propertyId AND occupied_by IS NOT NULL
      ORDER BY number`,
    { replacements: { tenantId, propertyId }, type: QueryTypes.SELECT },
  );
  const expected = await sequelize.query<{ reservation_key: string }>(
    `SELECT reservation_key FROM stay_nights WHERE tenant_id = :tenantId AND property_id = :propertyId
      GROUP BY reservation_key
     HAVING bool_and(status = 'sold') AND min(date) <= :businessDate
      ORDER BY reservation_key`,
    { replacements: { tenantId, propertyId, businessDate }, type: QueryTypes.SELECT },
  );
  return {
    businessDate,
    begun: true,
    inHouse: inHouse.map((r) => r.occupied_by),
    expected: expected.map((r) => r.reservation_key),
  };
}

/**
 * Closes a business date: the property moves to the next one (once, however often asked), and
 * every room whose party stays on past it needs a stay-over service that day, so it is dirty and
 * gets a task. One transaction: the tasks exist exactly when the date has rolled.
 */
export async function rollBusinessDate(
  sequelize: Sequelize,
  tenantId: string,
  propertyId: string,
  closed: string,
): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    const replacements = { tenantId, propertyId, closed };
    await sequelize.query(
      `UPDATE properties SET business_date = CAST(:closed AS date) + 1
        WHERE tenant_id = :tenantId AND id = :propertyId AND (business_date IS NULL OR business_date = :closed)`,
      { replacements, transaction },
    );
    const stayingOn = await sequelize.query<{ number: string; occupied_by: string }>(
      `UPDATE rooms r SET status = 'dirty', updated_at = now()
        WHERE r.tenant_id = :tenantId AND r.property_id = :propertyId AND r.occupied_by IS NOT NULL
          AND r.status IN ('clean', 'inspected', 'dirty')
          AND EXISTS (SELECT 1 FROM stay_nights n WHERE n.tenant_id = r.tenant_id
                       AND n.reservation_key = r.occupied_by AND n.date > :closed)
          AND NOT EXISTS (SELECT 1 FROM housekeeping_tasks t WHERE t.tenant_id = r.tenant_id
                       AND t.property_id = r.property_id AND t.room_number = r.number
                       AND t.business_date = CAST(:closed AS date) + 1 AND t.kind = 'stay_over')
        RETURNING r.number, r.occupied_by`,
      { replacements, type: QueryTypes.SELECT, transaction },
    );
    for (const room of stayingOn)
      await sequelize.query(
        `INSERT INTO housekeeping_tasks (tenant_id, property_id, room_number, kind, business_date, reservation_key)
         VALUES (:tenantId, :propertyId, :number, 'stay_over', CAST(:closed AS date) + 1, :reservationKey)
         ON CONFLICT DO NOTHING`,
        {
          replacements: { ...replacements, number: room.number, reservationKey: room.occupied_by },
          transaction,
        },
      );
  });
}

/** Every property of every tenant, for their night-audit schedules. */
export async function allProperties(
  sequelize: Sequelize,
): Promise<Array<{ tenantId: string; id: string; timeZone: string }>> {
  const rows = await sequelize.query<{ tenant_id: string; id: string; time_zone: string }>(
    `SELECT tenant_id, id, time_zone FROM properties WHERE retired_at IS NULL ORDER BY tenant_id, id`,
    { type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id, timeZone: r.time_zone }));
}

/** Per date, all room types together: rooms, out of order, nights sold and their room revenue. */
export async function occupancyInputs(
  sequelize: Sequelize,
  tenantId: string,
  propertyId: string,
  from: string,
  to: string,
): Promise<
  Array<{ date: string; physical: number; outOfOrder: number; sold: number; revenueMinor: number }>
> {
  return sequelize.transaction(async (transaction) => {
    await ensureCalendar(sequelize, transaction, { tenantId, propertyId }, from, to);
    const rows = await sequelize.query<{
      date: string;
      physical: string;
      out_of_order: string;
      sold: string;
      revenue: string | null;
    }>(
      `SELECT to_char(c.date, 'YYYY-MM-DD') AS date, sum(c.physical) AS physical, sum(c.out_of_order) AS out_of_order,
              sum(c.sold) AS sold,
              (SELECT sum(n.amount) FROM stay_nights n
                WHERE n.tenant_id = :tenantId AND n.property_id = :propertyId AND n.date = c.date
                  AND n.status IN ('sold', 'stayed')) AS revenue
         FROM room_type_calendar c
        WHERE c.tenant_id = :tenantId AND c.property_id = :propertyId AND c.date BETWEEN :from AND :to
        GROUP BY c.date ORDER BY c.date`,
      { replacements: { tenantId, propertyId, from, to }, type: QueryTypes.SELECT, transaction },
    );
    return rows.map((r) => ({
      date: r.date,
      physical: Number(r.physical),
      outOfOrder: Number(r.out_of_order),
      sold: Number(r.sold),
      revenueMinor: toMinorUnits(r.revenue ?? '0'),
    }));
  });
}

export interface AriChange {
  tenantId: string;
  propertyId: string;
  roomTypeId: string;
  /** Nights from `from` to `to`, inclusive. */
  from: string;
  to: string;
  ratePlanId?: string;
  amount?: string;
  closed?: boolean;
  closedToArrival?: boolean;
  closedToDeparture?: boolean;
  minLos?: number | null;
  maxLos?: number | null;
}

/**
 * A manual change of a room type's rates and restrictions over a range of nights, in one
 * transaction. The calendar's triggers mark the nights for every channel of the property.
 */
export async function changeRatesAndRestrictions(sequelize: Sequelize, change: AriChange): Promise<number> {
  return sequelize.transaction(async (transaction) => {
    const ref = { tenantId: change.tenantId, propertyId: change.propertyId, roomTypeId: change.roomTypeId };
    const [type] = await sequelize.query(
      `SELECT 1 FROM room_types WHERE tenant_id = :tenantId AND property_id = :propertyId AND id = :roomTypeId`,
      { replacements: ref, type: QueryTypes.SELECT, transaction },
    );
    if (!type)
      throw new BusinessRuleViolation('UnknownRoomType', [`room type ${change.roomTypeId} does not exist`]);
    if (change.ratePlanId) {
      const [plan] = await sequelize.query(
        `SELECT 1 FROM rate_plans WHERE tenant_id = :tenantId AND property_id = :propertyId AND id = :ratePlanId AND room_type_id = :roomTypeId`,
        { replacements: { ...ref, ratePlanId: change.ratePlanId }, type: QueryTypes.SELECT, transaction },
      );
      if (!plan)
        throw new BusinessRuleViolation('UnknownRatePlan', [
          `room type ${change.roomTypeId} has no rate plan ${change.ratePlanId}`,
        ]);
    }
    await ensureCalendar(sequelize, transaction, ref, change.from, change.to);
    const columns = {
      closed: 'closed',
      closedToArrival: 'closed_to_arrival',
      closedToDeparture: 'closed_to_departure',
      minLos: 'min_los',
      maxLos: 'max_los',
    } as const;
    const set = (Object.keys(columns) as Array<keyof typeof columns>).filter((k) => change[k] !== undefined);
    if (set.length > 0)
      await sequelize.query(
        `UPDATE room_type_calendar SET ${set.map((k) => `${columns[k]} = :${k}`).join(', ')}
          WHERE tenant_id = :tenantId AND property_id = :propertyId AND room_type_id = :roomTypeId
            AND date BETWEEN :from AND :to`,
        {
          replacements: {
            ...ref,
            from: change.from,
            to: change.to,
            ...Object.fromEntries(set.map((k) => [k, change[k]])),
          },
          transaction,
        },
      );
    if (change.ratePlanId && change.amount !== undefined)
      await sequelize.query(
        `INSERT INTO rate_amounts (tenant_id, property_id, rate_plan_id, date, amount)
         SELECT :tenantId, :propertyId, :ratePlanId, d::date, :amount
           FROM generate_series(CAST(:from AS date), CAST(:to AS date), interval '1 day') AS d
         ON CONFLICT (tenant_id, property_id, rate_plan_id, date) DO UPDATE SET amount = EXCLUDED.amount`,
        {
          replacements: {
            ...ref,
            ratePlanId: change.ratePlanId,
            amount: change.amount,
            from: change.from,
            to: change.to,
          },
          transaction,
        },
      );
    return daysBetween(change.from, change.to) + 1;
  });
}
