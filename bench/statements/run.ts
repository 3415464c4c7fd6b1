import { QueryTypes } from 'sequelize';
import { rowsOf } from '../../db/statements';
import { startBenchHub } from '../shared/hub';

/**
 * `npm run bench:statements [-- N]`: the CPU of one plain read (an order's retry check of its
 * reservation), N times through `sequelize.query` with bind parameters and N times through
 * `rowsOf` (the pg client of Sequelize's pool), three rounds, with the hub idle beside it. The
 * figure is the whole process's CPU a statement, so the client's own work is in both.
 */
const N = Number(process.argv[2] ?? 3000);
const SQL = `SELECT sku, location_id AS "locationId", quantity FROM stock_reservations
  WHERE tenant_id = $1 AND order_key = $2 AND status = 'held'`;

async function cpuPerCall(run: (i: number) => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < N; i++) await run(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / N;
}

async function main(): Promise<void> {
  const hub = await startBenchHub();
  const { sequelize } = hub.services;
  for (let round = 1; round <= 3; round++) {
    const viaSequelize = await cpuPerCall((i) =>
      sequelize.query(SQL, { bind: ['acme', `order-${i}`], type: QueryTypes.SELECT }),
    );
    const viaClient = await cpuPerCall((i) => rowsOf(sequelize, SQL, ['acme', `order-${i}`]));
    console.log(
      `round ${round}: sequelize.query ${viaSequelize.toFixed(0)} µs, rowsOf ${viaClient.toFixed(0)} µs of CPU a statement`,
    );
  }
  await hub.stop();
}

void main();
