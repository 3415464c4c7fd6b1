import { QueryTypes, type Sequelize } from 'sequelize';

/** Partners deliver webhooks at least once; a delivery id already handled is acknowledged and skipped. */
export async function alreadyReceived(
  sequelize: Sequelize,
  source: string,
  deliveryId: string,
): Promise<boolean> {
  const rows = await sequelize.query(
    `SELECT 1 FROM webhook_receipts WHERE source = :source AND delivery_id = :deliveryId`,
    { replacements: { source, deliveryId }, type: QueryTypes.SELECT },
  );
  return rows.length > 0;
}

/** Recorded only after the delivery was handled, so a failure in between is retried by the partner. */
export async function recordReceipt(
  sequelize: Sequelize,
  source: string,
  deliveryId: string,
  topic: string,
): Promise<void> {
  await sequelize.query(
    `INSERT INTO webhook_receipts (source, delivery_id, topic) VALUES (:source, :deliveryId, :topic) ON CONFLICT DO NOTHING`,
    { replacements: { source, deliveryId, topic } },
  );
}
