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
interface Measure {
  sizes: number[];
  row(size: number): Promise<object>;
}

/**
 * A measure whose row is what `measure` reports for one size, with the per-unit figures
 * `perUnit` derives from that report added after it.
 */
function measuredPerUnit<Report extends object>(
  sizes: number[],
  measure: (size: number) => Promise<Report>,
  perUnit: (report: Report) => object,
): Measure {
  return {
    sizes,
    async row(size) {
      const report = await measure(size);
      return { ...report, ...perUnit(report) };
    },
  };
}

/** Each measure: its default sizes, and what one size costs with its per-unit figures added. */
const MEASURES: Record<string, Measure> = {
  ari: measuredPerUnit([10, 25, 50], measureAri, (row) => {
    const nights = row.nightsPerOta * row.otas;
    return {
      msPerThousandNights: Math.round((row.seconds * 1000 * 1000) / nights),
      bytesPerNight: Math.round(row.bytes / nights),
    };
  }),
  stock: measuredPerUnit([1_000, 10_000, 50_000], measureStock, (row) => ({
    msPerLevel: Math.round(((row.completeSetSeconds * 1000) / row.skuLocations) * 100) / 100,
    levelsPerCall: Math.round((row.quantitiesSet / Math.max(1, row.graphqlCalls)) * 10) / 10,
  })),
  'night-audit': measuredPerUnit([50, 200, 500], measureNightAudit, (row) => ({
    msPerGuest: Math.round((row.chargedSeconds * 1000) / row.inHouse),
  })),
  tenants: measuredPerUnit([1, 10, 100], measureTenants, (row) => ({
    workerIdleMiBPerConnector: Math.round((row.workerIdleMiB / row.connectors) * 10) / 10,
  })),
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
