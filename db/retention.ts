import { QueryTypes, type Sequelize } from 'sequelize';

export interface Pruned {
  webhookReceipts: number;
  events: number;
}

/**
 * Drops what only served deduplication and delivery once it is old: webhook receipts (partners
 * stop redelivering within days) and events whose every delivery ended. Dead deliveries and
 * events still pending are kept for ops.
 */
export async function pruneOldRecords(sequelize: Sequelize, olderThanDays: number): Promise<Pruned> {
  return sequelize.transaction(async (transaction) => {
    const receipts = await sequelize.query<{ n: string }>(
      `WITH gone AS (DELETE FROM webhook_receipts WHERE received_at < now() - make_interval(days => :days) RETURNING 1)
       SELECT count(*) AS n FROM gone`,
      { replacements: { days: olderThanDays }, type: QueryTypes.SELECT, transaction },
    );
    const events = await sequelize.query<{ n: string }>(
      `WITH old AS (
         SELECT e.id FROM outbound_events e
          WHERE e.expanded AND e.created_at < now() - make_interval(days => :days)
            AND NOT EXISTS (SELECT 1 FROM event_deliveries d WHERE d.event_id = e.id AND d.status <> 'delivered')),
       deliveries AS (DELETE FROM event_deliveries WHERE event_id IN (SELECT id FROM old) RETURNING 1),
       gone AS (DELETE FROM outbound_events WHERE id IN (SELECT id FROM old) RETURNING 1)
       SELECT (SELECT count(*) FROM gone) AS n, (SELECT count(*) FROM deliveries) AS d`,
      { replacements: { days: olderThanDays }, type: QueryTypes.SELECT, transaction },
    );
    return { webhookReceipts: Number(receipts[0]!.n), events: Number(events[0]!.n) };
  });
}
