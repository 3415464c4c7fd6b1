import type { ReservationStatus } from './reservation';

/**
 * What a reservation's process is doing at this moment, as its guards see it: its status and the
 * requests it has taken but not finished. The process keeps these; the guards only read them.
 */
export interface ReservationActivity {
  id: string;
  status: ReservationStatus;
  /** The booking has been answered: nights held, or rejected, or accepted as overbooked. */
  placed: boolean;
  /** A guarantee has been given and is being applied. */
  confirming: boolean;
  /** A cancellation has been asked for. */
  cancelling: boolean;
  checkingIn: boolean;
  modifying: boolean;
  reaccommodating: boolean;
  /** Overbooked and waiting for ops to place it (or cancel it). */
  awaitingPlacement: boolean;
  /** The stay has closed; its folio takes payments and refunds until settled. */
  settling: boolean;
  /** A check-out has been asked for. */
  checkingOut: boolean;
}

/** Statuses in which a reservation can still be cancelled. */
export const CANCELLABLE_STATUSES: readonly ReservationStatus[] = ['held', 'confirmed', 'overbooked'];
/** Statuses in which dates, room type, rate plan or party can change. */
export const MODIFIABLE_STATUSES: readonly ReservationStatus[] = ['held', 'confirmed'];
/** Statuses whose folio takes payments (a closed stay's folio also does while it settles). */
export const PAYABLE_STATUSES: readonly ReservationStatus[] = ['held', 'confirmed', 'in_house'];
/** Statuses whose folio gives refunds (likewise while a closed stay settles). */
export const REFUNDABLE_STATUSES: readonly ReservationStatus[] = ['confirmed', 'in_house'];

const spoken = (status: ReservationStatus) => status.replace(/_/g, ' ');

/** Why a guarantee cannot confirm the reservation now, if it cannot. */
export function confirmationRefusal(r: ReservationActivity): string | undefined {
  if (!r.placed || r.status !== 'held' || r.confirming || r.cancelling)
    return `reservation ${r.id} is ${r.status}; only a held reservation can be confirmed`;
  return undefined;
}

/** Why the reservation cannot be cancelled now, if it cannot. */
export function cancellationRefusal(r: ReservationActivity): string | undefined {
  if (
    !r.placed ||
    r.cancelling ||
    r.checkingIn ||
    r.modifying ||
    r.reaccommodating ||
    !CANCELLABLE_STATUSES.includes(r.status)
  )
    return `reservation ${r.id} is ${r.status}; it can no longer be cancelled`;
  return undefined;
}

/** Why ops cannot place the reservation in other nights now, if they cannot. */
export function reaccommodationRefusal(r: ReservationActivity): string | undefined {
  if (r.status !== 'overbooked' || !r.awaitingPlacement || r.reaccommodating || r.cancelling)
    return `reservation ${r.id} is ${r.status}; only an overbooked reservation is re-accommodated`;
  return undefined;
}

/** Why the stay cannot be modified now, if it cannot (the change itself is judged apart). */
export function modificationRefusal(r: ReservationActivity): string | undefined {
  if (!r.placed || !MODIFIABLE_STATUSES.includes(r.status) || r.cancelling || r.checkingIn || r.modifying)
    return `reservation ${r.id} is ${r.status}${r.modifying ? ' and being modified' : ''}; only a held or confirmed stay can be modified`;
  return undefined;
}

/** Why the folio takes no payment now, if it takes none. */
export function paymentRefusal(r: ReservationActivity): string | undefined {
  if (!r.placed || !(r.settling || PAYABLE_STATUSES.includes(r.status)))
    return `reservation ${r.id} is ${r.status}; its folio takes no more payments`;
  return undefined;
}

/** Why the folio gives no refund now, if it gives none. */
export function refundRefusal(r: ReservationActivity): string | undefined {
  if (!r.placed || !(r.settling || REFUNDABLE_STATUSES.includes(r.status)))
    return `reservation ${r.id} is ${r.status}; its folio takes no more refunds`;
  return undefined;
}

/** Why an outlet cannot charge the room now, if it cannot. */
export function chargeRefusal(r: ReservationActivity): string | undefined {
  if (r.status !== 'in_house' || r.checkingOut)
    return `reservation ${r.id} is ${spoken(r.status)}; only a guest in house can be charged`;
  return undefined;
}

/** Why the party cannot check in now (`today` is the property's calendar date), if it cannot. */
export function checkInRefusal(
  r: ReservationActivity,
  stay: { arrival: string; departure: string },
  today: string,
): string | undefined {
  if (r.status !== 'confirmed' || r.checkingIn || r.cancelling || r.modifying)
    return `reservation ${r.id} is ${r.status}; only a confirmed reservation checks in`;
  if (today < stay.arrival) return `check-in opens on ${stay.arrival} at the property; it is ${today} there`;
  if (today >= stay.departure) return `the stay ended on ${stay.departure}`;
  return undefined;
}

/** Why the guest cannot check out now, if they cannot (the folio's balance is judged apart). */
export function checkOutRefusal(r: ReservationActivity): string | undefined {
  if (r.status !== 'in_house' || r.checkingOut)
    return `reservation ${r.id} is ${r.status}; only a guest in house checks out`;
  return undefined;
}

/** The night audit of `businessDate` found a confirmed party that never arrived. */
export function isNoShow(r: ReservationActivity, arrival: string, businessDate: string): boolean {
  return r.status === 'confirmed' && !r.checkingIn && !r.cancelling && businessDate >= arrival;
}
