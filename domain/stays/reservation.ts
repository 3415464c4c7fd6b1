import { z } from 'zod';
import { timelineEntrySchema } from '../shared/statuses';
import { folioEntrySchema } from './folio';

/**
 * Reservation states, visible in the API and as the `CrossdockStatus` search attribute:
 *
 *   held → confirmed → in_house → checked_out
 *   held → expired (not confirmed in time) · held | confirmed → cancelled · confirmed → no_show
 *   overbooked: an OTA's booking that no longer fit, accepted by the channel's policy and left for
 *   ops (no nights are taken for it): placed (→ held → confirmed) or cancelled, else it closes as
 *   overbooked after its departure
 *
 * Each state is declared once, as open or terminal, so a new state must say which it is.
 */
const OPEN_RESERVATION_STATUSES = ['held', 'confirmed', 'in_house'] as const;
const CLOSED_RESERVATION_STATUSES = [
  'checked_out',
  'cancelled',
  'no_show',
  'expired',
  'rejected',
  'overbooked',
] as const;
export const RESERVATION_STATUSES = [...OPEN_RESERVATION_STATUSES, ...CLOSED_RESERVATION_STATUSES] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];
export const TERMINAL_RESERVATION_STATUSES: readonly ReservationStatus[] = CLOSED_RESERVATION_STATUSES;

export const RESERVATION_CHANNELS = ['rest', 'booking-engine', 'ota'] as const;
export type ReservationChannel = (typeof RESERVATION_CHANNELS)[number];

const amount = z.string().describe('decimal amount, e.g. "12.50"');
const signedAmount = z.string().describe('decimal amount, negative when in credit, e.g. "-5.00"');
const timestamp = z.string().describe('ISO 8601 date-time');
const date = z.string().describe('YYYY-MM-DD, property time');

/** The stay itself: where, which room type and rate, when, and who. */
export const stayRequestSchema = z.object({
  propertyId: z.string(),
  roomTypeId: z.string(),
  ratePlanId: z.string(),
  arrival: date,
  departure: date,
  guests: z.object({ adults: z.number().int(), children: z.number().int() }),
  guest: z.object({ name: z.string(), email: z.string().optional() }),
});
export type StayRequest = z.infer<typeof stayRequestSchema>;

/** A reservation as its process shows it: the `getReservation` Query's answer and the API's body. */
export const reservationViewSchema = z.object({
  id: z.string().describe('<channel>:<externalId>'),
  tenantId: z.string(),
  channel: z.enum(RESERVATION_CHANNELS),
  externalId: z.string(),
  status: z.enum(RESERVATION_STATUSES),
  stay: stayRequestSchema,
  /** Amount per night from the rate plan, in stay order, and their total with tax. */
  nightly: z.array(amount),
  totals: z.object({ room: amount, tax: amount, total: amount, currency: z.string() }).optional(),
  holdExpiresAt: timestamp.optional(),
  guarantee: z
    .object({ kind: z.enum(['deposit', 'card', 'company']), reference: z.string().optional() })
    .optional(),
  cancellation: z.object({ reason: z.string(), fee: amount, terms: z.string() }).optional(),
  room: z.string().optional(),
  key: z.object({ id: z.string(), code: z.string(), revoked: z.boolean().optional() }).optional(),
  folio: z.object({
    entries: z.array(folioEntrySchema),
    charges: amount,
    tax: amount,
    payments: amount,
    refunds: amount.optional(),
    balance: signedAmount,
  }),
  /** The folio's invoice and the payments posted against it (one per folio payment). */
  accounting: z
    .object({
      invoiceId: z.string(),
      paymentId: z.string().optional(),
      paymentIds: z.array(z.string()).optional(),
      connectorId: z.string(),
    })
    .optional(),
  /**
   * After the stay closed with a balance: `open` while payments are still taken (until `until`),
   * then `settled`, or `unsettled` when the window closed with money still owed either way.
   */
  settlement: z
    .object({ status: z.enum(['open', 'settled', 'unsettled']), balance: signedAmount, until: timestamp })
    .optional(),
  rejection: z.object({ type: z.string(), reasons: z.array(z.string()) }).optional(),
  /** The channel's time of the last modification applied: an older one arriving later is ignored. */
  channelModifiedAt: timestamp.optional(),
  timeline: z.array(timelineEntrySchema(RESERVATION_STATUSES)),
});
export type ReservationView = z.infer<typeof reservationViewSchema>;

export function publicReservationId(channel: ReservationChannel, externalId: string): string {
  return `${channel}:${externalId}`;
}
