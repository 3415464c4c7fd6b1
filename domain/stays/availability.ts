import { daysBetween, nightsOf } from './dates';

/** One room type on one date, as the inventory calendar keeps it. */
export interface CalendarDay {
  date: string;
  physical: number;
  outOfOrder: number;
  sold: number;
  held: number;
  closed: boolean;
  closedToArrival: boolean;
  closedToDeparture: boolean;
  minLos: number | null;
  maxLos: number | null;
}

/** Rooms still sellable: never below zero, whatever the channels did. */
export function availableRooms(day: Pick<CalendarDay, 'physical' | 'outOfOrder' | 'sold' | 'held'>): number {
  return Math.max(0, day.physical - day.outOfOrder - day.sold - day.held);
}

/**
 * Why a stay cannot be sold, if it cannot: a night closed or full, arrival or departure closed,
 * or a length of stay outside the limits set on the arrival date. `days` holds the nights in
 * order; `departureDay` is the calendar day of departure (for closed-to-departure), if any.
 */
export function checkStay(
  arrival: string,
  departure: string,
  days: CalendarDay[],
  departureDay: CalendarDay | undefined,
  rooms = 1,
): string[] {
  const reasons: string[] = [];
  const nights = nightsOf(arrival, departure);
  if (nights.length === 0) return ['departure must be after arrival'];
  const byDate = new Map(days.map((d) => [d.date, d]));
  const first = byDate.get(arrival);
  if (first?.closedToArrival) reasons.push(`${arrival} is closed to arrival`);
  if (departureDay?.closedToDeparture) reasons.push(`${departure} is closed to departure`);
  const length = daysBetween(arrival, departure);
  if (first?.minLos && length < first.minLos)
    reasons.push(`stays arriving ${arrival} need at least ${first.minLos} nights`);
  if (first?.maxLos && length > first.maxLos)
    reasons.push(`stays arriving ${arrival} may last at most ${first.maxLos} nights`);
  for (const night of nights) {
    const day = byDate.get(night);
    if (!day) reasons.push(`${night} is not on sale`);
    else if (day.closed) reasons.push(`${night} is closed`);
    else if (availableRooms(day) < rooms) reasons.push(`${night} is sold out`);
  }
  return reasons;
}
