import { proxyActivities } from '@temporalio/workflow';
import type { CoreActivities } from '../activities';

const { pruneOldRecords } = proxyActivities<CoreActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', maximumAttempts: 5 },
});

/** Daily upkeep, run by the `crossdock-housekeeping` schedule: old receipts and delivered events go. */
export async function hubHousekeeping(input: {
  olderThanDays: number;
}): ReturnType<CoreActivities['pruneOldRecords']> {
  return pruneOldRecords({ olderThanDays: input.olderThanDays });
}
