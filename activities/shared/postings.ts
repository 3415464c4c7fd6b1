import { createHash } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../../connectors/registry';
import type { ShopifyConnector } from '../../connectors/marketplaces/shopify';
import { partnerPostings } from '../../platform/metrics';
import { rowsOf } from '../../db/statements';

/**
 * What every area posts to partners exactly once (orders, returns and stays alike): a recorded
 * remote id per (connector, kind, reference), and the idempotency key the partner is sent.
 */
/** What a posting is recorded under. */
interface PostingKey {
  tenantId: string;
  connectorId: string;
  kind: string;
  reference: string;
}

/** The posting's row, with `postingBind(key)` as its first four bind parameters. */
const POSTING_ROW = `tenant_id = $1 AND connector_id = $2 AND kind = $3 AND reference = $4`;
const postingBind = (key: PostingKey) => [key.tenantId, key.connectorId, key.kind, key.reference];

/** Runs `post` once per (connector, kind, reference): a recorded remote id short-cuts any retry. */
export async function postOnce(
  sequelize: Sequelize,
  key: PostingKey,
  post: () => Promise<string>,
): Promise<string> {
  const recordedBefore = await claimPosting(sequelize, key);
  if (recordedBefore) return recordedBefore;
  const remoteId = await post();
  // Counted by whichever attempt records it: once per document, even if two attempts raced.
  const recorded = await rowsOf(
    sequelize,
    `UPDATE partner_postings SET remote_id = $5, updated_at = now() WHERE ${POSTING_ROW} AND remote_id IS NULL RETURNING 1`,
    [...postingBind(key), remoteId],
  );
  if (recorded.length === 0) {
    // The other attempt recorded its id first: that one stands.
    const [winner] = await rowsOf<{ remote_id: string | null }>(
      sequelize,
      `SELECT remote_id FROM partner_postings WHERE ${POSTING_ROW}`,
      postingBind(key),
    );
    return winner?.remote_id ?? remoteId;
  }
  partnerPostings.inc({ tenant: key.tenantId, connector: key.connectorId, kind: key.kind });
  return remoteId;
}

/**
 * Runs `post` against the connection's store once per (connector, kind, reference), as `postOnce`
 * does: what a sales channel is told of an order or a return (a parcel, a refund) reaches it once.
 */
export function postToStoreOnce(
  deps: { sequelize: Sequelize; connectors: ConnectorRegistry },
  connection: { tenantId: string; connectorId: string },
  posting: { kind: string; reference: string },
  post: (store: ShopifyConnector) => Promise<string>,
): Promise<string> {
  const { tenantId, connectorId } = connection;
  return postOnce(deps.sequelize, { tenantId, connectorId, ...posting }, () =>
    post(deps.connectors.shopifyStore(connectorId)),
  );
}

/**
 * The posting's row, inserted if it is not there yet, and the remote id recorded on it (null
 * until a post succeeded): one statement where Sequelize's findOrCreate took five, a
 * transaction and a temporary function among them, twice on every order's path.
 */
async function claimPosting(sequelize: Sequelize, key: PostingKey): Promise<string | null> {
  const claim = () =>
    rowsOf<{ remote_id: string | null }>(
      sequelize,
      `WITH inserted AS (
         INSERT INTO partner_postings (tenant_id, connector_id, kind, reference)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING remote_id)
       SELECT remote_id FROM inserted UNION ALL SELECT remote_id FROM partner_postings WHERE ${POSTING_ROW}`,
      postingBind(key),
    );
  // A row a racing attempt inserted after this statement's snapshot is not in its SELECT: ask again.
  const first = await claim();
  const rows = first.length > 0 ? first : await claim();
  return rows[0]?.remote_id ?? null;
}

/** Partner idempotency keys are short; a digest of our reference fits every partner's limit. */
export function idempotencyKey(reference: string, kind: string): string {
  return createHash('sha256').update(`${reference}:${kind}`).digest('hex').slice(0, 36);
}
