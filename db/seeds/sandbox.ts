import type { Sequelize } from 'sequelize';
import type { Address } from '../../domain/orders/order';
import { setOnHand, upsertItem, upsertLocation } from '../inventory';
import { InventoryLevel } from '../models';
import { upsertProperty, type PropertySetup } from '../stays';

interface SeedTenant {
  tenantId: string;
  locations: Array<{ id: string; name: string; address: Address; latitude: number; longitude: number }>;
  items: Array<{
    sku: string;
    name: string;
    weightGrams: number;
    lowStockThreshold?: number;
    stock: Record<string, number>;
  }>;
}

/** Demo catalogue and stock for the sandbox tenants of the default config. */
export const SANDBOX_SEED: SeedTenant[] = [
  {
    tenantId: 'acme',
    locations: [
      {
        id: 'reno',
        name: 'Reno DC',
        latitude: 39.5296,
        longitude: -119.8138,
        address: {
          name: 'Acme Reno DC',
          line1: '1 Warehouse Way',
          city: 'Reno',
          region: 'NV',
          postalCode: '89502',
          country: 'US',
        },
      },
      {
        id: 'newark',
        name: 'Newark DC',
        latitude: 40.7357,
        longitude: -74.1724,
        address: {
          name: 'Acme Newark DC',
          line1: '200 Port St',
          city: 'Newark',
          region: 'NJ',
          postalCode: '07114',
          country: 'US',
        },
      },
    ],
    items: [
      { sku: 'TENT-2P', name: 'Two-person tent', weightGrams: 2100, stock: { reno: 40, newark: 25 } },
      {
        sku: 'STOVE-1',
        name: 'Camping stove',
        weightGrams: 800,
        lowStockThreshold: 5,
        stock: { reno: 15, newark: 0 },
      },
      { sku: 'MUG-TI', name: 'Titanium mug', weightGrams: 90, stock: { reno: 200, newark: 120 } },
    ],
  },
  {
    tenantId: 'globex',
    locations: [
      {
        id: 'austin',
        name: 'Austin store',
        latitude: 30.2672,
        longitude: -97.7431,
        address: {
          name: 'Globex Austin',
          line1: '9 Congress Ave',
          city: 'Austin',
          region: 'TX',
          postalCode: '78701',
          country: 'US',
        },
      },
    ],
    items: [{ sku: 'WIDGET', name: 'Widget', weightGrams: 300, stock: { austin: 500 } }],
  },
];

/** Demo property of the sandbox hotel tenant: two room types, two rate plans. */
export const SANDBOX_PROPERTIES: PropertySetup[] = [
  {
    tenantId: 'alpine',
    id: 'alpine-lodge',
    name: 'Alpine Lodge',
    timeZone: 'Europe/Vienna',
    currency: 'EUR',
    roomTypes: [
      { id: 'dbl', name: 'Double room', maxOccupancy: 2, rooms: ['101', '102', '103', '104', '105', '106'] },
      { id: 'fam', name: 'Family suite', maxOccupancy: 4, rooms: ['201', '202'] },
    ],
    ratePlans: [
      {
        id: 'dbl-flex',
        roomTypeId: 'dbl',
        name: 'Double, flexible',
        amount: '140.00',
        taxPercent: 10,
        cancellation: { freeUntilDaysBefore: 2, penalty: { nights: 1 } },
      },
      {
        id: 'fam-saver',
        roomTypeId: 'fam',
        name: 'Family suite, saver',
        amount: '220.00',
        taxPercent: 10,
        cancellation: { freeUntilDaysBefore: 14, penalty: { percent: 50 } },
      },
    ],
  },
];

/** Idempotent: creates what is missing and never overwrites stock that already exists. */
export async function seedSandbox(sequelize: Sequelize, tenants: string[]): Promise<void> {
  for (const property of SANDBOX_PROPERTIES.filter((p) => tenants.includes(p.tenantId)))
    await upsertProperty(sequelize, property);
  for (const seed of SANDBOX_SEED.filter((s) => tenants.includes(s.tenantId))) {
    for (const location of seed.locations)
      await upsertLocation(seed.tenantId, location.id, location.name, location.address, location);
    for (const item of seed.items) {
      await upsertItem(seed.tenantId, item.sku, item.name, {
        weightGrams: item.weightGrams,
        lowStockThreshold: item.lowStockThreshold,
      });
      for (const [locationId, onHand] of Object.entries(item.stock)) {
        const exists = await InventoryLevel.findOne({
          where: { tenantId: seed.tenantId, sku: item.sku, locationId },
        });
        if (!exists) await setOnHand(sequelize, seed.tenantId, item.sku, locationId, onHand, 'sandbox seed');
      }
    }
  }
}
