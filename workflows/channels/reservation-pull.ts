import { proxyActivities } from '@temporalio/workflow';
import type { ConnectorActivities } from '../../activities';
import { connectorTaskQueue } from '../../domain/task-queues';
import type { OtaReservationPullInput } from './contract';

/**
 * One pull of a channel's reservations (a Temporal Schedule per pull connection): read,
 * take over, acknowledge. Runs never overlap; a run that fails leaves the reservations
 * unacknowledged at the channel, so the next run reads them again.
 */
export async function otaReservationPull(
  input: OtaReservationPullInput,
): ReturnType<ConnectorActivities['pullOtaReservations']> {
  const { pullOtaReservations } = proxyActivities<ConnectorActivities>({
    taskQueue: connectorTaskQueue(input.connectorId),
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 5 },
  });
  return pullOtaReservations(input);
}
