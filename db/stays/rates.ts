import { QueryTypes, type Sequelize } from 'sequelize';
import { daysBetween } from '../../domain/stays/dates';
import { BusinessRuleViolation } from '../../domain/shared/errors';
import { ensureCalendar } from './calendar';

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
