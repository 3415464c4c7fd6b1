import { QueryTypes, type Sequelize } from 'sequelize';
import { toMinorUnits } from '../../domain/shared/money';
import { ensureCalendar } from './calendar';

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
