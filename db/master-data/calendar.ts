import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { addDays } from '../../domain/stays/dates';
import { BUSINESS_DATE_SQL } from '../rooms';
import { CLOSED_PERIOD_SQL, ROOM_COUNT_SQL, ensureCalendar } from '../stays/calendar';

/** Nights a property's calendar is kept ahead of its business date unless the tenant says otherwise. */
export const DEFAULT_HORIZON_DAYS = 400;

/**
 * Makes a property's calendar follow its master data, from its business date on: nights exist
 * `horizonDays` ahead for every room type it sells, each night counts the room type's rooms, and
 * closed periods close their nights. Past nights are left as they were (reports read them).
 * Every night that changes or appears is marked for the property's channels by trigger.
 */
export async function followMasterData(
  sequelize: Sequelize,
  transaction: Transaction,
  ref: { tenantId: string; propertyId: string },
  horizonDays: number,
): Promise<void> {
  const [today] = await sequelize.query<{ date: string }>(
    `SELECT to_char(${BUSINESS_DATE_SQL}, 'YYYY-MM-DD') AS date FROM properties p
      WHERE p.tenant_id = :tenantId AND p.id = :propertyId`,
    { replacements: ref, type: QueryTypes.SELECT, transaction },
  );
  if (!today) return;
  await ensureCalendar(sequelize, transaction, ref, today.date, addDays(today.date, horizonDays));
  await sequelize.query(
    `UPDATE room_type_calendar c
        SET physical = ${ROOM_COUNT_SQL}, closed_period = ${CLOSED_PERIOD_SQL('c.date')}
       FROM room_types t JOIN properties p ON p.tenant_id = t.tenant_id AND p.id = t.property_id
      WHERE c.tenant_id = :tenantId AND c.property_id = :propertyId AND c.date >= CAST(:today AS date)
        AND t.tenant_id = c.tenant_id AND t.property_id = c.property_id AND t.id = c.room_type_id
        AND (c.physical <> ${ROOM_COUNT_SQL} OR c.closed_period <> ${CLOSED_PERIOD_SQL('c.date')})`,
    { replacements: { ...ref, today: today.date }, transaction },
  );
}

/** Every property's calendar kept `horizonDays` ahead (the daily schedule). */
export async function extendAllCalendars(
  sequelize: Sequelize,
  horizonDaysOf: (tenantId: string) => number | undefined,
): Promise<{ properties: number }> {
  const properties = await sequelize.query<{ tenant_id: string; id: string }>(
    `SELECT tenant_id, id FROM properties WHERE retired_at IS NULL ORDER BY tenant_id, id`,
    { type: QueryTypes.SELECT },
  );
  let done = 0;
  for (const property of properties) {
    const horizon = horizonDaysOf(property.tenant_id);
    if (horizon === undefined) continue; // a tenant no longer in the config
    await sequelize.transaction((transaction) =>
      followMasterData(
        sequelize,
        transaction,
        { tenantId: property.tenant_id, propertyId: property.id },
        horizon,
      ),
    );
    done += 1;
  }
  return { properties: done };
}
