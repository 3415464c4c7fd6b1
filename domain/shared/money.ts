import { z } from 'zod';

/**
 * Money travels as decimal strings ("19.99") so no float ever rounds a price.
 * Arithmetic happens in minor units (integers) and is formatted back.
 */

/**
 * The largest amount the hub takes, anywhere (a price, a rate, a payment, a refund). Bounded so
 * every sum stays an exact integer of minor units: 10,000 units a line × 250 lines at this price
 * is 2.5 × 10^15 minor units, under JavaScript's exact-integer limit (9 × 10^15).
 */
export const MAX_AMOUNT = '9999999.99';
export const MONEY_PATTERN = /^\d{1,7}(\.\d{1,2})?$/;

/** A money amount from outside, as a decimal string; past MAX_AMOUNT it is refused, naming the field. */
export const moneySchema = (example = '19.99') =>
  z.string().regex(MONEY_PATTERN, `must be a decimal amount such as "${example}", at most ${MAX_AMOUNT}`);

export function toMinorUnits(amount: string): number {
  if (!MONEY_PATTERN.test(amount)) throw new RangeError(`not a money amount: ${amount}`);
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export function fromMinorUnits(minor: number): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`not a minor-unit amount: ${minor}`);
  const whole = Math.floor(minor / 100);
  const cents = String(minor % 100).padStart(2, '0');
  return `${whole}.${cents}`;
}
