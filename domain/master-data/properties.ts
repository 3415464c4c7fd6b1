import { z } from 'zod';
import { nonBlank, storableText } from '../shared/text';
import { addressSchema } from '../orders/order';
import { calendarDateSchema } from '../stays/dates';
import { code, currencyCode, moneyAmount, name } from './common';

const calendarDate = calendarDateSchema;
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM');
const guests = z.number().int('must be a whole number').min(1).max(20);

/** The IANA time zones a property may be in: the runtime's canonical names, and UTC. */
export const TIME_ZONES: readonly string[] = [...Intl.supportedValuesOf('timeZone'), 'UTC'];

export function isTimeZone(zone: string): boolean {
  return TIME_ZONES.includes(zone);
}

/** Nights nobody can book: the whole property, or only the room types named. */
export const closedPeriodSchema = z
  .object({
    from: calendarDate,
    /** The last closed night (inclusive). */
    to: calendarDate,
    roomTypeIds: z.array(code).min(1).max(100).optional(),
    reason: storableText(200, { trim: true }).optional(),
  })
  .strict()
  .refine((p) => p.from <= p.to, { message: 'must not be before from', path: ['to'] });
export type ClosedPeriod = z.infer<typeof closedPeriodSchema>;

export const propertySchema = z
  .object({
    id: code,
    name,
    timeZone: z
      .string()
      .refine(isTimeZone, 'must be an IANA time zone such as "Europe/Vienna"')
      .meta({ enum: [...TIME_ZONES] }),
    currency: currencyCode,
    address: addressSchema().strict().optional(),
    checkInTime: clockTime.default('15:00'),
    checkOutTime: clockTime.default('11:00'),
    closedPeriods: z.array(closedPeriodSchema).max(200).default([]),
  })
  .strict()
  .meta({ description: 'A hotel or other lodging that sells room nights.' });
export type PropertyRecord = z.infer<typeof propertySchema>;

export const roomTypeSchema = z
  .object({
    id: code,
    name,
    maxOccupancy: guests,
    /** Guests the nightly amount covers; each guest above it pays the rate plan's extra-guest amount. */
    baseOccupancy: guests.optional(),
  })
  .strict()
  .refine((t) => (t.baseOccupancy ?? 1) <= t.maxOccupancy, {
    message: 'must not exceed maxOccupancy',
    path: ['baseOccupancy'],
  })
  .transform((t) => ({ ...t, baseOccupancy: t.baseOccupancy ?? Math.min(2, t.maxOccupancy) }))
  .meta({ description: 'A kind of room a property sells; its calendar counts its rooms.' });
export type RoomTypeRecord = z.output<typeof roomTypeSchema>;

export const ROOM_NUMBER_PATTERN = /^[A-Za-z0-9._-]{1,20}$/;
export const roomSchema = z
  .object({
    number: z.string().regex(ROOM_NUMBER_PATTERN, 'must be 1-20 letters, digits, ".", "_" or "-"'),
    roomTypeId: code,
    floor: nonBlank(20).optional(),
    features: z
      .array(z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be 1-40 lower-case letters, digits and "-"'))
      .max(50)
      .default([]),
  })
  .strict()
  .meta({ description: 'A physical room of a room type.' });
export type RoomRecord = z.infer<typeof roomSchema>;

const penaltySchema = z.union([
  z.object({ nights: z.number().int().min(1).max(30) }).strict(),
  z.object({ percent: z.number().min(0).max(100) }).strict(),
]);

/** Free until `freeUntilDaysBefore` days before arrival (property time), then the penalty. */
export const cancellationSchema = z
  .object({ freeUntilDaysBefore: z.number().int().min(0).max(365), penalty: penaltySchema })
  .strict();

export const MEALS = ['breakfast', 'lunch', 'dinner'] as const;

export const ratePlanSchema = z
  .object({
    id: code,
    roomTypeId: code,
    name,
    /** The nightly amount for the room type's base occupancy. */
    amount: moneyAmount,
    /** Per night, for each guest above the room type's base occupancy. */
    extraGuestAmount: moneyAmount.optional(),
    taxPercent: z.number().min(0).max(100).multipleOf(0.01),
    mealsIncluded: z
      .array(z.enum(MEALS))
      .max(MEALS.length)
      .refine((m) => new Set(m).size === m.length, 'names a meal twice')
      .default([]),
    cancellation: cancellationSchema,
    /** The fee when nobody arrives; without it, the cancellation penalty applies. */
    noShow: z.object({ penalty: penaltySchema }).strict().optional(),
    /** Without a guarantee a booking is a hold that expires; `false` confirms it at once. */
    guaranteeRequired: z.boolean().default(true),
    /** What confirming a booking asks as a deposit: a share of the stay or its first nights. */
    deposit: penaltySchema.optional(),
  })
  .strict()
  .meta({ description: 'A price and its terms for one room type.' });
export type RatePlanRecord = z.infer<typeof ratePlanSchema>;
export type RatePlanInput = z.input<typeof ratePlanSchema>;
