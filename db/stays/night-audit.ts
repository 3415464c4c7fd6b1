import { QueryTypes, type Sequelize } from 'sequelize';
import { localDate } from '../../domain/stays/dates';
import { BusinessRuleViolation } from '../../domain/shared/errors';

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
