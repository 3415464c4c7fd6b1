import { QueryTypes, type Sequelize } from 'sequelize';
import { BusinessRuleViolation } from '../domain/shared/errors';
import { daysBetween } from '../domain/stays/dates';
import { isReadyForGuest, roomTransitionRefusal, type RoomStatus } from '../domain/stays/housekeeping';
import { ensureCalendar } from './stays/calendar';
import type { RoomCharge } from '../domain/stays/pos';

export interface RoomView {
  propertyId: string;
  number: string;
  roomTypeId: string;
  status: RoomStatus;
  reason: string | null;
  outOfOrder: { from: string; until: string } | null;
}

interface RoomRow {
  number: string;
  room_type_id: string;
  status: RoomStatus;
  status_reason: string | null;
  out_of_order_from: string | null;
  out_of_order_until: string | null;
}

const ROOM_COLUMNS = `number, room_type_id, status, status_reason,
  to_char(out_of_order_from, 'YYYY-MM-DD') AS out_of_order_from,
  to_char(out_of_order_until, 'YYYY-MM-DD') AS out_of_order_until`;

function asView(propertyId: string, row: RoomRow): RoomView {
  return {
    propertyId,
    number: row.number,
    roomTypeId: row.room_type_id,
    status: row.status,
    reason: row.status_reason,
    outOfOrder:
      row.out_of_order_from && row.out_of_order_until
        ? { from: row.out_of_order_from, until: row.out_of_order_until }
        : null,
  };
}

export interface RoomStatusChange {
  tenantId: string;
  propertyId: string;
  number: string;
  status: RoomStatus;
  reason?: string;
  /** For `out_of_order`: the nights it is off the calendar, from `from` up to `until`. */
  from?: string;
  until?: string;
}

/**
 * Moves a room through its housekeeping states. Out of order takes the room off the calendar for
 * its nights (refused if every room of the type is already sold on one of them); back in service,
 * the nights return. One transaction, the room row locked.
 */
export async function setRoomStatus(sequelize: Sequelize, change: RoomStatusChange): Promise<RoomView> {
  const ref = { tenantId: change.tenantId, propertyId: change.propertyId, number: change.number };
  try {
    return await sequelize.transaction(async (transaction) => {
      const [row] = await sequelize.query<RoomRow>(
        `SELECT ${ROOM_COLUMNS} FROM rooms
          WHERE tenant_id = :tenantId AND property_id = :propertyId AND number = :number FOR UPDATE`,
        { replacements: ref, type: QueryTypes.SELECT, transaction },
      );
      if (!row) throw new BusinessRuleViolation('UnknownRoom', [`room ${change.number} does not exist`]);
      const refusal = roomTransitionRefusal(row.status, change.status);
      if (refusal) throw new BusinessRuleViolation('RoomStatusRefused', [refusal]);
      const calendar = { ...ref, roomTypeId: row.room_type_id };
      const shiftOutOfOrder = (delta: number, from: string, until: string) =>
        sequelize.query(
          `UPDATE room_type_calendar SET out_of_order = out_of_order + :delta
            WHERE tenant_id = :tenantId AND property_id = :propertyId AND room_type_id = :roomTypeId
              AND date >= :from AND date < :until`,
          { replacements: { ...calendar, delta, from, until }, transaction },
        );
      let window: { from: string; until: string } | null =
        row.out_of_order_from && row.out_of_order_until
          ? { from: row.out_of_order_from, until: row.out_of_order_until }
          : null;
      if (row.status === 'out_of_order' && change.status !== 'out_of_order' && window) {
        await shiftOutOfOrder(-1, window.from, window.until);
        window = null;
      }
      if (change.status === 'out_of_order' && row.status !== 'out_of_order') {
        if (!change.from || !change.until || daysBetween(change.from, change.until) < 1)
          throw new BusinessRuleViolation('OutOfOrderNeedsDates', [
            'out of order needs from and until (until after from): the nights it cannot be sold',
          ]);
        await ensureCalendar(sequelize, transaction, calendar, change.from, change.until);
        await shiftOutOfOrder(1, change.from, change.until);
        window = { from: change.from, until: change.until };
      }
      const [updated] = await sequelize.query<RoomRow>(
        `UPDATE rooms SET status = :status, status_reason = :reason, out_of_order_from = :from,
                out_of_order_until = :until, updated_at = now()
          WHERE tenant_id = :tenantId AND property_id = :propertyId AND number = :number
          RETURNING ${ROOM_COLUMNS}`,
        {
          replacements: {
            ...ref,
            status: change.status,
            reason: change.reason ?? null,
            from: window?.from ?? null,
            until: window?.until ?? null,
          },
          type: QueryTypes.SELECT,
          transaction,
        },
      );
      if (isReadyForGuest(change.status))
        await sequelize.query(
          `UPDATE housekeeping_tasks SET status = 'done', done_at = now()
            WHERE tenant_id = :tenantId AND property_id = :propertyId AND room_number = :number AND status = 'open'`,
          { replacements: ref, transaction },
        );
      return asView(change.propertyId, updated!);
    });
  } catch (error) {
    if ((error as { parent?: { constraint?: string } }).parent?.constraint === 'room_nights_never_oversold')
      throw new BusinessRuleViolation('RoomsSold', [
        `room ${change.number}: every room of its type is taken on a night from ${change.from} until ${change.until}; move a reservation first`,
      ]);
    throw error;
  }
}

export async function roomsOf(
  sequelize: Sequelize,
  tenantId: string,
  propertyId: string,
  numbers?: string[],
): Promise<RoomView[]> {
  if (numbers?.length === 0) return [];
  const rows = await sequelize.query<RoomRow>(
    `SELECT ${ROOM_COLUMNS} FROM rooms WHERE tenant_id = :tenantId AND property_id = :propertyId
        AND retired_at IS NULL ${numbers ? 'AND number IN (:numbers)' : ''}
      ORDER BY number`,
    { replacements: { tenantId, propertyId, numbers }, type: QueryTypes.SELECT },
  );
  return rows.map((row) => asView(propertyId, row));
}

/**
 * Gives a reservation a room of its type at check-in: the one asked for, or the first free room
 * ready for a guest (inspected before clean). One party per room (a unique occupant), and a
 * retried check-in gets the room it already has.
 */
export async function assignRoom(
  sequelize: Sequelize,
  request: {
    tenantId: string;
    propertyId: string;
    roomTypeId: string;
    reservationKey: string;
    number?: string;
  },
): Promise<string> {
  return sequelize.transaction(async (transaction) => {
    const [mine] = await sequelize.query<{ number: string }>(
      `SELECT number FROM rooms WHERE tenant_id = :tenantId AND occupied_by = :reservationKey`,
      { replacements: request, type: QueryTypes.SELECT, transaction },
    );
    if (mine) return mine.number;
    const [room] = await sequelize.query<RoomRow & { occupied_by: string | null }>(
      request.number
        ? `SELECT ${ROOM_COLUMNS}, occupied_by FROM rooms
            WHERE tenant_id = :tenantId AND property_id = :propertyId AND number = :number AND retired_at IS NULL
            FOR UPDATE`
        : `SELECT ${ROOM_COLUMNS}, occupied_by FROM rooms
            WHERE tenant_id = :tenantId AND property_id = :propertyId AND room_type_id = :roomTypeId
              AND status IN ('clean', 'inspected') AND occupied_by IS NULL AND retired_at IS NULL
            ORDER BY status = 'inspected' DESC, number LIMIT 1 FOR UPDATE SKIP LOCKED`,
      { replacements: { number: null, ...request }, type: QueryTypes.SELECT, transaction },
    );
    if (!room)
      throw new BusinessRuleViolation(request.number ? 'UnknownRoom' : 'NoRoomReady', [
        request.number
          ? `room ${request.number} does not exist`
          : `no clean or inspected ${request.roomTypeId} room is free; housekeeping first`,
      ]);
    if (room.room_type_id !== request.roomTypeId)
      throw new BusinessRuleViolation('WrongRoomType', [
        `room ${room.number} is a ${room.room_type_id}, the reservation is for ${request.roomTypeId}`,
      ]);
    if (!isReadyForGuest(room.status))
      throw new BusinessRuleViolation('RoomNotReady', [
        `room ${room.number} is ${room.status.replace(/_/g, ' ')}`,
      ]);
    if (room.occupied_by)
      throw new BusinessRuleViolation('RoomOccupied', [`room ${room.number} is occupied`]);
    await sequelize.query(
      `UPDATE rooms SET occupied_by = :reservationKey, updated_at = now()
        WHERE tenant_id = :tenantId AND property_id = :propertyId AND number = :number`,
      { replacements: { ...request, number: room.number }, transaction },
    );
    return room.number;
  });
}

/**
 * The party left (the room needs cleaning, and a departure task is opened for the property's
 * business date), or never moved in (a check-in that failed after assignment).
 */
export async function vacateRoom(
  sequelize: Sequelize,
  request: { tenantId: string; reservationKey: string; dirty: boolean },
): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    const left = await sequelize.query<{ property_id: string; number: string }>(
      `UPDATE rooms SET occupied_by = NULL, updated_at = now()${request.dirty ? `, status = 'dirty'` : ''}
        WHERE tenant_id = :tenantId AND occupied_by = :reservationKey
        RETURNING property_id, number`,
      { replacements: request, type: QueryTypes.SELECT, transaction },
    );
    if (!request.dirty) return;
    for (const room of left)
      await sequelize.query(
        `INSERT INTO housekeeping_tasks (tenant_id, property_id, room_number, kind, business_date, reservation_key)
         SELECT p.tenant_id, p.id, :number, 'departure', ${BUSINESS_DATE_SQL}, :reservationKey
           FROM properties p WHERE p.tenant_id = :tenantId AND p.id = :propertyId
         ON CONFLICT DO NOTHING`,
        {
          replacements: { ...request, propertyId: room.property_id, number: room.number },
          transaction,
        },
      );
  });
}

/** A property's business date: the one its night audit opened, or its local date before the first audit. */
export const BUSINESS_DATE_SQL = `COALESCE(p.business_date, (now() AT TIME ZONE p.time_zone)::date)`;

export interface HousekeepingTask {
  id: string;
  room: string;
  kind: 'departure' | 'stay_over';
  businessDate: string;
  reservationKey: string | null;
  status: 'open' | 'done';
  doneAt: string | null;
}

/** A property's housekeeping tasks for a business date (every open one when no date is given). */
export async function housekeepingTasksOf(
  sequelize: Sequelize,
  tenantId: string,
  propertyId: string,
  date?: string,
): Promise<HousekeepingTask[]> {
  const rows = await sequelize.query<{
    id: string;
    room_number: string;
    kind: HousekeepingTask['kind'];
    business_date: string;
    reservation_key: string | null;
    status: HousekeepingTask['status'];
    done_at: Date | null;
  }>(
    `SELECT id, room_number, kind, to_char(business_date, 'YYYY-MM-DD') AS business_date, reservation_key, status, done_at
       FROM housekeeping_tasks
      WHERE tenant_id = :tenantId AND property_id = :propertyId
        AND ${date ? 'business_date = :date' : "status = 'open'"}
      ORDER BY business_date, room_number, kind`,
    { replacements: { tenantId, propertyId, date: date ?? null }, type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({
    id: String(r.id),
    room: r.room_number,
    kind: r.kind,
    businessDate: r.business_date,
    reservationKey: r.reservation_key,
    status: r.status,
    doneAt: r.done_at ? new Date(r.done_at).toISOString() : null,
  }));
}

/** The reservation staying in a room now, if any. */
export async function occupantOf(
  sequelize: Sequelize,
  tenantId: string,
  propertyId: string,
  number: string,
): Promise<string | undefined> {
  const [row] = await sequelize.query<{ occupied_by: string | null }>(
    `SELECT occupied_by FROM rooms WHERE tenant_id = :tenantId AND property_id = :propertyId AND number = :number`,
    { replacements: { tenantId, propertyId, number }, type: QueryTypes.SELECT },
  );
  return row?.occupied_by ?? undefined;
}

/** A charge no folio could take, kept with the reason; the same charge again changes nothing. */
export async function keepChargeForReview(
  sequelize: Sequelize,
  review: { tenantId: string; propertyId: string; chargeId: string; reason: string; charge: unknown },
): Promise<void> {
  await sequelize.query(
    `INSERT INTO pos_charge_reviews (tenant_id, property_id, charge_id, reason, charge)
     VALUES (:tenantId, :propertyId, :chargeId, :reason, :charge) ON CONFLICT DO NOTHING`,
    { replacements: { ...review, charge: JSON.stringify(review.charge) } },
  );
}

export async function chargeReviewsOf(
  sequelize: Sequelize,
  tenantId: string,
  propertyId: string,
): Promise<Array<{ chargeId: string; reason: string; charge: unknown; receivedAt: string }>> {
  const rows = await sequelize.query<{
    charge_id: string;
    reason: string;
    charge: unknown;
    received_at: Date;
  }>(
    `SELECT charge_id, reason, charge, received_at FROM pos_charge_reviews
      WHERE tenant_id = :tenantId AND property_id = :propertyId ORDER BY received_at`,
    { replacements: { tenantId, propertyId }, type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({
    chargeId: r.charge_id,
    reason: r.reason,
    charge: r.charge,
    receivedAt: new Date(r.received_at).toISOString(),
  }));
}

/** One charge kept for review, as it arrived; undefined when there is none (or it was released). */
export async function chargeReviewOf(
  sequelize: Sequelize,
  ref: { tenantId: string; propertyId: string; chargeId: string },
): Promise<{ charge: RoomCharge; reason: string } | undefined> {
  const [row] = await sequelize.query<{ charge: RoomCharge; reason: string }>(
    `SELECT charge, reason FROM pos_charge_reviews
      WHERE tenant_id = :tenantId AND property_id = :propertyId AND charge_id = :chargeId`,
    { replacements: ref, type: QueryTypes.SELECT },
  );
  return row;
}

/** A person settled the charge (it is on a folio now): the review is closed. */
export async function closeChargeReview(
  sequelize: Sequelize,
  ref: { tenantId: string; propertyId: string; chargeId: string },
): Promise<void> {
  await sequelize.query(
    `DELETE FROM pos_charge_reviews
      WHERE tenant_id = :tenantId AND property_id = :propertyId AND charge_id = :chargeId`,
    { replacements: ref },
  );
}
