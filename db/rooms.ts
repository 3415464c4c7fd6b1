import { QueryTypes, type Sequelize } from 'sequelize';
import { BusinessRuleViolation } from '../domain/shared/errors';
import { daysBetween } from '../domain/stays/dates';
import { roomTransitionRefusal, type RoomStatus } from '../domain/stays/housekeeping';
import { ensureCalendar } from './stays';

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
): Promise<RoomView[]> {
  const rows = await sequelize.query<RoomRow>(
    `SELECT ${ROOM_COLUMNS} FROM rooms WHERE tenant_id = :tenantId AND property_id = :propertyId ORDER BY number`,
    { replacements: { tenantId, propertyId }, type: QueryTypes.SELECT },
  );
  return rows.map((row) => asView(propertyId, row));
}
