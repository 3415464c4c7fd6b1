import { factList, isoAfter, linesText, rejectionText, uiTime } from '../shared/describe';
import type { ReturnView } from './return';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How a return names itself in the Temporal UI: RMA, order, lines (no customer name or address). */
export interface ReturnFacts {
  rmaId: string;
  tenantId: string;
  orderId: string;
  lines: ReadonlyArray<{ sku: string; quantity: number }>;
  exchange?: { lines: ReadonlyArray<{ sku: string; quantity: number }>; ships: string };
  origin: string;
}

/** One line: `Return RMA-1 · order shopify:1001 · acme · 2 × SKU-1 · exchange 1 × SKU-2`. */
export function returnSummary(facts: ReturnFacts): string {
  const exchange = facts.exchange ? ` · exchange ${linesText(facts.exchange.lines, 2)}` : '';
  return `Return ${facts.rmaId} · order ${facts.orderId} · ${facts.tenantId} · ${linesText(facts.lines, 2)}${exchange}`;
}

/** The return's fixed facts, as a markdown list. */
export function returnDetails(facts: ReturnFacts): string {
  return factList({
    Tenant: facts.tenantId,
    RMA: facts.rmaId,
    Order: facts.orderId,
    'Requested via': facts.origin,
    Lines: linesText(facts.lines, 10),
    Exchange: facts.exchange && `${linesText(facts.exchange.lines, 10)} (ships ${facts.exchange.ships})`,
  });
}

/** What a return's current details read beside its view: its deadlines and where it stands. */
export interface ReturnWaits {
  approvalDeadlineHours: number;
  scanTimeoutDays: number;
  /** A person must approve or reject it (manual approval), and has not yet. */
  awaitingDecision: boolean;
}

/** What the return waits for, until when, and what ops can do. `now` is when the wait began. */
export function returnCurrentDetails(view: ReturnView, waits: ReturnWaits, now: string): string {
  const label = view.label;
  switch (view.status) {
    case 'requested':
      return waits.awaitingDecision
        ? `**Needs attention**: waiting for a person to approve or reject it (Updates \`approveReturn\` / \`rejectReturn\`) until ${uiTime(isoAfter(now, waits.approvalDeadlineHours * HOUR_MS))}; it expires then.`
        : 'Checking eligibility.';
    case 'approved': {
      const until = uiTime(isoAfter(now, waits.scanTimeoutDays * DAY_MS));
      return label
        ? `Approved; return label ${label.carrier} ${label.trackingCode}, waiting for the parcel's first scan or its receipt (Update \`receiveReturn\`) until ${until}; it expires then.`
        : `Approved; waiting for the goods' receipt (Update \`receiveReturn\`) until ${until}; it expires then.`;
    }
    case 'in_transit':
      return `Parcel ${label?.trackingCode ?? ''} on its way back; waiting for its receipt (Update \`receiveReturn\`).`;
    case 'received':
      return 'Received; refunding through the channel and crediting in the books.';
    case 'refunded':
      return `Refunded ${view.refund?.paid ?? ''} ${view.refund?.currency ?? ''}.`;
    case 'closed':
      return 'Closed: nothing to refund for what was received.';
    case 'rejected':
      return rejectionText(view.rejection);
    case 'expired':
      return 'Expired: no decision, scan or receipt in time; its label was voided.';
    case 'failed':
      return '**Needs attention**: the refund or the credit note was refused by a partner; the refund breakdown is on the return. See docs/operations.md.';
  }
}

/** True while a person must act: a decision to take, or a refund that failed. */
export function returnNeedsAttention(
  view: Pick<ReturnView, 'status'>,
  waits: Pick<ReturnWaits, 'awaitingDecision'>,
): boolean {
  return (view.status === 'requested' && waits.awaitingDecision) || view.status === 'failed';
}
