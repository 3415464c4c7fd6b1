import { z } from 'zod';
import { fromMinorUnits, toMinorUnits } from '../shared/money';
import { nightsOf } from './dates';

/** One line of a guest's account: what was charged (with its tax), paid, or paid back. */
export const folioEntrySchema = z.object({
  /** Stable per source (`room:<date>`, `pos:<key>`, `payment:<ref>`, `refund:<ref>`): posting twice is a no-op. */
  id: z.string(),
  kind: z.enum(['charge', 'payment', 'refund']),
  source: z.enum(['room', 'pos', 'cancellation', 'payment']),
  description: z.string(),
  amount: z.string().describe('decimal amount, e.g. "12.50"'),
  tax: z.string().describe('decimal amount, e.g. "1.20"'),
  at: z.string().describe('ISO 8601 date-time'),
});
export type FolioEntry = z.infer<typeof folioEntrySchema>;

/** A signed amount: a folio can be in credit. */
export function signedMoney(minor: number): string {
  return minor < 0 ? `-${fromMinorUnits(-minor)}` : fromMinorUnits(minor);
}

export function folioTotals(entries: FolioEntry[]): {
  charges: string;
  tax: string;
  payments: string;
  refunds: string;
  balance: string;
} {
  let charges = 0;
  let tax = 0;
  let payments = 0;
  let refunds = 0;
  for (const entry of entries) {
    if (entry.kind === 'charge') {
      charges += toMinorUnits(entry.amount);
      tax += toMinorUnits(entry.tax);
    } else if (entry.kind === 'refund') refunds += toMinorUnits(entry.amount);
    else payments += toMinorUnits(entry.amount);
  }
  return {
    charges: fromMinorUnits(charges),
    tax: fromMinorUnits(tax),
    payments: fromMinorUnits(payments),
    refunds: fromMinorUnits(refunds),
    balance: signedMoney(balanceOf(entries)),
  };
}

/**
 * A payment taken from the guest or a refund given back, as its folio line: keyed by the
 * provider's reference, so the same reference posted again changes nothing.
 */
export function moneyMovement(
  kind: 'payment' | 'refund',
  request: { reference: string; amount: string },
  description: string,
  at: string,
): FolioEntry {
  return {
    id: `${kind}:${request.reference}`,
    kind,
    source: 'payment',
    description,
    amount: request.amount,
    tax: '0.00',
    at,
  };
}

/** What the guest owes in minor units; negative while the folio is in credit. */
export function balanceOf(entries: FolioEntry[]): number {
  return entries.reduce(
    (sum, e) =>
      e.kind === 'charge'
        ? sum + toMinorUnits(e.amount) + toMinorUnits(e.tax)
        : e.kind === 'refund'
          ? sum + toMinorUnits(e.amount)
          : sum - toMinorUnits(e.amount),
    0,
  );
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
