import { BusinessRuleViolation } from '../shared/errors';
import { toMinorUnits } from '../shared/money';
import type { ShippingService } from './order';

export interface CarrierRate {
  id: string;
  carrier: string;
  service: string;
  amount: string;
  currency: string;
  deliveryDays: number | null;
}

/** Longest transit each requested service level accepts. */
export const MAX_DELIVERY_DAYS: Record<ShippingService, number> = { overnight: 1, express: 3, ground: 7 };

/** Cheapest rate that meets the service level; ties go to the faster, then by id for stability. */
export function chooseRate(rates: CarrierRate[], service: ShippingService): CarrierRate {
  const limit = MAX_DELIVERY_DAYS[service];
  const eligible = rates.filter((rate) => rate.deliveryDays !== null && rate.deliveryDays <= limit);
  if (eligible.length === 0) {
    throw new BusinessRuleViolation('NoEligibleRate', [
      `no carrier rate delivers within ${limit} day(s) for service "${service}"`,
    ]);
  }
  return [...eligible].sort(
    (a, b) =>
      toMinorUnits(a.amount) - toMinorUnits(b.amount) ||
      (a.deliveryDays ?? 0) - (b.deliveryDays ?? 0) ||
      a.id.localeCompare(b.id),
  )[0]!;
}

export interface CarrierQuoteView {
  connectorId: string;
  carrierShipmentId: string;
  rates: CarrierRate[];
}

/** Rate shopping: the cheapest eligible rate over every carrier's quote for one parcel. */
export function chooseShipmentRate(
  quotes: CarrierQuoteView[],
  service: ShippingService,
): { connectorId: string; carrierShipmentId: string; rate: CarrierRate } {
  const tagged = quotes.flatMap((quote) => quote.rates.map((rate) => ({ quote, rate })));
  const rate = chooseRate(
    tagged.map((t) => t.rate),
    service,
  );
  const { quote } = tagged.find((t) => t.rate === rate)!;
  return { connectorId: quote.connectorId, carrierShipmentId: quote.carrierShipmentId, rate };
}
