import { daysBetween, isCalendarDate } from './dates';
import type { StayRequest } from './reservation';
import { MAX_STAY_NIGHTS, type StayChange } from './validation';

/** The stay as it would be after the change. */
export function changedStay(stay: StayRequest, change: StayChange): StayRequest {
  return {
    ...stay,
    ...(change.arrival ? { arrival: change.arrival } : {}),
    ...(change.departure ? { departure: change.departure } : {}),
    ...(change.roomTypeId ? { roomTypeId: change.roomTypeId } : {}),
    ...(change.ratePlanId ? { ratePlanId: change.ratePlanId } : {}),
    ...(change.guests ? { guests: change.guests } : {}),
  };
}

/** Each difference between two versions of a stay, as the timeline reads it. */
export function stayDifferences(before: StayRequest, after: StayRequest): string[] {
  const differences: string[] = [];
  if (before.arrival !== after.arrival || before.departure !== after.departure)
    differences.push(`dates ${before.arrival}..${before.departure} → ${after.arrival}..${after.departure}`);
  if (before.roomTypeId !== after.roomTypeId)
    differences.push(`room type ${before.roomTypeId} → ${after.roomTypeId}`);
  if (before.ratePlanId !== after.ratePlanId)
    differences.push(`rate plan ${before.ratePlanId} → ${after.ratePlanId}`);
  const party = (s: StayRequest) => `${s.guests.adults}+${s.guests.children}`;
  if (party(before) !== party(after)) differences.push(`guests ${party(before)} → ${party(after)}`);
  return differences;
}

/**
 * Why a change cannot even be tried (availability is the calendar's to answer), or undefined.
 * `today` is the property's calendar date: a stay cannot be moved to begin in the past.
 */
export function stayChangeRefusal(stay: StayRequest, change: StayChange, today: string): string | undefined {
  for (const date of [change.arrival, change.departure])
    if (date !== undefined && !isCalendarDate(date)) return `${date} is not a calendar date YYYY-MM-DD`;
  const after = changedStay(stay, change);
  if (stayDifferences(stay, after).length === 0) return 'the change leaves the stay as it was';
  const nights = daysBetween(after.arrival, after.departure);
  if (nights < 1) return `departure ${after.departure} must be after arrival ${after.arrival}`;
  if (nights > MAX_STAY_NIGHTS) return `a stay lasts at most ${MAX_STAY_NIGHTS} nights, ${nights} asked`;
  if (after.arrival !== stay.arrival && after.arrival < today)
    return `arrival ${after.arrival} has passed at the property; it is ${today} there`;
  const { adults, children } = after.guests;
  if (!Number.isInteger(adults) || adults < 1 || !Number.isInteger(children) || children < 0)
    return 'guests need at least one adult and no negative count';
  return undefined;
}
