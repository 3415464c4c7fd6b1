import axios from 'axios';
import { holdStay, releaseStay, upsertProperty, availabilityOf } from '../../db/stays';
import { addDays, localDate } from '../../domain/stays/dates';
import type { ReservationView } from '../../domain/stays/reservation';
import { eventually, uniqueId } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

const OTAS = ['ota-a', 'ota-b', 'ota-c'] as const;
const CONNECTORS = { 'ota-a': 'alpine-ota-a', 'ota-b': 'alpine-ota-b', 'ota-c': 'alpine-ota-c' } as const;
/** The room codes each OTA uses for the property's double rooms (crossdock.config.yaml). */
const DOUBLE = { 'ota-a': 'DOUBLE', 'ota-b': 'DBL', 'ota-c': 'double-room' } as const;
const FAMILY = { 'ota-a': 'FAMILY', 'ota-b': 'FAMILY', 'ota-c': 'family-suite' } as const;
const LIMITS = { 'ota-a': 60, 'ota-b': 30, 'ota-c': 20 } as const;

interface OtaStats {
  ota: Record<string, { requests: number; refused: number; throttled: number }>;
}

/**
 * Free rooms from the calendar in PostgreSQL to three AlpineBits OTAs in the sandbox, through
 * the calendar trigger, the database notification, each connection's sync workflow and the
 * connector, with each OTA's request limit enforced by the sandbox.
 */
describe('channel synchronisation end to end', () => {
  let hub: TestHub;
  let propertyId: string;
  const http = axios.create({ validateStatus: () => true });
  const alpine = () => ({ Authorization: `Bearer ${process.env.CROSSDOCK_API_KEY_ALPINE}` });
  const today = localDate(Date.now(), 'Europe/Vienna');

  beforeAll(async () => {
    propertyId = uniqueId('sync');
    hub = await startTestHub((config) => {
      for (const connector of config.connectors.filter((c) => c.kind === 'ota')) {
        connector.options.propertyId = propertyId;
        connector.options.hotelCode = propertyId;
        connector.options.horizonDays = 60;
      }
    });
    for (const ota of OTAS)
      await http.put(`${hub.sandboxUrl}/__sandbox/ota/${ota}/settings`, { requestsPerMinute: LIMITS[ota] });
    await upsertProperty(hub.services.sequelize, {
      tenantId: 'alpine',
      id: propertyId,
      name: 'Sync Lodge',
      timeZone: 'Europe/Vienna',
      currency: 'EUR',
      roomTypes: [
        {
          id: 'dbl',
          name: 'Double',
          maxOccupancy: 2,
          rooms: Array.from({ length: 10 }, (_, i) => `${100 + i}`),
        },
        { id: 'fam', name: 'Family', maxOccupancy: 4, rooms: ['201', '202'] },
      ],
      ratePlans: [
        {
          id: 'flex',
          roomTypeId: 'dbl',
          name: 'Flexible',
          amount: '100.00',
          taxPercent: 10,
          cancellation: { freeUntilDaysBefore: 1, penalty: { nights: 1 } },
        },
        {
          id: 'fam-flex',
          roomTypeId: 'fam',
          name: 'Family',
          amount: '200.00',
          taxPercent: 10,
          cancellation: { freeUntilDaysBefore: 1, penalty: { nights: 1 } },
        },
      ],
    });
    // A complete set to each OTA first: from then on only changes travel.
    for (const connector of Object.values(CONNECTORS))
      expect(
        (await http.post(`${hub.apiUrl}/v1/channels/${connector}/resync`, {}, { headers: alpine() })).status,
      ).toBe(202);
    for (const ota of OTAS) await shows(ota, DOUBLE[ota], today, addDays(today, 59), () => 10);
  }, 120_000);
  afterAll(async () => {
    for (const ota of OTAS)
      await http.put(`${hub.sandboxUrl}/__sandbox/ota/${ota}/settings`, { requestsPerMinute: null });
    await http.delete(`${hub.sandboxUrl}/__sandbox/faults`);
    await hub?.stop();
  });

  const stats = async () => (await http.get<OtaStats>(`${hub.sandboxUrl}/__sandbox/stats`)).data.ota;

  /** Waits until an OTA shows, for each date, the free rooms `expected` gives for it. */
  async function shows(
    ota: (typeof OTAS)[number],
    code: string,
    from: string,
    to: string,
    expected: (date: string) => number,
    timeoutMs = 60_000,
  ): Promise<void> {
    await eventually(
      `${ota} to show the calendar for ${code}`,
      async () => {
        const { data } = await http.get<{ dates: Record<string, number | null> }>(
          `${hub.sandboxUrl}/__sandbox/ota/${ota}/free-rooms`,
          { params: { hotel: propertyId, code, from, to } },
        );
        return Object.entries(data.dates).every(([date, n]) => n === expected(date)) ? true : undefined;
      },
      timeoutMs,
    );
  }

  const calendar = async (roomTypeId: string, from: string, to: string) =>
    new Map(
      (await availabilityOf(hub.services.sequelize, 'alpine', propertyId, from, to))
        .filter((d) => d.roomTypeId === roomTypeId)
        .map((d) => [d.date, d.available]),
    );

  it('shows a booking taken on one channel as one room fewer on all three within seconds', async () => {
    const arrival = addDays(today, 3);
    const started = Date.now();
    const booked = await http.post<ReservationView>(
      `${hub.apiUrl}/v1/reservations`,
      {
        channel: 'ota',
        externalId: uniqueId('ota-a'),
        propertyId,
        roomTypeId: 'dbl',
        ratePlanId: 'flex',
        arrival,
        departure: addDays(arrival, 2),
        guests: { adults: 2 },
        guest: { name: 'Ada' },
        guarantee: { kind: 'card' },
      },
      { headers: alpine() },
    );
    expect(booked.status).toBe(201);
    const lower = (date: string) => (date === arrival || date === addDays(arrival, 1) ? 9 : 10);
    await Promise.all(OTAS.map((ota) => shows(ota, DOUBLE[ota], today, addDays(today, 10), lower, 15_000)));
    const propagatedMs = Date.now() - started;
    expect(propagatedMs).toBeLessThan(15_000);

    const cancelled = await http.post(
      `${hub.apiUrl}/v1/reservations/${booked.data.id}/cancel`,
      { reason: 'test' },
      { headers: alpine() },
    );
    expect(cancelled.status).toBe(200);
    await Promise.all(
      OTAS.map((ota) => shows(ota, DOUBLE[ota], today, addDays(today, 10), () => 10, 15_000)),
    );
    const view = await http.get<{ sync: { pushes: number }; pendingNights: number }>(
      `${hub.apiUrl}/v1/channels/alpine-ota-a`,
      { headers: alpine() },
    );
    expect(view.data.sync.pushes).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('carries a burst of 1,000 changes to each OTA in a few dozen requests, never over its limit', async () => {
    const before = await stats();
    // 500 holds and 500 releases over 30 nights: 1,000 changes to the calendar in a few seconds.
    const keys: string[] = [];
    for (let i = 0; i < 500; i++) {
      const key = `burst-${propertyId}-${i}`;
      const arrival = addDays(today, 1 + (i % 30));
      try {
        await holdStay(hub.services.sequelize, {
          tenantId: 'alpine',
          reservationKey: key,
          stay: {
            propertyId,
            roomTypeId: 'dbl',
            ratePlanId: 'flex',
            arrival,
            departure: addDays(arrival, 1),
            guests: { adults: 1, children: 0 },
            guest: { name: 'Burst' },
          },
        });
        keys.push(key);
      } catch {
        // A night already full is a refusal, not a change.
      }
      if (i % 2 === 1 && keys.length > 0) await releaseStay(hub.services.sequelize, 'alpine', keys.shift()!);
    }
    const final = await calendar('dbl', today, addDays(today, 59));
    await Promise.all(
      OTAS.map((ota) =>
        shows(ota, DOUBLE[ota], today, addDays(today, 59), (d) => final.get(d) ?? 10, 60_000),
      ),
    );
    const after = await stats();
    for (const ota of OTAS) {
      const requests = after[ota]!.requests - before[ota]!.requests;
      expect(requests).toBeGreaterThan(0);
      expect(requests).toBeLessThanOrEqual(36);
      expect(after[ota]!.throttled - before[ota]!.throttled).toBe(0);
    }
    for (const key of keys) await releaseStay(hub.services.sequelize, 'alpine', key);
  }, 120_000);

  it('sets a room type the OTA does not know aside for ops, and keeps the others flowing', async () => {
    await http.put(`${hub.sandboxUrl}/__sandbox/ota/ota-c/settings`, {
      knownCodes: { [propertyId]: ['double-room'] },
    });
    const night = addDays(today, 20);
    const hold = (roomTypeId: string, key: string) =>
      holdStay(hub.services.sequelize, {
        tenantId: 'alpine',
        reservationKey: key,
        stay: {
          propertyId,
          roomTypeId,
          ratePlanId: 'flex',
          arrival: night,
          departure: addDays(night, 1),
          guests: { adults: 1, children: 0 },
          guest: { name: 'Mapping' },
        },
      });
    // A family-room change: ota-c refuses its code, and the room type is set aside there.
    await holdStay(hub.services.sequelize, {
      tenantId: 'alpine',
      reservationKey: uniqueId('fam'),
      stay: {
        propertyId,
        roomTypeId: 'fam',
        ratePlanId: 'fam-flex',
        arrival: night,
        departure: addDays(night, 1),
        guests: { adults: 2, children: 0 },
        guest: { name: 'Family' },
      },
    });
    const issue = await eventually('ota-c to set the family rooms aside', async () => {
      const { data } = await http.get<{ setAside: Array<{ roomTypeId: string; reason: string }> }>(
        `${hub.apiUrl}/v1/channels/alpine-ota-c`,
        { headers: alpine() },
      );
      return data.setAside.length > 0 ? data.setAside : undefined;
    });
    expect(issue).toEqual([
      expect.objectContaining({
        roomTypeId: 'fam',
        reason: 'the channel does not know room code "family-suite"',
      }),
    ]);
    // The other OTAs took the family change; ota-c still takes double-room changes.
    await shows('ota-a', FAMILY['ota-a'], night, night, () => 1, 15_000);
    const before = (await calendar('dbl', night, night)).get(night)!;
    await hold('dbl', uniqueId('dbl'));
    await shows('ota-c', DOUBLE['ota-c'], night, night, () => before - 1, 15_000);
    // Ops fix the mapping (here: the OTA learns the code) and resolve it: a complete set follows.
    await http.put(`${hub.sandboxUrl}/__sandbox/ota/ota-c/settings`, {
      knownCodes: { [propertyId]: ['double-room', 'family-suite'] },
    });
    const resolved = await http.post(
      `${hub.apiUrl}/v1/channels/alpine-ota-c/mappings/resolve`,
      {},
      { headers: alpine() },
    );
    expect(resolved.data).toMatchObject({ resolved: 1 });
    await shows('ota-c', FAMILY['ota-c'], night, night, () => 1, 15_000);
  }, 90_000);

  it('catches up with the final values after an OTA answered 503 for a while', async () => {
    await http.put(`${hub.sandboxUrl}/__sandbox/faults/ota-b`, { errorRate: 1 });
    const night = addDays(today, 40);
    const keys = [uniqueId('down'), uniqueId('down'), uniqueId('down')];
    for (const key of keys)
      await holdStay(hub.services.sequelize, {
        tenantId: 'alpine',
        reservationKey: key,
        stay: {
          propertyId,
          roomTypeId: 'dbl',
          ratePlanId: 'flex',
          arrival: night,
          departure: addDays(night, 2),
          guests: { adults: 1, children: 0 },
          guest: { name: 'Outage' },
        },
      });
    await releaseStay(hub.services.sequelize, 'alpine', keys[0]!);
    // The others have it; ota-b, down, still shows the old count.
    await shows('ota-a', DOUBLE['ota-a'], night, addDays(night, 1), () => 8, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const stale = await http.get<{ dates: Record<string, number | null> }>(
      `${hub.sandboxUrl}/__sandbox/ota/ota-b/free-rooms`,
      { params: { hotel: propertyId, code: 'DBL', from: night, to: night } },
    );
    expect(stale.data.dates[night]).toBe(10);
    await http.put(`${hub.sandboxUrl}/__sandbox/faults/ota-b`, { errorRate: 0 });
    await shows('ota-b', DOUBLE['ota-b'], night, addDays(night, 1), () => 8, 30_000);
    for (const key of keys) await releaseStay(hub.services.sequelize, 'alpine', key);
  }, 90_000);
});
