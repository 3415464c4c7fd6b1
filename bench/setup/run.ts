import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axios from 'axios';
import { QueryTypes, type Sequelize } from 'sequelize';
import { stringify } from 'yaml';
import { encodeCursor } from '../../api/pagination';
import type { SetupFileInput } from '../../domain/master-data/setup-file';
import { loadSetupFile } from '../../platform/config/setup-files';
import { machine, percentile, startBenchHub } from '../shared/hub';

/**
 * `npm run bench:setup -- [items] [locations] [properties] [rooms] [roomTypes] [ratePlans]`
 * (defaults 50,000 · 20 · 10 · 200 · 10 · 20): writes one tenant's setup file of that size, applies it
 * through the master data service (file read and validated, planned, written in one transaction,
 * calendars kept 400 nights ahead), applies it again unchanged (counting the rows PostgreSQL saw
 * written), then grows the catalogue to twice the items through the same service and reads pages
 * of `GET /v1/items` through the API at random places in it.
 */
const [ITEMS, LOCATIONS, PROPERTIES, ROOMS, ROOM_TYPES, RATE_PLANS] = [50_000, 20, 10, 200, 10, 20].map(
  (fallback, i) => Number(process.argv[2 + i] ?? fallback),
) as [number, number, number, number, number, number];
const PAGE_READS = 400;
const TENANT = 'bench-scale';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const pad = (n: number, width = 6) => String(n).padStart(width, '0');

function setupFile(): SetupFileInput {
  const locations = Array.from({ length: LOCATIONS }, (_, i) => ({
    id: `dc-${pad(i, 2)}`,
    name: `Distribution centre ${i}`,
    address: {
      name: `DC ${i}`,
      line1: `${i} Dock Rd`,
      city: 'Reno',
      region: 'NV',
      postalCode: '89502',
      country: 'US',
    },
    coordinates: { latitude: 30 + i / 2, longitude: -120 + i },
    shipsTo: ['US', 'CA'],
  }));
  const items = Array.from({ length: ITEMS }, (_, i) => ({
    sku: `SKU-${pad(i)}`,
    name: `Item ${i}`,
    weightGrams: 100 + (i % 5000),
    dimensions: { lengthMm: 100 + (i % 400), widthMm: 80 + (i % 300), heightMm: 20 + (i % 200) },
    lowStockThreshold: i % 10,
    hsCode: '6306.22',
    countryOfOrigin: 'US',
    openingStock: { [`dc-${pad(i % LOCATIONS, 2)}`]: 50, [`dc-${pad((i + 7) % LOCATIONS, 2)}`]: 20 },
  }));
  const properties = Array.from({ length: PROPERTIES }, (_, p) => ({
    id: `hotel-${pad(p, 2)}`,
    name: `Hotel ${p}`,
    timeZone: 'Europe/Vienna',
    currency: 'EUR',
    closedPeriods: [{ from: '2027-11-02', to: '2027-11-20', reason: 'maintenance' }],
    roomTypes: Array.from({ length: ROOM_TYPES }, (_, t) => ({
      id: `type-${t}`,
      name: `Room type ${t}`,
      maxOccupancy: 2 + (t % 3),
    })),
    rooms: Array.from({ length: ROOMS }, (_, r) => ({
      number: `${100 + r}`,
      roomTypeId: `type-${r % ROOM_TYPES}`,
      floor: String(1 + Math.floor(r / 20)),
      features: r % 4 === 0 ? ['balcony'] : [],
    })),
    ratePlans: Array.from({ length: RATE_PLANS }, (_, r) => ({
      id: `plan-${r}`,
      roomTypeId: `type-${r % ROOM_TYPES}`,
      name: `Plan ${r}`,
      amount: `${100 + r * 10}.00`,
      extraGuestAmount: '25.00',
      taxPercent: 10,
      mealsIncluded: r % 2 === 0 ? ['breakfast' as const] : [],
      cancellation: { freeUntilDaysBefore: 2, penalty: { nights: 1 } },
    })),
  }));
  return { tenant: TENANT, locations, items, properties };
}

/** Rows PostgreSQL saw inserted, updated or deleted in the tables master data lives in (and stock, calendars). */
async function rowsWritten(sequelize: Sequelize): Promise<number> {
  await sequelize.query('SELECT pg_stat_force_next_flush()');
  const [row] = await sequelize.query<{ n: string }>(
    `SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) AS n FROM pg_stat_user_tables
      WHERE relname IN ('locations', 'items', 'inventory_levels', 'inventory_movements', 'properties',
                        'room_types', 'rooms', 'rate_plans', 'room_type_calendar', 'stock_dirty', 'channel_dirty')`,
    { type: QueryTypes.SELECT },
  );
  return Number(row!.n);
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-bench-setup-'));
  const path = join(dir, `${TENANT}.yaml`);
  const [, generateMs] = await timed(async () =>
    writeFileSync(
      path,
      `# yaml-language-server: $schema=docs/schemas/setup.schema.json\n${stringify(setupFile())}`,
    ),
  );
  process.env.CROSSDOCK_API_KEY_BENCH_SCALE = `bench_${randomBytes(9).toString('hex')}`;
  const hub = await startBenchHub({
    adjust: (config) =>
      config.tenants.push({
        ...config.tenants.find((t) => t.id === 'globex')!,
        id: TENANT,
        name: 'Benchmark tenant',
        apiKeys: [{ env: 'CROSSDOCK_API_KEY_BENCH_SCALE', scopes: ['admin'] }],
        subscribers: [],
        setup: undefined, // applied below, where it is timed
      }),
  });
  const { masterData, sequelize } = hub.services;
  try {
    const [file, parseMs] = await timed(async () => loadSetupFile(path, TENANT));
    const [first, applyMs] = await timed(() => masterData.apply(file));
    const [againFile, reparseMs] = await timed(async () => loadSetupFile(path, TENANT));
    const before = await rowsWritten(sequelize);
    const [again, reapplyMs] = await timed(() => masterData.apply(againFile));
    const writtenAgain = (await rowsWritten(sequelize)) - before;

    // Twice the catalogue, declared as REST declares it, then pages read through the API.
    const [, growMs] = await timed(async () => {
      for (let i = ITEMS; i < 2 * ITEMS; i += 5_000)
        await masterData.declare(
          TENANT,
          Array.from({ length: Math.min(5_000, 2 * ITEMS - i) }, (_, k) => ({
            kind: 'item' as const,
            ref: { key: `SKU-${pad(i + k)}` },
            body: { name: `Item ${i + k}`, weightGrams: 250 },
          })),
        );
    });
    const [{ count }] = (await sequelize.query<{ count: string }>(
      `SELECT count(*) AS count FROM items WHERE tenant_id = :tenant`,
      { replacements: { tenant: TENANT }, type: QueryTypes.SELECT },
    )) as [{ count: string }];
    const http = axios.create({
      baseURL: hub.apiUrl,
      headers: { Authorization: `Bearer ${process.env.CROSSDOCK_API_KEY_BENCH_SCALE}` },
    });
    const randomSku = () => `SKU-${pad(Math.floor(Math.random() * 2 * ITEMS))}`;
    for (let i = 0; i < 100; i++) await http.get(`/v1/items?limit=100&cursor=${encodeCursor(randomSku())}`); // warm up
    const latencies: number[] = [];
    const serviceLatencies: number[] = [];
    for (let i = 0; i < PAGE_READS; i++) {
      const after = randomSku();
      let started = performance.now();
      const page = await http.get<{ items: unknown[] }>(`/v1/items?limit=100&cursor=${encodeCursor(after)}`);
      latencies.push(performance.now() - started);
      if (page.status !== 200 || page.data.items.length === 0)
        throw new Error(`GET /v1/items answered ${page.status}`);
      started = performance.now();
      await masterData.list(TENANT, 'item', { after, limit: 100 });
      serviceLatencies.push(performance.now() - started);
    }
    const calendar = await sequelize.query<{ nights: string }>(
      `SELECT count(*) AS nights FROM room_type_calendar WHERE tenant_id = :tenant`,
      { replacements: { tenant: TENANT }, type: QueryTypes.SELECT },
    );
    const result = {
      machine: machine(),
      file: {
        items: ITEMS,
        locations: LOCATIONS,
        properties: PROPERTIES,
        roomsPerProperty: ROOMS,
        roomTypesPerProperty: ROOM_TYPES,
        ratePlansPerProperty: RATE_PLANS,
        megabytes: Number((statSync(path).size / 2 ** 20).toFixed(1)),
        generated: seconds(generateMs),
      },
      firstApply: {
        readAndValidate: seconds(parseMs),
        planAndWrite: seconds(applyMs),
        total: seconds(parseMs + applyMs),
        changes: first.changes.length,
        openingStock: first.openingStock.length,
        calendarNights: Number(calendar[0]!.nights),
      },
      reapplyUnchanged: {
        readAndValidate: seconds(reparseMs),
        plan: seconds(reapplyMs),
        total: seconds(reparseMs + reapplyMs),
        changes: again.changes.length,
        openingStock: again.openingStock.length,
        rowsWritten: writtenAgain,
      },
      itemsPages: {
        catalogue: Number(count),
        grownIn: seconds(growMs),
        reads: PAGE_READS,
        pageSize: 100,
        p50Ms: Number(percentile(latencies, 50).toFixed(1)),
        p95Ms: Number(percentile(latencies, 95).toFixed(1)),
        maxMs: Number(Math.max(...latencies).toFixed(1)),
        serviceP50Ms: Number(percentile(serviceLatencies, 50).toFixed(1)),
        serviceP95Ms: Number(percentile(serviceLatencies, 95).toFixed(1)),
      },
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await hub.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
