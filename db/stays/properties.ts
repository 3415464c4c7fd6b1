import { QueryTypes, type Sequelize } from 'sequelize';

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
