import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ConnectorActivities, CoreActivities } from '../../activities';
import { connectorTaskQueue } from '../../domain/task-queues';

/**
 * Steps on our own database run as local activities on the orchestration worker: no task-queue
 * round trip per step, just a marker in the history. They keep their retries and stay idempotent.
 */
export const localSteps = proxyLocalActivities<CoreActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Partner calls go to the connector's own queue, where its worker holds the partner's rate limit. */
export function partner(connectorId: string) {
  return proxyActivities<ConnectorActivities>({
    taskQueue: connectorTaskQueue(connectorId),
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  });
}
