import { createHash } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { modelsOf } from '../../db/models';
import { partnerPostings } from '../../platform/metrics';

/**
 * What every area posts to partners exactly once (orders, returns and stays alike): a recorded
 * remote id per (connector, kind, reference), and the idempotency key the partner is sent.
 */
/** Runs `post` once per (connector, kind, reference): a recorded remote id short-cuts any retry. */
export async function postOnce(
  sequelize: Sequelize,
  key: { tenantId: string; connectorId: string; kind: string; reference: string },
  post: () => Promise<string>,
): Promise<string> {
  const [row] = await modelsOf(sequelize).PartnerPosting.findOrCreate({ where: key, defaults: key });
  if (row.remoteId) return row.remoteId;
  const remoteId = await post();
  // Counted by whichever attempt records it: once per document, even if two attempts raced.
  const [recorded] = await modelsOf(sequelize).PartnerPosting.update(
    { remoteId },
    { where: { ...key, remoteId: null } },
  );
  if (recorded === 0) return (await row.reload()).remoteId ?? remoteId; // the other attempt's
  partnerPostings.inc({ tenant: key.tenantId, connector: key.connectorId, kind: key.kind });
  return remoteId;
}

/** Partner idempotency keys are short; a digest of our reference fits every partner's limit. */
export function idempotencyKey(reference: string, kind: string): string {
  return createHash('sha256').update(`${reference}:${kind}`).digest('hex').slice(0, 36);
}
