import { z } from 'zod';
import { TENANT_ID_PATTERN } from '../shared/tenant';
import { code } from './common';
import { itemSchema } from './items';
import { locationSchema } from './locations';
import { propertySchema, ratePlanSchema, roomSchema, roomTypeSchema } from './properties';

const units = z.number().int('must be a whole number').min(0).max(10_000_000);

/** An item as a setup file declares it: the item, and the stock it starts with. */
export const setupItemSchema = itemSchema.extend({
  /**
   * On-hand units per location, set only where the SKU has no stock level there yet: later
   * counts go through `PUT /v1/inventory/:sku/:location`, and applying the file again never
   * resets what orders and counts have changed since.
   */
  openingStock: z.record(code, units).optional(),
});

export const setupPropertySchema = propertySchema.extend({
  roomTypes: z.array(roomTypeSchema).max(500).default([]),
  rooms: z.array(roomSchema).max(10_000).default([]),
  ratePlans: z.array(ratePlanSchema).max(2_000).default([]),
});

/**
 * A tenant's setup file: everything the tenant sells and ships from, declared in one YAML
 * document. Applying it creates and changes what it declares; what was declared by the file and
 * is no longer in it is retired (never deleted), unless something open depends on it.
 */
export const setupFileSchema = z
  .object({
    tenant: z.string().regex(TENANT_ID_PATTERN, 'must be a tenant id of the config'),
    locations: z.array(locationSchema).max(10_000).default([]),
    items: z.array(setupItemSchema).max(500_000).default([]),
    properties: z.array(setupPropertySchema).max(1_000).default([]),
  })
  .strict()
  .superRefine((file, ctx) => {
    const unique = <T>(list: T[], keyOf: (t: T) => string, path: Array<string | number>, field: string) => {
      const seen = new Set<string>();
      list.forEach((entry, index) => {
        const key = keyOf(entry);
        if (seen.has(key))
          ctx.addIssue({
            code: 'custom',
            path: [...path, index, field],
            message: `"${key}" is declared twice`,
          });
        seen.add(key);
      });
    };
    unique(file.locations, (l) => l.id, ['locations'], 'id');
    unique(file.items, (i) => i.sku, ['items'], 'sku');
    unique(file.properties, (p) => p.id, ['properties'], 'id');
    file.properties.forEach((property, p) => {
      const at = ['properties', p];
      unique(property.roomTypes, (t) => t.id, [...at, 'roomTypes'], 'id');
      unique(property.rooms, (r) => r.number, [...at, 'rooms'], 'number');
      unique(property.ratePlans, (r) => r.id, [...at, 'ratePlans'], 'id');
      const types = new Set(property.roomTypes.map((t) => t.id));
      const known = (id: string, path: Array<string | number>) => {
        if (!types.has(id))
          ctx.addIssue({
            code: 'custom',
            path,
            message: `names room type "${id}", which property ${property.id} does not declare`,
          });
      };
      property.rooms.forEach((room, i) => known(room.roomTypeId, [...at, 'rooms', i, 'roomTypeId']));
      property.ratePlans.forEach((plan, i) => known(plan.roomTypeId, [...at, 'ratePlans', i, 'roomTypeId']));
      property.closedPeriods.forEach((period, i) =>
        period.roomTypeIds?.forEach((id, j) => known(id, [...at, 'closedPeriods', i, 'roomTypeIds', j])),
      );
    });
  })
  .meta({ title: 'Crossdock tenant setup file' });
export type SetupFile = z.output<typeof setupFileSchema>;
export type SetupFileInput = z.input<typeof setupFileSchema>;
