import { CANCELLABLE_ORDER_STATUSES, EDITABLE_ORDER_STATUSES, type OrderStatus } from './status';

/**
 * What an order's process is doing at this moment, as its guards see it: its status and the
 * requests it has taken but not finished. The process keeps these; the guards only read them.
 */
export interface OrderActivity {
  id: string;
  status: OrderStatus;
  /** The order passed the intake's rules (a refused order has nothing to change). */
  valid: boolean;
  /** A cancellation has been asked for. */
  cancelling: boolean;
  /** An edit is being applied. */
  editing: boolean;
  /** The edit window has closed and labels are being bought. */
  shippingStarted: boolean;
  /** Parcels the carrier has picked up. */
  pickedUp: number;
}

/** Why the order cannot be cancelled now, if it cannot. */
export function cancelRefusal(o: OrderActivity): string | undefined {
  if (o.cancelling) return `order ${o.id} is already being cancelled`;
  if (!CANCELLABLE_ORDER_STATUSES.includes(o.status) || o.pickedUp > 0)
    return `order ${o.id} is ${o.status} and has left the warehouse; it can no longer be cancelled (start a return instead)`;
  return undefined;
}

/** Why the order's lines or address cannot be edited now, if they cannot. */
export function editRefusal(o: OrderActivity): string | undefined {
  if (!o.valid || o.shippingStarted || o.cancelling || !EDITABLE_ORDER_STATUSES.includes(o.status))
    return `order ${o.id} is ${o.status}; edits are possible only until labels are bought`;
  if (o.editing) return `order ${o.id} has an edit in progress; retry when it has applied`;
  return undefined;
}

/**
 * Why an edit's lines cannot replace the order's, if they cannot: each SKU once, and a SKU the
 * order did not have comes with its price.
 */
export function editLinesRefusal(
  current: ReadonlyArray<{ sku: string }>,
  edited: ReadonlyArray<{ sku: string; unitPrice?: string }>,
): string | undefined {
  if (new Set(edited.map((l) => l.sku)).size !== edited.length) return 'lines: duplicate SKU';
  const added = edited.filter((l) => !l.unitPrice && !current.some((o) => o.sku === l.sku));
  if (added.length > 0)
    return `lines: ${added.map((l) => l.sku).join(', ')} are new to this order and need a unitPrice`;
  return undefined;
}

/** Whether an address changed on the channel still applies: only while no label is bought. */
export function channelAddressApplies(o: OrderActivity): boolean {
  return !o.shippingStarted && EDITABLE_ORDER_STATUSES.includes(o.status);
}
