import { z } from 'zod';
import { addressSchema } from '../orders/order';
import { code, countryCode, name } from './common';

export const LOCATION_KINDS = ['warehouse', 'store'] as const;

export const coordinatesSchema = z
  .object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) })
  .strict();

/**
 * A place stock is kept and shipped from. Orders are routed only to active locations that ship
 * to the parcel's country (`shipsTo`, empty: anywhere), nearest first when both sides have
 * coordinates.
 */
export const locationSchema = z
  .object({
    id: code,
    name,
    kind: z.enum(LOCATION_KINDS).default('warehouse'),
    address: addressSchema().strict(),
    coordinates: coordinatesSchema.optional(),
    shipsTo: z.array(countryCode).max(250).default([]),
    active: z.boolean().default(true),
  })
  .strict()
  .meta({ description: 'A warehouse or store that keeps stock and ships orders.' });
export type LocationRecord = z.infer<typeof locationSchema>;
