import { fromMinorUnits, toMinorUnits } from '../shared/money';
import { daysBetween } from './dates';

/** A rate plan's terms: free until N days before arrival, then a penalty. */
export interface CancellationPolicy {
  freeUntilDaysBefore: number;
  penalty: { nights: number } | { percent: number };
}

/**
 * The fee for cancelling on `today` (the property's local date) a stay arriving `arrival` with
 * these nightly amounts. Free while at least `freeUntilDaysBefore` days remain.
 */
export function cancellationFee(
  policy: CancellationPolicy,
  arrival: string,
  nightly: string[],
  today: string,
): { fee: string; reason: string } {
  const daysLeft = daysBetween(today, arrival);
  if (daysLeft >= policy.freeUntilDaysBefore)
    return {
      fee: '0.00',
      reason: `free cancellation until ${policy.freeUntilDaysBefore} days before arrival`,
    };
  const minor = nightly.map(toMinorUnits);
  const fee =
    'nights' in policy.penalty
      ? minor.slice(0, policy.penalty.nights).reduce((sum, n) => sum + n, 0)
      : Math.round((minor.reduce((sum, n) => sum + n, 0) * policy.penalty.percent) / 100);
  const terms =
    'nights' in policy.penalty
      ? `${policy.penalty.nights} night(s)`
      : `${policy.penalty.percent} % of the stay`;
  return {
    fee: fromMinorUnits(fee),
    reason: `cancelled ${daysLeft} day(s) before arrival, inside the ${policy.freeUntilDaysBefore}-day window: ${terms}`,
  };
}

/** The terms a reservation keeps from its rate plan as it stood when the nights were taken. */
export interface StayTerms {
  cancellation: CancellationPolicy;
  timeZone: string;
  taxPercent: number;
  /** The no-show fee; without it, the cancellation penalty applies to a no-show. */
  noShow?: { penalty: CancellationPolicy['penalty'] };
}

export function stayTermsOf(held: StayTerms): StayTerms {
  return {
    cancellation: held.cancellation,
    timeZone: held.timeZone,
    taxPercent: held.taxPercent,
    ...(held.noShow ? { noShow: held.noShow } : {}),
  };
}

/** The fee when nobody arrives: the rate plan's no-show terms, else its cancellation penalty on the day. */
export function noShowFee(
  terms: StayTerms,
  arrival: string,
  nightly: string[],
): { fee: string; reason: string } {
  if (!terms.noShow) return cancellationFee(terms.cancellation, arrival, nightly, arrival);
  const minor = nightly.map(toMinorUnits);
  const { penalty } = terms.noShow;
  const fee =
    'nights' in penalty
      ? minor.slice(0, penalty.nights).reduce((sum, n) => sum + n, 0)
      : Math.round((minor.reduce((sum, n) => sum + n, 0) * penalty.percent) / 100);
  const what = 'nights' in penalty ? `${penalty.nights} night(s)` : `${penalty.percent} % of the stay`;
  return { fee: fromMinorUnits(fee), reason: `no-show terms of the rate plan: ${what}` };
}
