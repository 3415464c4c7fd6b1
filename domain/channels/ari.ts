/** A night's restrictions as channels receive them. */
export interface NightRestrictions {
  closed: boolean;
  closedToArrival: boolean;
  closedToDeparture: boolean;
  minLos: number | null;
  maxLos: number | null;
}

export function sameRestrictions(
  a: NightRestrictions | null | undefined,
  b: NightRestrictions | null | undefined,
): boolean {
  if (!a || !b) return a === b;
  return (
    a.closed === b.closed &&
    a.closedToArrival === b.closedToArrival &&
    a.closedToDeparture === b.closedToDeparture &&
    a.minLos === b.minLos &&
    a.maxLos === b.maxLos
  );
}

/** A night's amounts per rate plan (the hub's rate plan id → amount such as "120.00"). */
export type NightRates = Record<string, string>;

export function sameRates(a: NightRates | null | undefined, b: NightRates | null | undefined): boolean {
  if (!a || !b) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Only the rate plans a channel sells (its mapping), so a plan it does not carry changes nothing. */
export function ratesFor(rates: NightRates, mapped: Record<string, string>): NightRates {
  return Object.fromEntries(Object.entries(rates).filter(([plan]) => mapped[plan] !== undefined));
}
