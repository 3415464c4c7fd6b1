import { routeOrder, type RoutableLocation } from './routing';
import type { LineDemand, StockAllocation, StockLevelView } from './stock';

/** The locations that hold any of these levels, by id, without coordinates: location order. */
export function locationsOf(levels: StockLevelView[]): RoutableLocation[] {
  return [...new Set(levels.map((l) => l.locationId))].map((id) => ({ id }));
}

/**
 * Decides where each unit ships from: one location that can ship the whole order first (one
 * parcel), otherwise lines are split across locations in location order. Pure: the caller holds
 * row locks on the levels it passes in, so the decision cannot go stale before it is written.
 */
export function allocateStock(lines: LineDemand[], levels: StockLevelView[]): StockAllocation[] {
  return routeOrder(lines, levels, locationsOf(levels), {}, 'ship-complete').allocations;
}

/** Allocations grouped into parcels, one per ship-from location, in location order. */
export function groupByLocation(allocations: StockAllocation[]): Map<string, LineDemand[]> {
  const groups = new Map<string, LineDemand[]>();
  for (const { locationId, sku, quantity } of [...allocations].sort((a, b) =>
    a.locationId.localeCompare(b.locationId),
  )) {
    groups.set(locationId, [...(groups.get(locationId) ?? []), { sku, quantity }]);
  }
  return groups;
}

export function describeAllocations(allocations: StockAllocation[]): string {
  return allocations.map((a) => `${a.quantity} × ${a.sku} @ ${a.locationId}`).join(', ');
}
