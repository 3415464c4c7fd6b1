import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryTypes } from 'sequelize';
import { stringify } from 'yaml';
import type { SetupFileInput } from '../../domain/master-data/setup-file';
import type { OrderView } from '../../domain/orders/status';
import { addDays, localDate } from '../../domain/stays/dates';
import type { ReservationView } from '../../domain/stays/reservation';
import type { HubConfig } from '../../platform/config/schema';
import { loadSetupFile } from '../../platform/config/setup-files';
import {
  acmeHeaders,
  eventually,
  http,
  quotedShipments,
  restOrder,
  setTrackingProgression,
  uniqueId,
  waitForOrder,
} from '../support/fixtures';
import { recordHistoryIfAsked } from '../support/histories';
import { startTestHub, type TestHub } from '../support/hub';

const DIR = mkdtempSync(join(tmpdir(), 'crossdock-tenant-'));
const MERCHANT = 'tidewater';
const HOTEL = 'fjord';
const TIME_ZONE = 'Europe/Oslo';

/** A file as an integrator writes it, with the line that points their editor at its schema. */
function writeSetup(name: string, file: SetupFileInput): string {
  const path = join(DIR, `${name}.yaml`);
  writeFileSync(path, `# yaml-language-server: $schema=docs/schemas/setup.schema.json\n${stringify(file)}`);
  return path;
}

const address = (name: string, city: string, country: string) => ({
  name,
  line1: '1 Harbour Rd',
  city,
  postalCode: '5003',
  country,
});

const merchantFile: SetupFileInput = {
  tenant: MERCHANT,
  locations: [
    {
      id: 'bergen',
      name: 'Bergen warehouse',
      address: address('Tidewater Bergen', 'Bergen', 'NO'),
      coordinates: { latitude: 60.39, longitude: 5.32 },
      shipsTo: ['US', 'NO'],
    },
  ],
  items: [
    {
      sku: 'PADDLE-1',
      name: 'Carbon paddle',
      weightGrams: 900,
      dimensions: { lengthMm: 2200, widthMm: 180, heightMm: 60 },
      openingStock: { bergen: 12 },
    },
  ],
};

const hotelFile: SetupFileInput = {
  tenant: HOTEL,
  properties: [
    {
      id: 'fjord-hotel',
      name: 'Fjord Hotel',
      timeZone: TIME_ZONE,
      currency: 'NOK',
      address: address('Fjord Hotel', 'Flåm', 'NO'),
      roomTypes: [{ id: 'std', name: 'Standard', maxOccupancy: 2 }],
      rooms: [
        { number: '101', roomTypeId: 'std', floor: '1' },
        { number: '102', roomTypeId: 'std', floor: '1', features: ['fjord-view'] },
      ],
      ratePlans: [
        {
          id: 'std-flex',
          roomTypeId: 'std',
          name: 'Standard, flexible',
          amount: '1200.00',
          taxPercent: 12,
          cancellation: { freeUntilDaysBefore: 1, penalty: { nights: 1 } },
        },
      ],
    },
  ],
};

/** Two tenants nobody seeded: they exist only in this config and their setup files. */
function addTenants(config: HubConfig, paths: { merchant: string; hotel: string }): void {
  process.env.CROSSDOCK_API_KEY_TIDEWATER ??= `test_${randomBytes(12).toString('hex')}`;
  process.env.CROSSDOCK_API_KEY_FJORD ??= `test_${randomBytes(12).toString('hex')}`;
  const sandbox = process.env.CROSSDOCK_SANDBOX_URL!;
  const connector = (id: string, tenant: string) => ({
    id,
    tenant,
    rateLimit: { requestsPerSecond: 10 },
    timeouts: { requestMs: 10_000 },
    options: {},
  });
  config.tenants.push(
    {
      ...config.tenants.find((t) => t.id === 'globex')!,
      id: MERCHANT,
      name: 'Tidewater Kayaks',
      apiKeys: [{ env: 'CROSSDOCK_API_KEY_TIDEWATER', scopes: ['admin'] }],
      defaults: { carrier: 'tidewater-carrier' },
      orders: { ...config.tenants.find((t) => t.id === 'globex')!.orders, accounting: undefined },
      subscribers: [],
      setup: paths.merchant,
    },
    {
      ...config.tenants.find((t) => t.id === 'alpine')!,
      id: HOTEL,
      name: 'Fjord Hotel AS',
      currency: 'NOK',
      apiKeys: [{ env: 'CROSSDOCK_API_KEY_FJORD', scopes: ['admin'] }],
      stays: {
        ...config.tenants.find((t) => t.id === 'alpine')!.stays,
        lock: 'fjord-locks',
        accounting: undefined,
      },
      subscribers: [],
      setup: paths.hotel,
    },
  );
  config.connectors.push(
    {
      ...connector('tidewater-carrier', MERCHANT),
      kind: 'carrier',
      type: 'easypost',
      baseUrl: `${sandbox}/easypost/v2`,
      credentials: {
        apiKey: { env: 'CROSSDOCK_SANDBOX_EASYPOST_KEY' },
        webhookSecret: { env: 'CROSSDOCK_CARRIER_WEBHOOK_SECRET' },
      },
    },
    {
      ...connector('fjord-locks', HOTEL),
      kind: 'lock',
      type: 'sandbox-lock',
      baseUrl: `${sandbox}/locks/api/v1`,
      credentials: { apiToken: { env: 'CROSSDOCK_SANDBOX_LOCK_TOKEN' } },
    },
    {
      ...connector('fjord-ota', HOTEL),
      kind: 'ota',
      type: 'alpinebits',
      baseUrl: `${sandbox}/alpinebits/ota-a`,
      credentials: {
        password: { env: 'CROSSDOCK_SANDBOX_OTA_PASSWORD' },
        inboundPassword: { env: 'CROSSDOCK_SANDBOX_OTA_PUSH_PASSWORD' },
      },
      options: {
        propertyId: 'fjord-hotel',
        hotelCode: 'FJORD-HOTEL',
        roomTypes: { std: 'STD' },
        ratePlans: { 'std-flex': 'FLEX' },
        requestsPerMinute: 600,
        horizonDays: 30,
      },
    },
  );
}

/**
 * A merchant and a hotel that exist only in a config and their setup files, with no seed code:
 * declared by file, extended by REST, and run end to end on what they declared.
 */
describe('a tenant nobody here wrote', () => {
  let hub: TestHub;
  const merchant = () => ({ Authorization: `Bearer ${process.env.CROSSDOCK_API_KEY_TIDEWATER}` });
  const hotel = () => ({ Authorization: `Bearer ${process.env.CROSSDOCK_API_KEY_FJORD}` });
  const paths = { merchant: writeSetup(MERCHANT, merchantFile), hotel: writeSetup(HOTEL, hotelFile) };

  beforeAll(async () => {
    hub = await startTestHub((config) => addTenants(config, paths), { applySetupFiles: [MERCHANT, HOTEL] });
    await setTrackingProgression(hub.sandboxUrl, { inTransitAfterMs: 300, deliveredAfterMs: 900 });
  });
  afterAll(async () => {
    await setTrackingProgression(hub?.sandboxUrl, null);
    await hub?.stop();
  });

  it('serves what the file declared, and applying it again changes nothing', async () => {
    const locations = await http.get(`${hub.apiUrl}/v1/locations`, { headers: merchant() });
    expect(locations.data).toMatchObject({
      locations: [
        { id: 'bergen', kind: 'warehouse', shipsTo: ['US', 'NO'], managedBy: 'file', retired: false },
      ],
      nextCursor: null,
    });
    const stock = await http.get(`${hub.apiUrl}/v1/inventory/PADDLE-1`, { headers: merchant() });
    expect(stock.data).toMatchObject({ totals: { onHand: 12, available: 12 } });
    for (const [tenant, path] of [
      [MERCHANT, paths.merchant],
      [HOTEL, paths.hotel],
    ] as const) {
      const again = await hub.services.masterData.apply(loadSetupFile(path, tenant));
      expect({ tenant, changes: again.changes, openingStock: again.openingStock }).toEqual({
        tenant,
        changes: [],
        openingStock: [],
      });
    }
    // Another tenant sees none of it.
    const acme = acmeHeaders();
    expect((await http.get(`${hub.apiUrl}/v1/items/PADDLE-1`, { headers: acme })).status).toBe(404);
  });

  it('delivers a REST order for a SKU made by PUT /v1/items, quoted with the item’s own parcel', async () => {
    const created = await http.put(
      `${hub.apiUrl}/v1/items/KAYAK-SEA`,
      {
        name: 'Sea kayak',
        weightGrams: 23_000,
        dimensions: { lengthMm: 5200, widthMm: 550, heightMm: 350 },
        hsCode: '8903.99',
        countryOfOrigin: 'NO',
      },
      { headers: merchant() },
    );
    expect(created.status).toBe(201);
    expect(created.headers.etag).toMatch(/^"[\w-]{27}"$/);
    expect(created.data).toMatchObject({ sku: 'KAYAK-SEA', active: true, managedBy: 'api' });
    const counted = await http.put(
      `${hub.apiUrl}/v1/inventory/KAYAK-SEA/bergen`,
      { set: 3, reason: 'first count' },
      { headers: merchant() },
    );
    expect(counted.status).toBe(200);

    const externalId = uniqueId('kayak');
    const order = await http.post(
      `${hub.apiUrl}/v1/orders`,
      restOrder(externalId, [{ sku: 'KAYAK-SEA', quantity: 1 }]),
      {
        headers: merchant(),
      },
    );
    expect(order.status).toBe(202);
    const delivered = await waitForOrder(
      hub.apiUrl,
      `rest:${externalId}`,
      ['delivered', 'rejected', 'exception'],
      merchant(),
    );
    expect(delivered).toMatchObject({
      status: 'delivered',
      allocations: [{ sku: 'KAYAK-SEA', locationId: 'bergen', quantity: 1 }],
    });
    // The carrier quoted the kayak's own weight and size, not a default parcel.
    const [quoted] = await quotedShipments(hub.sandboxUrl, `${MERCHANT}:rest:${externalId}:1:bergen`);
    expect((quoted as { parcel?: unknown }).parcel).toEqual({
      weight: 811.3,
      length: 204.7,
      width: 21.7,
      height: 13.8,
    });
  });

  it('refuses what is invalid, naming the field, and a stale ETag with 412', async () => {
    const unknown = await http.put(
      `${hub.apiUrl}/v1/items/KAYAK-SEA`,
      { name: 'Sea kayak', weightGrams: 23_000, colour: 'red' },
      { headers: merchant() },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.data.error.details).toEqual([{ path: '', message: 'Unrecognized key: "colour"' }]);
    // Text PostgreSQL cannot store (the NUL character) is refused before it gets there, by field.
    const nul = await http.put(
      `${hub.apiUrl}/v1/locations/nul-test`,
      { name: 'Depot', address: { line1: 'Kai 1\u0000', city: 'Bergen', country: 'NO' } },
      { headers: merchant() },
    );
    expect({ status: nul.status, details: nul.data.error.details }).toEqual({
      status: 422,
      details: [{ path: 'address.line1', message: 'must not contain the NUL character (U+0000)' }],
    });
    const read = await http.get<OrderView>(`${hub.apiUrl}/v1/items/KAYAK-SEA`, { headers: merchant() });
    const etag = String(read.headers.etag);
    const puts = await Promise.all(
      ['Sea kayak (red)', 'Sea kayak (yellow)'].map((name) =>
        http.put(
          `${hub.apiUrl}/v1/items/KAYAK-SEA`,
          { name, weightGrams: 23_000 },
          {
            headers: { ...merchant(), 'If-Match': etag },
          },
        ),
      ),
    );
    expect(puts.map((p) => p.status).sort()).toEqual([200, 412]);
    // Below its threshold after a count, the SKU is listed as low at its location.
    await http.put(
      `${hub.apiUrl}/v1/items/PADDLE-1`,
      { name: 'Carbon paddle', weightGrams: 900, lowStockThreshold: 20 },
      {
        headers: merchant(),
      },
    );
    const low = await http.get(`${hub.apiUrl}/v1/inventory?location=bergen&low=true`, {
      headers: merchant(),
    });
    expect(low.data).toEqual({
      levels: [
        {
          sku: 'PADDLE-1',
          locationId: 'bergen',
          onHand: 12,
          reserved: 0,
          available: 12,
          lowStockThreshold: 20,
          low: true,
        },
      ],
      nextCursor: null,
    });
    const page = await http.get<{ items: Array<{ sku: string }>; nextCursor: string | null }>(
      `${hub.apiUrl}/v1/items?limit=1`,
      { headers: merchant() },
    );
    expect(page.data.items.map((i) => i.sku)).toEqual(['KAYAK-SEA']);
    const next = await http.get<{ items: Array<{ sku: string }>; nextCursor: string | null }>(
      `${hub.apiUrl}/v1/items?limit=1&cursor=${page.data.nextCursor}`,
      { headers: merchant() },
    );
    expect(next.data).toEqual({ items: [expect.objectContaining({ sku: 'PADDLE-1' })], nextCursor: null });
  });

  const today = localDate(Date.now(), TIME_ZONE);

  it('books a property declared by file and extended by REST: pushed by an OTA, checked in, audited, checked out', async () => {
    const base = `${hub.apiUrl}/v1/properties/fjord-hotel`;
    const put = (path: string, body: unknown) => http.put(`${base}${path}`, body, { headers: hotel() });
    expect(
      (await put('/room-types/suite', { name: 'Suite', maxOccupancy: 4, baseOccupancy: 2 })).status,
    ).toBe(201);
    for (const number of ['301', '302'])
      expect((await put(`/rooms/${number}`, { roomTypeId: 'suite', floor: '3' })).status).toBe(201);
    expect((await put('/rooms/103', { roomTypeId: 'std', floor: '1' })).status).toBe(201);
    const plan = await put('/rate-plans/suite-flex', {
      roomTypeId: 'suite',
      name: 'Suite, flexible',
      amount: '2400',
      extraGuestAmount: '300',
      taxPercent: 12,
      cancellation: { freeUntilDaysBefore: 3, penalty: { percent: 50 } },
    });
    expect(plan.status).toBe(201);
    expect(plan.data).toMatchObject({
      amount: '2400.00',
      extraGuestAmount: '300.00',
      guaranteeRequired: true,
    });
    const availability = await http.get<{ days: Array<{ roomTypeId: string; available: number }> }>(
      `${base}/availability?from=${today}&to=${addDays(today, 1)}`,
      { headers: hotel() },
    );
    expect(availability.status).toBe(200);
    const rooms = await http.get<{ rooms: Array<{ number: string; roomTypeId: string; status: string }> }>(
      `${base}/rooms`,
      {
        headers: hotel(),
      },
    );
    expect(rooms.data.rooms.map((r) => `${r.number}:${r.roomTypeId}:${r.status}`)).toEqual([
      '101:std:clean',
      '102:std:clean',
      '103:std:clean',
      '301:suite:clean',
      '302:suite:clean',
    ]);

    // The OTA books a standard room tonight; the hub confirms it.
    const otaId = uniqueId('N').replace('-', '');
    const pushed = await http.post<{ status: number; body: string }>(
      `${hub.sandboxUrl}/__sandbox/ota/ota-a/push`,
      {
        deliverTo: `${hub.apiUrl}/alpinebits/fjord-ota`,
        message: {
          hotelCode: 'FJORD-HOTEL',
          reservations: [
            {
              id: otaId,
              status: 'Reserved',
              createdAt: new Date().toISOString(),
              roomTypeCode: 'STD',
              ratePlanCode: 'FLEX',
              arrival: today,
              departure: addDays(today, 1),
              adults: 2,
              guest: { givenName: 'Kari', surname: 'Nordmann', email: 'kari@example.com' },
              guaranteed: true,
            },
          ],
        },
      },
    );
    expect(pushed.data.status).toBe(200);
    const id = `ota:fjord-ota.${otaId}`;
    const act = (action: string, payload: Record<string, unknown> = {}) =>
      http.post<ReservationView>(`${hub.apiUrl}/v1/reservations/${id}/${action}`, payload, {
        headers: hotel(),
      });
    const confirmed = await eventually('the pushed booking confirmed', async () => {
      const view = (
        await http.get<ReservationView>(`${hub.apiUrl}/v1/reservations/${id}`, { headers: hotel() })
      ).data;
      return view.status === 'confirmed' ? view : undefined;
    });
    expect(confirmed.nightly).toEqual(['1200.00']);
    const checkedIn = await act('check-in');
    expect(checkedIn.data).toMatchObject({
      status: 'in_house',
      key: expect.objectContaining({ code: expect.any(String) }),
    });
    const audit = await http.post(`${base}/night-audit`, {}, { headers: hotel() });
    expect(audit.status).toBe(200);
    await eventually('the night charged', async () => {
      const view = (
        await http.get<ReservationView>(`${hub.apiUrl}/v1/reservations/${id}`, { headers: hotel() })
      ).data;
      return view.folio.entries.some((e) => e.id === `room:${today}`) ? view : undefined;
    });
    await act('payments', { amount: '1344.00', method: 'card', reference: uniqueId('pay') });
    const out = await act('check-out');
    expect(out.status).toBe(200);
    expect(out.data).toMatchObject({
      status: 'checked_out',
      folio: { charges: '1200.00', tax: '144.00', balance: '0.00' },
    });
    expect(out.data.key?.revoked).toBe(true);

    // A suite booked by REST for later, for three guests: the extra guest pays the plan's amount.
    const bookSuite = (arrival: string, nights: number, guest: string) =>
      http.post<ReservationView>(
        `${hub.apiUrl}/v1/reservations`,
        {
          externalId: uniqueId('suite'),
          propertyId: 'fjord-hotel',
          roomTypeId: 'suite',
          ratePlanId: 'suite-flex',
          arrival,
          departure: addDays(arrival, nights),
          guests: { adults: 3 },
          guest: { name: guest },
          guarantee: { kind: 'card' },
        },
        { headers: hotel() },
      );
    const suite = await bookSuite(addDays(today, 5), 2, 'Ola Nordmann');
    expect(suite.status).toBe(201);
    expect(suite.data.nightly).toEqual(['2700.00', '2700.00']);

    // New terms apply to stays booked after them; the booked stay keeps its own.
    const repriced = await put('/rate-plans/suite-flex', { ...plan.data, amount: '3000' });
    expect(repriced.status).toBe(200);
    const booked = await http.get<ReservationView>(`${hub.apiUrl}/v1/reservations/${suite.data.id}`, {
      headers: hotel(),
    });
    expect(booked.data.nightly).toEqual(['2700.00', '2700.00']);
    const later = await bookSuite(addDays(today, 9), 1, 'Ingrid');
    expect(later.data.nightly).toEqual(['3300.00']);
    // Moved two days on: listed by its new arrival.
    const moved = await http.post<ReservationView>(
      `${hub.apiUrl}/v1/reservations/${later.data.id}/modify`,
      { arrival: addDays(today, 11), departure: addDays(today, 12) },
      { headers: hotel() },
    );
    expect(moved.status).toBe(200);
    await eventually('the moved booking listed by its new arrival', async () => {
      const page = await http.get<{ reservations: Array<{ id: string; arrival: string }> }>(
        `${hub.apiUrl}/v1/reservations?arrivalFrom=${addDays(today, 11)}&arrivalTo=${addDays(today, 11)}`,
        { headers: hotel() },
      );
      return page.data.reservations.some((r) => r.id === later.data.id) ? true : undefined;
    });
    await recordHistoryIfAsked(
      hub.services.client,
      `reservation:${HOTEL}:${later.data.id}`,
      'reservation-dates-moved',
    );

    // Listed by property and arrival, as it is, and not by a range it falls outside of.
    const listed = await eventually('the suite booking listed', async () => {
      const page = await http.get<{ reservations: Array<{ id: string; arrival: string; status: string }> }>(
        `${hub.apiUrl}/v1/reservations?propertyId=fjord-hotel&arrivalFrom=${addDays(today, 5)}&arrivalTo=${addDays(today, 5)}`,
        { headers: hotel() },
      );
      return page.data.reservations.find((r) => r.id === suite.data.id);
    });
    expect(listed).toMatchObject({
      status: 'confirmed',
      arrival: addDays(today, 5),
      departure: addDays(today, 7),
    });
    const outside = await http.get<{ reservations: Array<{ id: string }> }>(
      `${hub.apiUrl}/v1/reservations?propertyId=fjord-hotel&arrivalFrom=${addDays(today, 6)}`,
      { headers: hotel() },
    );
    expect(outside.data.reservations.map((r) => r.id)).not.toContain(suite.data.id);
    expect(
      (await http.get(`${hub.apiUrl}/v1/reservations?arrivalFrom=tomorrow`, { headers: hotel() })).status,
    ).toBe(400);

    // The suite cannot be retired while that stay is ahead: refused, naming the stay.
    const retire = await http.delete(`${base}/room-types/suite`, { headers: hotel() });
    expect(retire.status).toBe(409);
    expect(retire.data.error.message).toContain(
      `room type fjord-hotel/suite has future stays: reservation:${HOTEL}:rest:`,
    );
    // Nor the standard room type an OTA connection sells, naming the connection's field.
    const mapped = await http.delete(`${base}/room-types/std`, { headers: hotel() });
    expect(mapped.status).toBe(409);
    expect(mapped.data.error.message).toMatch(
      /connectors\[\d+\]\.options\.roomTypes\.std: fjord-ota maps room type std/,
    );
  });

  it('confirms a booking at once on a rate plan that asks no guarantee', async () => {
    const base = `${hub.apiUrl}/v1/properties/fjord-hotel`;
    const plan = await http.put(
      `${base}/rate-plans/std-walk-in`,
      {
        roomTypeId: 'std',
        name: 'Walk-in',
        amount: '1100',
        taxPercent: 12,
        guaranteeRequired: false,
        cancellation: { freeUntilDaysBefore: 0, penalty: { nights: 1 } },
      },
      { headers: hotel() },
    );
    expect(plan.status).toBe(201);
    const booked = await http.post<ReservationView>(
      `${hub.apiUrl}/v1/reservations`,
      {
        externalId: uniqueId('walk'),
        propertyId: 'fjord-hotel',
        roomTypeId: 'std',
        ratePlanId: 'std-walk-in',
        arrival: addDays(today, 3),
        departure: addDays(today, 4),
        guests: { adults: 1 },
        guest: { name: 'Per' },
      },
      { headers: hotel() },
    );
    expect(booked.status).toBe(201);
    const confirmed = await eventually('the booking confirmed', async () => {
      const view = (
        await http.get<ReservationView>(`${hub.apiUrl}/v1/reservations/${booked.data.id}`, {
          headers: hotel(),
        })
      ).data;
      return view.status === 'confirmed' ? view : undefined;
    });
    expect(confirmed.guarantee).toBeUndefined();
    expect(confirmed.timeline.map((t) => t.note)).toContain('the rate plan asks no guarantee');
    await recordHistoryIfAsked(
      hub.services.client,
      `reservation:${HOTEL}:${booked.data.id}`,
      'reservation-confirmed-without-guarantee',
    );
  });

  it('extends every calendar by the daily horizon workflow', async () => {
    const workflowId = uniqueId('calendar-horizon');
    const result = await hub.services.client.workflow.execute('calendarHorizon', {
      workflowId,
      taskQueue: hub.config.temporal.orchestrationTaskQueue,
      args: [],
    });
    expect((result as { properties: number }).properties).toBeGreaterThanOrEqual(1);
    // From the business date on (a night audit moves it): the tenant’s horizon ahead.
    const [row] = await hub.services.sequelize.query<{ last: string; business: string }>(
      `SELECT to_char(max(c.date), 'YYYY-MM-DD') AS last, to_char(min(p.business_date), 'YYYY-MM-DD') AS business
         FROM room_type_calendar c JOIN properties p ON p.tenant_id = c.tenant_id AND p.id = c.property_id
        WHERE c.tenant_id = :tenant`,
      { replacements: { tenant: HOTEL }, type: QueryTypes.SELECT },
    );
    expect(row!.last).toBe(
      addDays(row!.business, hub.config.tenants.find((t) => t.id === HOTEL)!.stays.horizonDays),
    );
    await recordHistoryIfAsked(hub.services.client, workflowId, 'calendar-horizon');
  });
});
