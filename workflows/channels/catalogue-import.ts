import { proxyActivities } from '@temporalio/workflow';
import type { ConnectorActivities } from '../../activities';
import type { CatalogueImportRequest } from '../../domain/master-data/catalogue-import';
import { connectorTaskQueue } from '../../domain/task-queues';

/**
 * Reads a store's or seller's catalogue into the tenant's items (`POST /v1/channels/:id/import`,
 * and the first start of a Shopify connection). A large catalogue takes many pages at the
 * partner's pace: the activity heartbeats as it goes, so a worker lost midway is noticed in
 * minutes and the import runs again (it is idempotent: items already there are unchanged).
 */
export async function catalogueImport(request: CatalogueImportRequest) {
  const { importCatalogue } = proxyActivities<ConnectorActivities>({
    taskQueue: connectorTaskQueue(request.connectorId),
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '5 minutes',
    retry: {
      initialInterval: '5 seconds',
      backoffCoefficient: 2,
      maximumInterval: '5 minutes',
      maximumAttempts: 10,
    },
  });
  return importCatalogue(request);
}
