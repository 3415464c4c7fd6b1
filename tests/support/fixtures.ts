import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { setOnHand, upsertItem, upsertLocation } from '../../db/inventory';
import type { CanonicalOrderInput } from '../../domain/orders/order';

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export const CUSTOMER_ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 Analytical St',
  city: 'Portland',
  region: 'OR',
  postalCode: '97201',
  country: 'US',
};

/** Creates SKUs and locations of this test's own (unique names), with the stock given. */
export async function seedStock(
  sequelize: Sequelize,
  tenantId: string,
  stock: Record<string, Record<string, number>>,
): Promise<void> {
  const locations = new Set(Object.values(stock).flatMap((levels) => Object.keys(levels)));
  for (const location of locations) {
    await upsertLocation(tenantId, location, `Location ${location}`, {
      name: `Warehouse ${location}`,
      line1: '1 Dock Rd',
      city: 'Reno',
      region: 'NV',
      postalCode: '89502',
      country: 'US',
    });
  }
  for (const [sku, levels] of Object.entries(stock)) {
    await upsertItem(tenantId, sku, `Item ${sku}`, { weightGrams: 400 });
    for (const [location, onHand] of Object.entries(levels))
      await setOnHand(sequelize, tenantId, sku, location, onHand, 'test');
  }
}

export function restOrder(
  externalId: string,
  lines: Array<{ sku: string; quantity: number }>,
): CanonicalOrderInput {
  return {
    channel: 'rest',
    externalId,
    currency: 'USD',
    shippingAddress: CUSTOMER_ADDRESS,
    shippingService: 'ground',
    lines: lines.map((line) => ({ ...line, unitPrice: '19.99' })),
  };
}

export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
