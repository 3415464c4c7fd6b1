import { z } from 'zod';
import { BusinessRuleViolation } from '../shared/errors';
import { lazily } from '../shared/lazily';
import type { LineDemand, StockAllocation, StockLevelView } from './stock';

export interface RoutableLocation {
  id: string;
  latitude?: number;
  longitude?: number;
  /** Countries it ships to; empty or absent: anywhere. */
  shipsTo?: string[];
}

export interface Destination {
  latitude?: number;
  longitude?: number;
  /** ISO 3166-1 alpha-2, when known: only locations that ship there are routed to. */
  country?: string;
}

/**
 * How an order's units are assigned to locations:
 * - `ship-complete`: one location that ships everything (the nearest such), else split;
 * - `nearest-first`: every line from the nearest location that has it, splitting freely.
 */
export const ROUTING_STRATEGIES = ['ship-complete', 'nearest-first'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/** Why the order's units went where they did (the allocations are kept beside it). */
export const routingOutcomeSchema = lazily(() =>
  z.object({
    strategy: z.enum(ROUTING_STRATEGIES),
    outcome: z.enum(['single_location', 'split']),
    reason: z.string(),
  }),
);
export type RoutingDecision = z.infer<ReturnType<typeof routingOutcomeSchema>> & {
  allocations: StockAllocation[];
};

/** Whether a location may ship a parcel to this country (its `shipsTo`; empty: anywhere). */
export function shipsToCountry(location: { shipsTo?: string[] }, country: string | undefined): boolean {
  return !location.shipsTo?.length || country === undefined || location.shipsTo.includes(country);
}

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance in kilometres, or undefined when either side has no coordinates. */
export function distanceKm(a: Destination, b: Destination): number | undefined {
  if (a.latitude === undefined || a.longitude === undefined) return undefined;
  if (b.latitude === undefined || b.longitude === undefined) return undefined;
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}

/** Locations nearest first; without coordinates they keep id order (by code unit), after those with a distance. */
export function byDistance(locations: RoutableLocation[], destination: Destination): RoutableLocation[] {
  const withDistance = locations.map((location) => ({ location, km: distanceKm(destination, location) }));
  return withDistance
    .sort(
      (a, b) =>
        (a.km ?? Number.POSITIVE_INFINITY) - (b.km ?? Number.POSITIVE_INFINITY) ||
        (a.location.id < b.location.id ? -1 : a.location.id > b.location.id ? 1 : 0),
    )
    .map((entry) => entry.location);
}

/**
 * Decides where each unit ships from. Pure: the caller holds row locks on the levels it passes
 * in, so the decision cannot go stale before it is written. Throws InsufficientStock naming
 * every short line.
 */
export function routeOrder(
  lines: LineDemand[],
  levels: StockLevelView[],
  locations: RoutableLocation[],
  destination: Destination,
  strategy: RoutingStrategy,
): RoutingDecision {
  const available = new Map(levels.map((l) => [`${l.sku}@${l.locationId}`, l.available]));
  const stocked = new Set(levels.map((l) => l.locationId));
  const ordered = byDistance(
    locations.filter((l) => stocked.has(l.id) && shipsToCountry(l, destination.country)),
    destination,
  );
  const has = (locationId: string, sku: string) => available.get(`${sku}@${locationId}`) ?? 0;
  const shipsFromElsewhere = locations.some(
    (l) => stocked.has(l.id) && !shipsToCountry(l, destination.country),
  );
  const located = ordered.some((l) => distanceKm(destination, l) !== undefined);

  if (strategy === 'ship-complete') {
    const whole = ordered.find((location) =>
      lines.every((line) => has(location.id, line.sku) >= line.quantity),
    );
    if (whole) {
      const km = distanceKm(destination, whole);
      return {
        strategy,
        outcome: 'single_location',
        reason:
          km === undefined
            ? `${whole.id} ships every line`
            : `${whole.id} is the nearest location that ships every line (${Math.round(km)} km)`,
        allocations: lines.map((line) => ({ sku: line.sku, locationId: whole.id, quantity: line.quantity })),
      };
    }
  }

  const allocations: StockAllocation[] = [];
  const shortages: string[] = [];
  for (const line of lines) {
    let missing = line.quantity;
    for (const location of ordered) {
      if (missing === 0) break;
      const take = Math.min(has(location.id, line.sku), missing);
      if (take > 0) {
        allocations.push({ sku: line.sku, locationId: location.id, quantity: take });
        missing -= take;
      }
    }
    if (missing > 0)
      shortages.push(
        `${line.sku}: ${line.quantity} requested, ${line.quantity - missing} available` +
          (shipsFromElsewhere ? ` at locations that ship to ${destination.country}` : ''),
      );
  }
  if (shortages.length > 0) throw new BusinessRuleViolation('InsufficientStock', shortages);
  const used = [...new Set(allocations.map((a) => a.locationId))];
  return {
    strategy,
    outcome: used.length === 1 ? 'single_location' : 'split',
    reason:
      (strategy === 'ship-complete' ? 'no single location ships every line; ' : '') +
      `lines taken from ${used.join(', ')}` +
      (located ? ' nearest first' : ' in location order'),
    allocations,
  };
}
