import { factList, isoAfter, linesText, rejectionText, uiTime } from '../shared/describe';
import { canonicalOrderSchema, orderTotals, type CanonicalOrder, type CanonicalOrderInput } from './order';
import { isPickedUp } from './tracking';
import type { OrderLabel, OrderView } from './status';

const DAY_MS = 86_400_000;

/**
 * How an order names itself in the Temporal UI. Only business facts: lines, total, the city and
 * country it ships to; never the customer's name, e-mail, phone or street.
 */
export interface OrderFacts {
  id: string;
  tenantId: string;
  order: CanonicalOrder | undefined;
}

/**
 * The facts of a candidate as it arrives (not valid yet: then only its ids). An order the caller
 * has already validated from this candidate is taken as it is, not parsed again.
 */
export function orderFactsOf(
  tenantId: string,
  id: string,
  candidate: CanonicalOrderInput,
  validated?: CanonicalOrder,
): OrderFacts {
  if (validated) return { id, tenantId, order: validated };
  const parsed = canonicalOrderSchema().safeParse(candidate);
  return { id, tenantId, order: parsed.success ? parsed.data : undefined };
}

/** Total and currency of a valid order, for the `CrossdockTotal` and `CrossdockCurrency` attributes. */
export function orderAmount(order: CanonicalOrder): { total: number; currency: string } {
  // A Double search attribute: the exact amount stays in the order; this is for sorting and filters.
  return { total: Number(orderTotals(order).total), currency: order.currency };
}

/** One line: `Order shopify:1001 · acme · 3 lines · 54.20 USD · to Portland, US`. */
export function orderSummary({ id, tenantId, order }: OrderFacts): string {
  if (!order) return `Order ${id} · ${tenantId} · not valid as received`;
  const lines = `${order.lines.length} line${order.lines.length === 1 ? '' : 's'}`;
  const { city, country } = order.shippingAddress;
  return `Order ${id} · ${tenantId} · ${lines} · ${orderTotals(order).total} ${order.currency} · to ${city}, ${country}`;
}

/** The order's fixed facts, as a markdown list. */
export function orderDetails({ id, tenantId, order }: OrderFacts, origin: string): string {
  const separator = id.indexOf(':');
  return factList({
    Tenant: tenantId,
    Channel: id.slice(0, separator),
    'External id': id.slice(separator + 1),
    'Received via': origin,
    Lines: order && linesText(order.lines),
    Total: order && `${orderTotals(order).total} ${order.currency}`,
    'Ships to': order && `${order.shippingAddress.city}, ${order.shippingAddress.country}`,
    Service: order?.shippingService,
  });
}

/** What an order's current details read from: its view, its waits' lengths and where it stands. */
export interface OrderWaits {
  stuckAfterDays: number;
  paymentTimeoutMinutes: number;
  editWindowSeconds: number;
  /** Labels are being bought (the edit window has closed). */
  shippingStarted: boolean;
}

function labelText(label: OrderLabel): string {
  return `${label.connectorId ?? label.carrier} (${label.carrier} ${label.rate.service}, ${label.rate.amount} ${label.rate.currency})`;
}

/**
 * What the order waits for, since and until when, and what ops can do: the Temporal UI's
 * current details. `now` is when the order entered its current wait.
 */
export function orderCurrentDetails(view: OrderView, waits: OrderWaits, now: string): string {
  const labels = (view.labels ?? []).filter((l) => !l.voided);
  const stuckBy = uiTime(isoAfter(now, waits.stuckAfterDays * DAY_MS));
  switch (view.status) {
    case 'received':
      return 'Validating the order and reserving its stock.';
    case 'awaiting_payment':
      return `Stock held, waiting for the channel to confirm payment; expires and releases the stock at ${uiTime(isoAfter(now, waits.paymentTimeoutMinutes * 60_000))} if none comes.`;
    case 'stock_reserved':
      return waits.shippingStarted
        ? `Stock reserved; buying labels (parcel ${labels.length + 1}).`
        : `Stock reserved; editable and cancellable until ${uiTime(isoAfter(now, waits.editWindowSeconds * 1000))}, then labels are bought.`;
    case 'label_purchased': {
      const bought = labels.map(labelText).join('; ');
      return `Label bought with ${bought}, waiting for the first carrier scan; raises an exception on ${stuckBy} if none comes.`;
    }
    case 'shipped': {
      const delivered = labels.filter((l) => l.tracking?.status === 'delivered').length;
      const moving = labels.filter((l) => l.tracking && isPickedUp(l.tracking.status)).length;
      return `Shipped: ${moving} of ${labels.length} parcels picked up, ${delivered} delivered; waiting for carrier scans until ${stuckBy}, then raises an exception.`;
    }
    case 'exception':
      return `**Needs attention** since ${uiTime(view.exception?.since ?? now)}: ${view.exception?.reason ?? 'carrier trouble'}. A carrier scan clears it; while nothing is picked up the order can still be cancelled (Update \`cancelOrder\`). See docs/operations.md.`;
    case 'delivered':
    case 'completed':
      return `Delivered: ${labels.length} parcel${labels.length === 1 ? '' : 's'}${view.accounting ? ', invoiced' : ''}.`;
    case 'cancelled':
      return `Cancelled (${view.cancellation?.origin ?? 'request'}): ${view.cancellation?.reason ?? ''}`.trim();
    case 'expired':
      return 'Expired: no payment in time; the stock went back.';
    case 'rejected':
      return rejectionText(view.rejection);
    case 'failed':
      return '**Failed**: a partner step could not complete; labels were voided and stock released. See the timeline.';
  }
}

/** Statuses that wait for a person: the `CrossdockNeedsAttention` attribute is true in these. */
export function orderNeedsAttention(view: Pick<OrderView, 'status'>): boolean {
  return view.status === 'exception';
}

/** The partner an order waits on: the carrier while parcels move, the store while payment is pending. */
export function orderWaitsOn(view: OrderView, channelConnectorId: string | undefined): string | undefined {
  if (view.status === 'awaiting_payment') return channelConnectorId;
  if (['label_purchased', 'shipped', 'exception'].includes(view.status))
    return (view.labels ?? []).find((l) => !l.voided && l.tracking?.status !== 'delivered')?.connectorId;
  return undefined;
}
