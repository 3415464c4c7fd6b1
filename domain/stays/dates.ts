import { z } from 'zod';

/** Stay dates are calendar dates (`YYYY-MM-DD`) in the property's own time zone, never instants. */
export const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A calendar date in a request body: documented as `format: date` with its exact pattern (leap
 * years included), so a client and the API agree on which dates exist.
 */
export const calendarDateSchema = z.iso.date({ error: 'must be a calendar date YYYY-MM-DD' });

const DAY_MS = 86_400_000;

function epochDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

export function isCalendarDate(value: string): boolean {
  return ISO_DATE_PATTERN.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

/** A report's range of days: `to` on or after `from`, 366 days at most (a leap year). */
export const MAX_RANGE_DAYS = 366;
export function isDayRange(from: string, to: string): boolean {
  const days = daysBetween(from, to);
  return days >= 0 && days < MAX_RANGE_DAYS;
}

export function addDays(date: string, days: number): string {
  return new Date((epochDay(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return epochDay(to) - epochDay(from);
}

/** The nights of a stay: every date from arrival up to, not including, departure. */
export function nightsOf(arrival: string, departure: string): string[] {
  const nights: string[] = [];
  for (let date = arrival; date < departure; date = addDays(date, 1)) nights.push(date);
  return nights;
}

/** The calendar date an instant falls on in a time zone (IANA name, e.g. `Europe/Vienna`). */
export function localDate(instant: string | number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}
