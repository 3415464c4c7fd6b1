/**
 * Money travels as decimal strings ("19.99") so no float ever rounds a price.
 * Arithmetic happens in minor units (integers) and is formatted back.
 */
export const MONEY_PATTERN = /^\d{1,12}(\.\d{1,2})?$/;

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
