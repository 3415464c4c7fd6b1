import { BusinessRuleViolation } from '../shared/errors';
import { fromMinorUnits, toMinorUnits } from '../shared/money';
import type { StayRequest } from './reservation';

/** What a room type and its rate plan say about the party. */
export interface OccupancyTerms {
  maxOccupancy: number;
  baseOccupancy: number;
  /** Per night, for each guest above the base occupancy (absent: guests above it cost nothing). */
  extraGuestAmount: string | null;
}

/** The party must fit the room type. */
export function checkOccupancy(
  stay: Pick<StayRequest, 'roomTypeId' | 'guests'>,
  terms: OccupancyTerms,
): void {
  const guests = stay.guests.adults + stay.guests.children;
  if (guests > terms.maxOccupancy)
    throw new BusinessRuleViolation('TooManyGuests', [
      `room type ${stay.roomTypeId} sleeps at most ${terms.maxOccupancy}, ${guests} guests asked`,
    ]);
}

/** What each night costs on top of its amount for the guests above the room type's base occupancy. */
export function extraGuestsPerNight(stay: Pick<StayRequest, 'guests'>, terms: OccupancyTerms): string {
  if (!terms.extraGuestAmount) return '0.00';
  const extra = Math.max(0, stay.guests.adults + stay.guests.children - Number(terms.baseOccupancy));
  return fromMinorUnits(extra * toMinorUnits(Number(terms.extraGuestAmount).toFixed(2)));
}
