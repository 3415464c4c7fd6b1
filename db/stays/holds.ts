import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { checkStay } from '../../domain/stays/availability';
import type { CancellationPolicy } from '../../domain/stays/cancellation';
import type { StayRequest } from '../../domain/stays/reservation';
import { addDays, nightsOf } from '../../domain/stays/dates';
import { BusinessRuleViolation } from '../../domain/shared/errors';
import { checkOccupancy, extraGuestsPerNight, type OccupancyTerms } from '../../domain/stays/occupancy';
import { CALENDAR_COLUMNS, asDay, ensureCalendar, type CalendarRow } from './calendar';

/** A reservation's nights on the calendar: whose, and under which key. */
export interface StayRef {
  tenantId: string;
  reservationKey: string;
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

/** The plan's occupancy terms, as the domain's rules take them. */
function occupancyOf(plan: PlanRow): OccupancyTerms {
  return {
    maxOccupancy: plan.max_occupancy,
    baseOccupancy: plan.base_occupancy,
    extraGuestAmount: plan.extra_guest_amount,
  };
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
  checkOccupancy(stay, occupancyOf(plan));
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
        extraPerNight: extraGuestsPerNight(stay, occupancyOf(plan)),
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
  request: StayRef & { stay: StayRequest },
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
  request: StayRef & { stay: StayRequest; reprice: boolean },
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
      checkOccupancy(stay, occupancyOf(plan));
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
                extraPerNight: extraGuestsPerNight(stay, occupancyOf(plan)),
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
async function onLockedNights(sequelize: Sequelize, stay: StayRef, sql: string): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    const replacements = { tenantId: stay.tenantId, reservationKey: stay.reservationKey };
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
export async function confirmStay(sequelize: Sequelize, stay: StayRef): Promise<void> {
  await onLockedNights(
    sequelize,
    stay,
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
export async function releaseStay(sequelize: Sequelize, stay: StayRef): Promise<void> {
  await onLockedNights(
    sequelize,
    stay,
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

/** The party arrived: its nights stay sold, and the night audit no longer counts it as expected. */
export async function markArrived(sequelize: Sequelize, stay: StayRef): Promise<void> {
  await sequelize.query(
    `UPDATE stay_nights SET status = 'stayed' WHERE tenant_id = :tenantId AND reservation_key = :reservationKey AND status = 'sold'`,
    { replacements: { tenantId: stay.tenantId, reservationKey: stay.reservationKey } },
  );
}
