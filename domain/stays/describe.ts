import { factList, initials, rejectionText, uiTime } from '../shared/describe';
import { daysBetween } from './dates';
import type { ReservationView, StayRequest } from './reservation';

/**
 * How a reservation names itself in the Temporal UI: property, room type, dates and channel, and
 * the guest by initials only (no name, e-mail or phone).
 */
export interface StayFacts {
  id: string;
  tenantId: string;
  stay: StayRequest;
}

function nightsText(stay: StayRequest): string {
  const nights = daysBetween(stay.arrival, stay.departure);
  return `${stay.arrival} → ${stay.departure} (${nights} night${nights === 1 ? '' : 's'})`;
}

/** One line: `Stay ota:ABC-1 · alpine-lodge · DBL · 2026-12-10 → 2026-12-12 (2 nights) · guest J. D.`. */
export function staySummary({ id, stay }: StayFacts): string {
  return `Stay ${id} · ${stay.propertyId} · ${stay.roomTypeId} · ${nightsText(stay)} · guest ${initials(stay.guest.name)}`;
}

/** The stay's fixed facts, as a markdown list. */
export function stayDetails({ id, tenantId, stay }: StayFacts): string {
  const { adults, children } = stay.guests;
  return factList({
    Tenant: tenantId,
    Channel: id.slice(0, id.indexOf(':')),
    Property: stay.propertyId,
    'Room type': stay.roomTypeId,
    'Rate plan': stay.ratePlanId,
    Dates: nightsText(stay),
    Guests: `${adults} adult${adults === 1 ? '' : 's'}${children ? `, ${children} child${children === 1 ? '' : 'ren'}` : ''}`,
    Guest: initials(stay.guest.name),
  });
}

/** Whether an overbooked reservation is still waiting for ops to place it (or cancel it). */
export interface StayWaits {
  awaitingPlacement: boolean;
}

/** What the stay waits for, since and until when, and what ops can do: the UI's current details. */
export function stayCurrentDetails(view: ReservationView, waits: StayWaits): string {
  const { stay } = view;
  const currency = view.totals?.currency ?? '';
  switch (view.status) {
    case 'held':
      return view.holdExpiresAt
        ? `Held until ${uiTime(view.holdExpiresAt)}, waiting for a guarantee (Update \`confirmReservation\`); the nights are released then if none comes.`
        : 'Holding the nights.';
    case 'confirmed':
      return `Confirmed${view.guarantee ? ` (${view.guarantee.kind})` : ''}; arrival ${stay.arrival}, waiting for check-in.`;
    case 'in_house':
      return `In house in room ${view.room ?? '?'} until ${stay.departure}; folio balance ${view.folio.balance} ${currency}; waiting for check-out.`;
    case 'overbooked':
      return waits.awaitingPlacement
        ? `**Needs attention**: overbooked, no ${stay.roomTypeId} free for ${nightsText(stay)}. Waiting for re-accommodation by ops (Update \`reaccommodateReservation\`) or a cancellation, until the departure date.`
        : 'Closed overbooked: it was not re-accommodated before its departure.';
    case 'checked_out':
    case 'cancelled':
    case 'no_show': {
      const ended =
        view.status === 'checked_out'
          ? `Checked out of room ${view.room ?? '?'}`
          : view.status === 'cancelled'
            ? `Cancelled: ${view.cancellation?.reason ?? ''}`
            : 'No-show';
      const settlement = view.settlement;
      if (settlement?.status === 'open')
        return `${ended}. Folio balance ${settlement.balance} ${currency}, taking payments and refunds until ${uiTime(settlement.until)}.`;
      if (settlement?.status === 'unsettled')
        return `${ended}. Folio left unsettled at ${settlement.balance} ${currency}; the invoice stays open in accounting.`;
      return `${ended}. Folio settled.`;
    }
    case 'expired':
      return 'Expired: not guaranteed in time; the nights were released.';
    case 'rejected':
      return rejectionText(view.rejection);
  }
}

/**
 * True while a person must act: an overbooked stay waits to be placed (set as it becomes
 * overbooked; one that closes overbooked is no longer running, which ops' views filter on).
 */
export function stayNeedsAttention(view: Pick<ReservationView, 'status'>): boolean {
  return view.status === 'overbooked';
}

/** One line for a property's night audit run. */
export function nightAuditSummary(property: { tenantId: string; id: string }): string {
  return `Night audit · ${property.id} (${property.tenantId}): the night charged to stays in house, no-shows marked, the business date closed`;
}
