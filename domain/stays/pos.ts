import { fromMinorUnits } from '../shared/money';

/** A Square order as the Orders API returns it: what a room charge needs of it. */
export interface SquareRoomOrder {
  id: string;
  reference_id?: string;
  line_items?: Array<{ name?: string; quantity?: string }>;
  total_money?: { amount: number; currency: string };
  total_tax_money?: { amount: number; currency: string };
}

/** Where a charge goes: a room (the party staying in it) or a reservation by its id. */
export type ChargeTarget = { room: string } | { reservationId: string };

export interface RoomCharge {
  /** Stable per POS order: the folio takes it once however often it is delivered. */
  id: string;
  target?: ChargeTarget;
  description: string;
  amount: string;
  tax: string;
  currency: string;
}

/**
 * A POS order charged to a room. The outlet puts `room:<number>` or `reservation:<id>` in the
 * order's `reference_id`; amounts are Square's minor units, the tax shown apart.
 */
export function roomChargeFromSquare(order: SquareRoomOrder): RoomCharge {
  const reference = order.reference_id ?? '';
  const target: ChargeTarget | undefined = reference.startsWith('room:')
    ? { room: reference.slice(5) }
    : reference.startsWith('reservation:')
      ? { reservationId: reference.slice(12) }
      : undefined;
  const total = order.total_money?.amount ?? 0;
  const tax = order.total_tax_money?.amount ?? 0;
  const items = (order.line_items ?? []).map((l) => `${l.quantity ?? '1'} × ${l.name ?? 'item'}`).join(', ');
  return {
    id: `pos:${order.id}`,
    ...(target ? { target } : {}),
    description: items ? `POS ${items}` : `POS order ${order.id}`,
    amount: fromMinorUnits(Math.max(0, total - tax)),
    tax: fromMinorUnits(Math.max(0, tax)),
    currency: order.total_money?.currency ?? '',
  };
}
