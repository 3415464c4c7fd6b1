import { upkeepSteps } from './shared/activities';
import type { CoreActivities } from '../activities';
import type { HousekeepingInput } from './shared/contract';

const { pruneOldRecords, extendCalendars } = upkeepSteps;

/** Daily upkeep, run by the `crossdock-housekeeping` schedule: old receipts and delivered events go. */
export async function hubHousekeeping(
  input: HousekeepingInput,
): ReturnType<CoreActivities['pruneOldRecords']> {
  return pruneOldRecords({ olderThanDays: input.olderThanDays });
}

/**
 * Daily, by the `crossdock-calendar-horizon` schedule: every room type's calendar is kept its
 * tenant's horizon ahead, so what a property declared is on sale that far and its channels hear
 * of each new night.
 */
export async function calendarHorizon(): ReturnType<CoreActivities['extendCalendars']> {
  return extendCalendars();
}
