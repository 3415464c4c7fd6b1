import { BusinessRuleViolation } from '../shared/errors';
import type { StockAllocation } from './status';

export interface StockLevelView {
  sku: string;
  locationId: string;
  available: number;
}

export interface LineDemand {
  sku: string;
  quantity: number;
}

/**
 * Decides where each unit ships from: one location that can ship the whole order first (one
 * parcel), otherwise lines are split across locations in location order. Pure: the caller holds
 * row locks on the levels it passes in, so the decision cannot go stale before it is written.
 */
export function allocateStock(lines: LineDemand[], levels: StockLevelView[]): StockAllocation[] {
  const byLocation = new Map<string, Map<string, number>>();
  for (const level of levels) {
    const skus = byLocation.get(level.locationId) ?? new Map<string, number>();
    skus.set(level.sku, level.available);
    byLocation.set(level.locationId, skus);
  }
  const locations = [...byLocation.keys()].sort();

  const whole = locations.find((location) =>
    lines.every((line) => (byLocation.get(location)?.get(line.sku) ?? 0) >= line.quantity),
  );
  if (whole !== undefined) {
    return lines.map((line) => ({ sku: line.sku, locationId: whole, quantity: line.quantity }));
  }

  const allocations: StockAllocation[] = [];
  const shortages: string[] = [];
  for (const line of lines) {
    let missing = line.quantity;
    for (const location of locations) {
      if (missing === 0) break;
      const available = byLocation.get(location)?.get(line.sku) ?? 0;
      const take = Math.min(available, missing);
      if (take > 0) {
        allocations.push({ sku: line.sku, locationId: location, quantity: take });
        missing -= take;
      }
    }
    if (missing > 0)
      shortages.push(`${line.sku}: ${line.quantity} requested, ${line.quantity - missing} available`);
  }
  if (shortages.length > 0) throw new BusinessRuleViolation('InsufficientStock', shortages);
  return allocations;
}
