import { machine } from '../shared/hub';
import { measureAri } from './ari';
import { measureStock } from './stock';
import { measureNightAudit } from './night-audit';
import { measureTenants } from './tenants';

/**
 * `npm run bench:scale -- ari|stock|night-audit|tenants [SIZES…]`: how a cost grows with the work, one fresh hub per size.
 * - `ari`: a complete set of free rooms, restrictions and rates to three OTAs for 10, 25 and 50
 *   room types × 365 nights (or the room-type counts given).
 * - `stock`: a complete set of stock to a Shopify store of 1,000, 10,000 and 50,000
 *   SKU-locations, with the catalogue read it starts with.
 * - `night-audit`: the night audit of a property of 50, 200 and 500 rooms, 96 % in house.
 * - `tenants`: 200 orders spread over 1, 10 and 100 merchant tenants, each with its own partner
 *   accounts, on one API and one worker process.
 * Prints one JSON document: the machine and a row per size, with each row's cost per unit of work
 * so growth faster than the work shows as a rising per-unit figure.
 */
/** Each measure: its default sizes, and what one size costs with its per-unit figures added. */
const MEASURES: Record<string, { sizes: number[]; row(size: number): Promise<object> }> = {
  ari: {
    sizes: [10, 25, 50],
    async row(roomTypes) {
      const row = await measureAri(roomTypes);
      const nights = row.nightsPerOta * row.otas;
      return {
        ...row,
        msPerThousandNights: Math.round((row.seconds * 1000 * 1000) / nights),
        bytesPerNight: Math.round(row.bytes / nights),
      };
    },
  },
  stock: {
    sizes: [1_000, 10_000, 50_000],
    async row(skuLocations) {
      const row = await measureStock(skuLocations);
      return {
        ...row,
        msPerLevel: Math.round(((row.completeSetSeconds * 1000) / row.skuLocations) * 100) / 100,
        levelsPerCall: Math.round((row.quantitiesSet / Math.max(1, row.graphqlCalls)) * 10) / 10,
      };
    },
  },
  'night-audit': {
    sizes: [50, 200, 500],
    async row(rooms) {
      const row = await measureNightAudit(rooms);
      return { ...row, msPerGuest: Math.round((row.chargedSeconds * 1000) / row.inHouse) };
    },
  },
  tenants: {
    sizes: [1, 10, 100],
    async row(merchants) {
      const row = await measureTenants(merchants);
      return {
        ...row,
        workerIdleMiBPerConnector: Math.round((row.workerIdleMiB / row.connectors) * 10) / 10,
      };
    },
  },
};

async function main(): Promise<void> {
  const [what, ...sizes] = process.argv.slice(2);
  const measure = what ? MEASURES[what] : undefined;
  if (!measure) throw new Error(`usage: npm run bench:scale -- ${Object.keys(MEASURES).join('|')} [sizes…]`);
  const rows = [];
  for (const size of sizes.length ? sizes.map(Number) : measure.sizes) {
    rows.push(await measure.row(size));
    console.error(JSON.stringify(rows.at(-1)));
  }
  console.log(JSON.stringify({ machine: machine(), at: new Date().toISOString(), [what!]: rows }, null, 2));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
