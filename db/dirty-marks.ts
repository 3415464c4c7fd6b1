import type { Sequelize } from 'sequelize';

/**
 * How a sync's table of dirty marks tells one mark from another: the columns of the record set
 * the marks read are passed as (`m`), and the condition that matches a row `d` of the table to
 * one of them, as marked no later than it was read.
 */
export interface MarkKey {
  recordColumns: string;
  matches: string;
}

/**
 * The marks that were read are done with, unless marked again after they were read (that change
 * still has to go out). A complete set clears every mark made before it was read.
 */
export async function clearReadMarks(
  sequelize: Sequelize,
  table: 'channel_dirty' | 'stock_dirty',
  key: MarkKey,
  ref: { tenantId: string; connectorId: string },
  read: { marks: unknown[] } | { before: string },
): Promise<void> {
  if ('before' in read)
    await sequelize.query(
      `DELETE FROM ${table} WHERE tenant_id = :tenantId AND connector_id = :connectorId AND marked_at <= :before`,
      { replacements: { ...ref, before: read.before } },
    );
  else if (read.marks.length > 0)
    await sequelize.query(
      `DELETE FROM ${table} d
        USING jsonb_to_recordset(CAST(:marks AS jsonb)) AS m(${key.recordColumns})
        WHERE d.tenant_id = :tenantId AND d.connector_id = :connectorId
          AND ${key.matches}`,
      { replacements: { ...ref, marks: JSON.stringify(read.marks) } },
    );
}
