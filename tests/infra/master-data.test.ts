import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryTypes } from 'sequelize';
import { stringify } from 'yaml';
import { extendAllCalendars } from '../../db/master-data/calendar';
import { reserveOrderStock } from '../../db/inventory';
import { MasterDataRefused, MasterDataService } from '../../db/master-data/service';
import { holdStay } from '../../db/stays/holds';
import type { ChannelMapping } from '../../domain/master-data/plan';
import { setupFileSchema, type SetupFileInput } from '../../domain/master-data/setup-file';
import { addDays, localDate } from '../../domain/stays/dates';
import { uniqueId } from '../support/fixtures';
import { doubleRoomStay } from '../support/properties';
import { LODGE_FLEX_RATE, lodgeSetupFile } from '../support/setup-files';
import { databaseForTests } from '../support/database';

const ADDRESS = { name: 'DC', line1: '1 Dock Rd', city: 'Reno', postalCode: '89502', country: 'US' };

/** A tenant's setup file applied to real PostgreSQL through the master data service. */
describe('master data in PostgreSQL', () => {
  const sequelize = databaseForTests();
  const horizonDays = 40;
  const service = (mappings: ChannelMapping[] = []) =>
    new MasterDataService({ sequelize: sequelize(), mappings, horizonDays: () => horizonDays });

  const select = <T extends object>(sql: string, replacements: Record<string, unknown>) =>
    sequelize().query<T>(sql, { replacements, type: QueryTypes.SELECT });

  /** Rows written to the master tables and the stock ledger, from the statistics PostgreSQL keeps. */
  async function writesSoFar(): Promise<number> {
    await sequelize().query('SELECT pg_stat_force_next_flush()');
    const [row] = await select<{ n: string }>(
      `SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) AS n FROM pg_stat_user_tables
        WHERE relname IN ('locations', 'items', 'inventory_levels', 'inventory_movements', 'properties',
                          'room_types', 'rooms', 'rate_plans', 'room_type_calendar')`,
      {},
    );
    return Number(row!.n);
  }

  function merchant(tenant: string, extra: Partial<SetupFileInput> = {}) {
    return setupFileSchema.parse({
      tenant,
      locations: [
        { id: 'west', name: 'West DC', address: ADDRESS, shipsTo: ['US'] },
        { id: 'east', name: 'East DC', address: ADDRESS },
      ],
      items: [
        { sku: 'TENT', name: 'Tent', weightGrams: 2100, openingStock: { west: 10, east: 4 } },
        { sku: 'MUG', name: 'Mug', weightGrams: 90, lowStockThreshold: 5, openingStock: { west: 50 } },
      ],
      ...extra,
    });
  }

  it('applies a file once: a second apply finds nothing to do and writes nothing', async () => {
    const tenant = uniqueId('md');
    const plan = await service().plan(merchant(tenant));
    expect(plan.changes.map((c) => `${c.action} ${c.kind} ${c.key}`)).toEqual([
      'create location west',
      'create location east',
      'create item TENT',
      'create item MUG',
    ]);
    expect(plan.openingStock).toHaveLength(3);
    expect(await select('SELECT 1 FROM items WHERE tenant_id = :tenant', { tenant })).toEqual([]); // plan wrote nothing

    await service().apply(merchant(tenant));
    const levels = await select<{ sku: string; location_id: string; on_hand: number }>(
      `SELECT sku, location_id, on_hand FROM inventory_levels WHERE tenant_id = :tenant ORDER BY sku, location_id`,
      { tenant },
    );
    expect(levels).toEqual([
      { sku: 'MUG', location_id: 'west', on_hand: 50 },
      { sku: 'TENT', location_id: 'east', on_hand: 4 },
      { sku: 'TENT', location_id: 'west', on_hand: 10 },
    ]);

    // Orders took stock since: applying the file again resets nothing.
    await reserveOrderStock(sequelize(), tenant, 'order:1', [{ sku: 'TENT', quantity: 3 }]);
    const before = await writesSoFar();
    const again = await service().apply(merchant(tenant));
    expect(again.changes).toEqual([]);
    expect(again.openingStock).toEqual([]);
    expect(await writesSoFar()).toBe(before);
  });

  it('retires what the file no longer declares, unless an open order holds it, and then writes nothing', async () => {
    const tenant = uniqueId('md');
    await service().apply(merchant(tenant));
    await reserveOrderStock(sequelize(), tenant, `order:${tenant}:rest:1`, [{ sku: 'MUG', quantity: 2 }]);
    const withoutMug = merchant(tenant, {
      items: [{ sku: 'TENT', name: 'Tent (green)', weightGrams: 2100 }],
    });
    const refused = await service()
      .apply(withoutMug)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MasterDataRefused);
    expect((refused as MasterDataRefused).message).toBe(
      `item MUG is held by open orders: order:${tenant}:rest:1`,
    );
    const [tent] = await select<{ name: string }>(
      `SELECT name FROM items WHERE tenant_id = :tenant AND sku = 'TENT'`,
      {
        tenant,
      },
    );
    expect(tent!.name).toBe('Tent'); // the whole file was refused, the rename with it

    await sequelize().query(`UPDATE stock_reservations SET status = 'released' WHERE tenant_id = :tenant`, {
      replacements: { tenant },
    });
    await sequelize().query(`UPDATE inventory_levels SET reserved = 0 WHERE tenant_id = :tenant`, {
      replacements: { tenant },
    });
    const applied = await service().apply(withoutMug);
    expect(
      applied.changes.map((c) => `${c.action} ${c.kind} ${c.key} ${c.fields?.join(',') ?? ''}`.trim()),
    ).toEqual(['change item TENT name', 'retire item MUG']);
    const [mug] = await select<{ retired: boolean }>(
      `SELECT retired_at IS NOT NULL AS retired FROM items WHERE tenant_id = :tenant AND sku = 'MUG'`,
      { tenant },
    );
    expect(mug!.retired).toBe(true);
    // A retired SKU cannot be ordered, nor an inactive one.
    await expect(
      reserveOrderStock(sequelize(), tenant, 'order:2', [{ sku: 'MUG', quantity: 1 }]),
    ).rejects.toMatchObject({
      type: 'UnknownSku',
    });
    await service().put(tenant, 'item', { key: 'TENT' }, { name: 'Tent', weightGrams: 2100, active: false });
    await expect(
      reserveOrderStock(sequelize(), tenant, 'order:3', [{ sku: 'TENT', quantity: 1 }]),
    ).rejects.toMatchObject({ type: 'InactiveSku', reasons: ['SKU TENT is not sold (inactive)'] });
  });

  it('leaves alone what the API made, and refuses opening stock at a location that does not exist', async () => {
    const tenant = uniqueId('md');
    await service().apply(merchant(tenant));
    await service().put(tenant, 'item', { key: 'LANTERN' }, { name: 'Lantern', weightGrams: 400 });
    expect((await service().apply(merchant(tenant))).changes).toEqual([]);
    const typo = merchant(tenant, {
      items: [{ sku: 'TENT', name: 'Tent', weightGrams: 2100, openingStock: { wets: 1 } }],
    });
    await expect(service().apply(typo)).rejects.toThrow(
      'items[0].openingStock.wets: location wets does not exist or is retired',
    );
  });

  function hotel(tenant: string, extra: Record<string, unknown> = {}, more: Record<string, unknown> = {}) {
    return lodgeSetupFile(
      tenant,
      {
        roomTypes: [
          { id: 'dbl', name: 'Double', maxOccupancy: 2 },
          { id: 'fam', name: 'Family', maxOccupancy: 4, baseOccupancy: 2 },
        ],
        rooms: [
          { number: '101', roomTypeId: 'dbl' },
          { number: '102', roomTypeId: 'dbl' },
          { number: '201', roomTypeId: 'fam' },
        ],
        ratePlans: [
          LODGE_FLEX_RATE,
          {
            id: 'fam-flex',
            roomTypeId: 'fam',
            name: 'Family',
            amount: '150',
            extraGuestAmount: '30',
            taxPercent: 10,
            cancellation: { freeUntilDaysBefore: 2, penalty: { nights: 1 } },
            noShow: { penalty: { percent: 100 } },
          },
        ],
        ...extra,
      },
      more,
    );
  }
  const today = localDate(Date.now(), 'Europe/Vienna');

  async function calendar(tenant: string, roomTypeId: string) {
    return select<{ date: string; physical: number; closed_period: boolean }>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, physical, closed_period FROM room_type_calendar
        WHERE tenant_id = :tenant AND room_type_id = :roomTypeId ORDER BY date`,
      { tenant, roomTypeId },
    );
  }

  it('keeps each room type’s calendar ahead with its rooms counted and its closed periods closed', async () => {
    const tenant = uniqueId('md');
    const closedFrom = addDays(today, 10);
    await service().apply(
      hotel(tenant, {
        closedPeriods: [{ from: closedFrom, to: addDays(closedFrom, 2), roomTypeIds: ['fam'] }],
      }),
    );
    const dbl = await calendar(tenant, 'dbl');
    expect(dbl).toHaveLength(horizonDays + 1);
    expect(dbl[0]).toEqual({ date: today, physical: 2, closed_period: false });
    const fam = await calendar(tenant, 'fam');
    expect(fam.filter((d) => d.closed_period).map((d) => d.date)).toEqual([
      closedFrom,
      addDays(closedFrom, 1),
      addDays(closedFrom, 2),
    ]);
    // A closed night cannot be booked, and the rate plan's extra guest and no-show terms are the stay's.
    const stay = (arrival: string, adults: number) => ({
      propertyId: 'lodge',
      roomTypeId: 'fam',
      ratePlanId: 'fam-flex',
      arrival,
      departure: addDays(arrival, 1),
      guests: { adults, children: 0 },
      guest: { name: 'Ada' },
    });
    await expect(
      holdStay(sequelize(), { tenantId: tenant, reservationKey: 'r1', stay: stay(closedFrom, 2) }),
    ).rejects.toMatchObject({ type: 'NotAvailable' });
    const held = await holdStay(sequelize(), {
      tenantId: tenant,
      reservationKey: 'r2',
      stay: stay(addDays(today, 3), 4),
    });
    expect(held).toMatchObject({ nightly: ['210.00'], noShow: { penalty: { percent: 100 } } });

    // Taking a room out of the file takes it off the calendar from today on.
    const smaller = hotel(tenant, {
      closedPeriods: [{ from: closedFrom, to: addDays(closedFrom, 2), roomTypeIds: ['fam'] }],
      rooms: [
        { number: '101', roomTypeId: 'dbl' },
        { number: '201', roomTypeId: 'fam' },
      ],
    });
    expect((await service().apply(smaller)).changes.map((c) => `${c.action} ${c.key}`)).toEqual([
      'retire lodge/102',
    ]);
    expect((await calendar(tenant, 'dbl')).every((d) => d.physical === 1)).toBe(true);
  });

  it('refuses to retire a room type with a future stay, naming the stay, and keeps every night', async () => {
    const tenant = uniqueId('md');
    await service().apply(hotel(tenant));
    const holdDouble = (id: string, arrival: string) =>
      holdStay(sequelize(), {
        tenantId: tenant,
        reservationKey: `reservation:${tenant}:rest:${id}`,
        stay: doubleRoomStay({
          propertyId: 'lodge',
          arrival,
          departure: addDays(today, 7),
          adults: 2,
          guestName: 'Ada',
        }),
      });
    await holdDouble('R1', addDays(today, 5));
    const withoutDoubles = setupFileSchema.parse({
      tenant,
      properties: [
        {
          ...hotel(tenant).properties[0]!,
          roomTypes: [{ id: 'fam', name: 'Family', maxOccupancy: 4 }],
          rooms: [{ number: '201', roomTypeId: 'fam' }],
          ratePlans: hotel(tenant).properties[0]!.ratePlans.filter((p) => p.roomTypeId === 'fam'),
        },
      ],
    });
    await expect(service().apply(withoutDoubles)).rejects.toThrow(
      `room type lodge/dbl has future stays: reservation:${tenant}:rest:R1; rate plan lodge/flex has future stays: reservation:${tenant}:rest:R1`,
    );
    // Nor can a room go while every double is taken on a night.
    await holdDouble('R2', addDays(today, 6));
    await expect(service().retire(tenant, 'room', { propertyId: 'lodge', key: '102' })).rejects.toThrow(
      `room type lodge/dbl would keep 1 room(s), fewer than these nights have taken: ${addDays(today, 6)} (2)`,
    );
    expect((await calendar(tenant, 'dbl')).every((d) => d.physical === 2)).toBe(true);
  });

  it('checks what an OTA connection maps against its property, naming the field', async () => {
    const tenant = uniqueId('md');
    const mapping: ChannelMapping = {
      path: 'connectors[7]',
      connectorId: 'lodge-ota',
      tenantId: tenant,
      propertyId: 'lodge',
      roomTypes: { dbl: 'DOUBLE', ste: 'SUITE' },
      ratePlans: { flex: 'FLEX' },
    };
    await expect(service([mapping]).apply(hotel(tenant))).rejects.toThrow(
      'connectors[7].options.roomTypes.ste: lodge-ota maps room type ste, which property lodge does not sell',
    );
    const fixed = { ...mapping, roomTypes: { dbl: 'DOUBLE' } };
    await service([fixed]).apply(hotel(tenant));
    expect(await service([mapping]).mappingIssues(tenant)).toEqual([
      {
        path: 'connectors[7].options.roomTypes.ste',
        message: 'lodge-ota maps room type ste, which property lodge does not sell',
      },
    ]);
    // Retiring a mapped rate plan is refused while the connection maps it.
    await expect(
      service([fixed]).retire(tenant, 'ratePlan', { propertyId: 'lodge', key: 'flex' }),
    ).rejects.toThrow('connectors[7].options.ratePlans.flex');
  });

  it('keeps calendars their horizon ahead by the daily run, and a new location with stock marks the stores selling from it', async () => {
    const tenant = uniqueId('md');
    await service().apply(hotel(tenant));
    // The horizon moved on (a day later, or a tenant that now looks further ahead).
    const longer = await extendAllCalendars(sequelize(), (t) =>
      t === tenant ? horizonDays + 10 : undefined,
    );
    expect(longer.properties).toBe(1);
    expect(await calendar(tenant, 'dbl')).toHaveLength(horizonDays + 11);

    await sequelize().query(
      `INSERT INTO stock_connections (tenant_id, connector_id, location_ids) VALUES (:tenant, 'store', ARRAY['dallas'])`,
      { replacements: { tenant } },
    );
    await service().apply(
      merchant(tenant, {
        locations: [{ id: 'dallas', name: 'Dallas DC', address: ADDRESS }],
        items: [{ sku: 'TENT', name: 'Tent', weightGrams: 2100, openingStock: { dallas: 7 } }],
      }),
    );
    expect(
      await select(`SELECT connector_id, sku, location_id FROM stock_dirty WHERE tenant_id = :tenant`, {
        tenant,
      }),
    ).toEqual([{ connector_id: 'store', sku: 'TENT', location_id: 'dallas' }]);
  });

  it('plans and applies with npm run setup, printing each change; a refused apply exits 1 and writes nothing', () => {
    const tenant = uniqueId('cli');
    const dir = mkdtempSync(join(tmpdir(), 'crossdock-setup-'));
    const configPath = join(dir, 'crossdock.config.yaml');
    writeFileSync(
      configPath,
      stringify({
        tenants: [
          { id: tenant, name: 'CLI', kind: 'merchant', apiKeys: [{ env: 'CLI_KEY' }], setup: 'setup.yaml' },
        ],
      }),
    );
    const write = (file: unknown) => writeFileSync(join(dir, 'setup.yaml'), stringify(file));
    const setup = (command: string) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', join(__dirname, '..', '..', 'scripts', 'setup.ts'), command, tenant],
        {
          env: { ...process.env, CROSSDOCK_CONFIG: configPath },
          encoding: 'utf8',
        },
      );
    write(merchant(tenant));
    const plan = setup('plan');
    expect({ status: plan.status, stderr: plan.stderr }).toEqual({ status: 0, stderr: '' });
    expect(plan.stdout).toContain('+ create  item TENT');
    expect(plan.stdout).toContain('+ stock   TENT @ west: 10 on hand (opening)');
    expect(plan.stdout).toContain(
      `${tenant}: 4 to create, 0 to change, 0 to restore, 0 to retire, 3 opening stock level(s)`,
    );
    const apply = setup('apply');
    expect(apply.status).toBe(0);
    expect(setup('apply').stdout).toContain('(nothing to do)');
    write({
      ...merchant(tenant),
      items: [{ sku: 'TENT', name: 'Tent', weightGrams: 2100, openingStock: { nowhere: 1 } }],
    });
    const refused = setup('apply');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      'items[0].openingStock.nowhere: location nowhere does not exist or is retired',
    );
    expect(setup('plan').stderr).toContain('plan refused, nothing written');
  });

  it('serialises writes per tenant: of two PUTs with the same ETag, one gets 412', async () => {
    const tenant = uniqueId('md');
    const first = await service().put(tenant, 'item', { key: 'TENT' }, { name: 'Tent', weightGrams: 2100 });
    expect(first.created).toBe(true);
    const outcomes = await Promise.allSettled(
      ['Tent (green)', 'Tent (blue)'].map((name) =>
        service().put(tenant, 'item', { key: 'TENT' }, { name, weightGrams: 2100 }, { ifMatch: first.etag }),
      ),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'precondition_failed' });
  });
});
