import type { FolioEntry } from './folio';

/**
 * Reservation states, visible in the API and as the `CrossdockStatus` search attribute:
 *
 *   held → confirmed → in_house → checked_out
 *   held → expired (not confirmed in time) · held | confirmed → cancelled · confirmed → no_show
 *   overbooked: an OTA's booking that no longer fit, accepted by the channel's policy and left for
 *   ops (no nights are taken for it): placed (→ held → confirmed) or cancelled, else it closes as
 *   overbooked after its departure
 */
export const RESERVATION_STATUSES = [
  'held',
  'confirmed',
  'in_house',
  'checked_out',
  'cancelled',
  'no_show',
  'expired',
  'rejected',
  'overbooked',
] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export const TERMINAL_RESERVATION_STATUSES: readonly ReservationStatus[] = [
  'checked_out',
  'cancelled',
  'no_show',
  'expired',
  'rejected',
  'overbooked',
];

export const RESERVATION_CHANNELS = ['rest', 'booking-engine', 'ota'] as const;
export type ReservationChannel = (typeof RESERVATION_CHANNELS)[number];

export interface StayRequest {
  propertyId: string;
  roomTypeId: string;
  ratePlanId: string;
  arrival: string;
  departure: string;
  guests: { adults: number; children: number };
  guest: { name: string; email?: string };
}

export interface ReservationView {
  id: string;
  tenantId: string;
  channel: ReservationChannel;
  externalId: string;
  status: ReservationStatus;
  stay: StayRequest;
  /** Amount per night from the rate plan, in stay order, and their total with tax. */
  nightly: string[];
  totals?: { room: string; tax: string; total: string; currency: string };
  holdExpiresAt?: string;
  guarantee?: { kind: 'deposit' | 'card' | 'company'; reference?: string };
  cancellation?: { reason: string; fee: string; terms: string };
  room?: string;
  key?: { id: string; code: string; revoked?: boolean };
  folio: {
    entries: FolioEntry[];
    charges: string;
    tax: string;
    payments: string;
    refunds?: string;
    balance: string;
  };
  /** The folio's invoice and the payments posted against it (one per folio payment). */
  accounting?: { invoiceId: string; paymentId?: string; paymentIds?: string[]; connectorId: string };
  /**
   * After the stay closed with a balance: `open` while payments are still taken (until `until`),
   * then `settled`, or `unsettled` when the window closed with money still owed either way.
   */
  settlement?: { status: 'open' | 'settled' | 'unsettled'; balance: string; until: string };
  rejection?: { type: string; reasons: string[] };
  /** The channel's time of the last modification applied: an older one arriving later is ignored. */
  channelModifiedAt?: string;
  timeline: Array<{ at: string; status: ReservationStatus; note?: string }>;
}

export function publicReservationId(channel: ReservationChannel, externalId: string): string {
  return `${channel}:${externalId}`;
}
