import { fromMinorUnits, toMinorUnits } from '../shared/money';
import { nightsOf } from './dates';

/** One line of a guest's account: what was charged (with its tax) or paid. */
export interface FolioEntry {
  /** Stable per source (`room:<date>`, `pos:<key>`, `payment:<reference>`): posting twice is a no-op. */
  id: string;
  kind: 'charge' | 'payment';
  source: 'room' | 'pos' | 'cancellation' | 'payment';
  description: string;
  amount: string;
  tax: string;
  at: string;
}

/** A signed amount: a folio can be in credit. */
export function signedMoney(minor: number): string {
  return minor < 0 ? `-${fromMinorUnits(-minor)}` : fromMinorUnits(minor);
}

export function folioTotals(entries: FolioEntry[]): {
  charges: string;
  tax: string;
  payments: string;
  balance: string;
} {
  let charges = 0;
  let tax = 0;
  let payments = 0;
  for (const entry of entries) {
    if (entry.kind === 'charge') {
      charges += toMinorUnits(entry.amount);
      tax += toMinorUnits(entry.tax);
    } else payments += toMinorUnits(entry.amount);
  }
  return {
    charges: fromMinorUnits(charges),
    tax: fromMinorUnits(tax),
    payments: fromMinorUnits(payments),
    balance: signedMoney(charges + tax - payments),
  };
}

/** Room and tax for each night of the stay not yet on the folio (the night audit posts them as they pass). */
export function roomCharges(
  stay: { arrival: string; departure: string; roomTypeId: string },
  nightly: string[],
  taxPercent: number,
  posted: FolioEntry[],
  at: string,
): FolioEntry[] {
  return nightsOf(stay.arrival, stay.departure)
    .map((date, i) => ({ date, amount: nightly[i] ?? '0.00' }))
    .filter(({ date }) => !posted.some((e) => e.id === `room:${date}`))
    .map(({ date, amount }) => ({
      id: `room:${date}`,
      kind: 'charge' as const,
      source: 'room' as const,
      description: `${stay.roomTypeId} night of ${date}`,
      amount,
      tax: fromMinorUnits(Math.round((toMinorUnits(amount) * taxPercent) / 100)),
      at,
    }));
}
