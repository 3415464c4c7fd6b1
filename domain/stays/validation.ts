import { z } from 'zod';
import { nonBlank } from '../shared/text';
import { EXTERNAL_ID_PATTERN } from '../orders/order';
import { calendarDateSchema, daysBetween, isCalendarDate } from './dates';
import { RESERVATION_CHANNELS } from './reservation';

export const MAX_STAY_NIGHTS = 30;

const id = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"');
const calendarDate = calendarDateSchema;

export const guaranteeSchema = z
  .object({ kind: z.enum(['deposit', 'card', 'company']), reference: z.string().max(100).optional() })
  .strict();

const guestsSchema = z
  .object({
    adults: z.number().int().min(1).max(20),
    children: z.number().int().min(0).max(20).default(0),
  })
  .strict();

/** A booking as the REST API and booking engines send it. */
export const reservationRequestSchema = z
  .object({
    channel: z.enum(RESERVATION_CHANNELS).default('rest'),
    externalId: z.string().regex(EXTERNAL_ID_PATTERN, 'must be 1-64 letters, digits, ".", "_" or "-"'),
    propertyId: id,
    roomTypeId: id,
    ratePlanId: id,
    arrival: calendarDate,
    departure: calendarDate,
    guests: guestsSchema,
    guest: z.object({ name: nonBlank(200), email: z.email().optional() }).strict(),
    /** A deposit or guarantee confirms the booking at once; without one it is a hold that expires. */
    guarantee: guaranteeSchema.optional(),
  })
  .strict()
  .superRefine((request, ctx) => {
    if (!isCalendarDate(request.arrival) || !isCalendarDate(request.departure)) return;
    const nights = daysBetween(request.arrival, request.departure);
    if (nights < 1) ctx.addIssue({ code: 'custom', path: ['departure'], message: 'must be after arrival' });
    if (nights > MAX_STAY_NIGHTS)
      ctx.addIssue({
        code: 'custom',
        path: ['departure'],
        message: `a stay lasts at most ${MAX_STAY_NIGHTS} nights`,
      });
  });
export type ReservationRequest = z.infer<typeof reservationRequestSchema>;
export type ReservationRequestInput = z.input<typeof reservationRequestSchema>;

/**
 * What a guest or channel may change on a booked stay: any of dates, room type, rate plan and
 * party, at least one; the property and the guest stay as they are.
 */
const stayChangeFields = {
  arrival: calendarDate.optional(),
  departure: calendarDate.optional(),
  roomTypeId: id.optional(),
  ratePlanId: id.optional(),
  guests: guestsSchema.optional(),
};
const STAY_CHANGE_FIELDS = Object.keys(stayChangeFields);
const changesSomething = (change: object) => STAY_CHANGE_FIELDS.some((field) => field in change);
const nameOne = `name at least one of ${STAY_CHANGE_FIELDS.join(', ')}`;

/** A change as the REST API takes it. */
export const stayChangeSchema = z
  .object(stayChangeFields)
  .strict()
  .refine(changesSomething, nameOne)
  .meta({ minProperties: 1 });

/**
 * The `modifyReservation` Update's argument: the API's change, or a channel's stamped with when
 * the channel made it (an older one is not applied over a newer).
 */
export const channelStayChangeSchema = z
  .object({ ...stayChangeFields, asOf: z.string().min(1).max(64).optional() })
  .strict()
  .refine(changesSomething, nameOne);
export type StayChange = z.infer<typeof channelStayChangeSchema>;
