import { getExternalWorkflowHandle } from '@temporalio/workflow';
import type { TrackerReconcileInput } from './contract';
import { trackingSignal } from '../shared/contract';
import { partners } from '../shared/activities';

/**
 * One pass over a carrier connector's quiet parcels (a Temporal Schedule per carrier connector):
 * scans its webhooks never delivered are fetched from the carrier and signalled to their orders
 * and returns, as the webhook would have. A scan signalled twice changes nothing.
 */
export async function trackerReconcile(input: TrackerReconcileInput): Promise<{ signalled: number }> {
  const missed = await partners.carrier(input.connectorId).missedScans({
    tenantId: input.tenantId,
    connectorId: input.connectorId,
    quietMinutes: input.quietMinutes ?? 60,
    limit: 200,
  });
  let signalled = 0;
  for (const { orderKey, update } of missed) {
    try {
      await getExternalWorkflowHandle(orderKey).signal(trackingSignal, update);
      signalled += 1;
    } catch {
      // The order or return has closed since: it needs no more news.
    }
  }
  return { signalled };
}
