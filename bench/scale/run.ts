import { machine } from '../shared/hub';
import { measureAri } from './ari';
import { measureStock } from './stock';
import { measureNightAudit } from './night-audit';

/**
 * `npm run bench:scale -- ari [SIZES…]`: how a cost grows with the work, one fresh hub per size.
 * - `ari`: a complete set of free rooms, restrictions and rates to three OTAs for 10, 25 and 50
 *   room types × 365 nights (or the room-type counts given).
 * - `stock`: a complete set of stock to a Shopify store of 1,000, 10,000 and 50,000
 *   SKU-locations, and the catalogue read of the same store.
 * - `night-audit`: the night audit of a property of 50, 200 and 500 rooms, 96 % in house.
 * Prints one JSON document: the machine and a row per size, with each row's cost per unit of work
 * so growth faster than the work shows as a rising per-unit figure.
 */
async function main(): Promise<void> {
  const [what, ...sizes] = process.argv.slice(2);
  const counts = sizes.length ? sizes.map(Number) : undefined;
  if (what === 'ari') {
    const rows = [];
    for (const roomTypes of counts ?? [10, 25, 50]) {
      const row = await measureAri(roomTypes);
      rows.push({
        ...row,
        msPerThousandNights: Math.round((row.seconds * 1000 * 1000) / (row.nightsPerOta * row.otas)),
        bytesPerNight: Math.round(row.bytes / (row.nightsPerOta * row.otas)),
      });
      console.error(JSON.stringify(rows.at(-1)));
    }
    console.log(JSON.stringify({ machine: machine(), at: new Date().toISOString(), ari: rows }, null, 2));
    return;
  }
  if (what === 'stock') {
    const rows = [];
    for (const skuLocations of counts ?? [1_000, 10_000, 50_000]) {
      const row = await measureStock(skuLocations);
      rows.push({
        ...row,
        msPerLevel: Math.round(((row.completeSetSeconds * 1000) / row.skuLocations) * 100) / 100,
        levelsPerCall: Math.round((row.quantitiesSet / Math.max(1, row.graphqlCalls)) * 10) / 10,
      });
      console.error(JSON.stringify(rows.at(-1)));
    }
    console.log(JSON.stringify({ machine: machine(), at: new Date().toISOString(), stock: rows }, null, 2));
    return;
  }
  if (what === 'night-audit') {
    const rows = [];
    for (const rooms of counts ?? [50, 200, 500]) {
      const row = await measureNightAudit(rooms);
      rows.push({ ...row, msPerGuest: Math.round((row.chargedSeconds * 1000) / row.inHouse) });
      console.error(JSON.stringify(rows.at(-1)));
    }
    console.log(
      JSON.stringify({ machine: machine(), at: new Date().toISOString(), nightAudit: rows }, null, 2),
    );
    return;
  }
  throw new Error(`usage: npm run bench:scale -- ari|stock|night-audit [sizes…]`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
