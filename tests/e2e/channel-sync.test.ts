import { holdStay, releaseStay } from '../../db/stays/holds';
import { availabilityOf } from '../../db/stays/calendar';
import { alpineBitsSample } from '../support/alpinebits-samples';
import { buildOutcome } from '../../connectors/ota/alpinebits/responses';
import { doubleRoomBooking, upsertDoublesLodge } from '../support/properties';
import { addDays, localDate } from '../../domain/stays/dates';
import type { ReservationView } from '../../domain/stays/reservation';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { QueryTypes } from 'sequelize';
import { startHubWorkers } from '../../worker/hub-workers';
import { alpineHeaders, eventually, http, uniqueId } from '../support/fixtures';
import { expectViewFinds, expectViewMisses } from '../support/saved-views';
import { recordHistoryIfAsked } from '../support/histories';
import { startTestHub, workflowBundle, type TestHub } from '../support/hub';
import { reservationPullScheduleId } from '../../intake/schedules';

const OTAS = ['ota-a', 'ota-b', 'ota-c'] as const;
const CONNECTORS = { 'ota-a': 'alpine-ota-a', 'ota-b': 'alpine-ota-b', 'ota-c': 'alpine-ota-c' } as const;
/** The room codes each OTA uses for the property's double rooms (crossdock.config.yaml). */
const DOUBLE = { 'ota-a': 'DOUBLE', 'ota-b': 'DBL', 'ota-c': 'dbl-room' } as const;
const FAMILY = { 'ota-a': 'FAMILY', 'ota-b': 'FAMILY', 'ota-c': 'fam-ste' } as const;
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
  const today = localDate(Date.now(), 'Europe/Vienna');

  beforeAll(async () => {
    propertyId = uniqueId('sync');
    hub = await startTestHub((config) => {
      for (const connector of config.connectors.filter((c) => c.kind === 'ota')) {
        connector.options.propertyId = propertyId;
        connector.options.hotelCode = propertyId;
        connector.options.horizonDays = 60;
        connector.options.ratePlans = { flex: 'FLEX', 'fam-flex': 'FAMILY-FLEX' };
      }
      // ota-c does not push: its reservations are pulled (the test triggers the schedule itself).
      config.connectors.find((c) => c.id === CONNECTORS['ota-c'])!.options.pullEverySeconds = 3600;
    });
    for (const ota of OTAS)
      await http.put(`${hub.sandboxUrl}/__sandbox/ota/${ota}/settings`, { requestsPerMinute: LIMITS[ota] });
    await upsertDoublesLodge(hub.services.sequelize, {
      id: propertyId,
      rooms: 10,
      amount: '100.00',
      more: {
        roomTypes: [{ id: 'fam', name: 'Family', maxOccupancy: 4, rooms: ['201', '202'] }],
        ratePlans: [
          {
            id: 'fam-flex',
            roomTypeId: 'fam',
            name: 'Family',
            amount: '200.00',
            taxPercent: 10,
            cancellation: { freeUntilDaysBefore: 1, penalty: { nights: 1 } },
          },
        ],
      },
    });
    // Each connection's first run sends a complete set (free rooms, restrictions, rates): wait
    // until all of it is through, so the tests below see only their own changes travel.
    const last = addDays(today, 59);
    for (const ota of OTAS)
      await eventually(`${ota} to have the complete set`, async () => {
        const { data } = await http.get<{
          dates: Record<string, { free: number | null; rates: Record<string, string> }>;
        }>(`${hub.sandboxUrl}/__sandbox/ota/${ota}/ari`, {
          params: { hotel: propertyId, code: DOUBLE[ota], from: last, to: last },
        });
        return data.dates[last]?.free === 10 && data.dates[last]?.rates.FLEX === '100.00' ? true : undefined;
      });
    for (const connector of Object.values(CONNECTORS))
      await eventually(`${connector} to have nothing waiting`, async () => {
        const { data } = await http.get<{ pendingNights: number }>(`${hub.apiUrl}/v1/channels/${connector}`, {
          headers: alpineHeaders(),
        });
        return data.pendingNights === 0 ? true : undefined;
      });
  }, 120_000);
  afterAll(async () => {
    await hub?.services.client.schedule
      .getHandle(reservationPullScheduleId('alpine', CONNECTORS['ota-c']))
      .delete()
      .catch(() => undefined);
    for (const ota of OTAS)
      await http.put(`${hub.sandboxUrl}/__sandbox/ota/${ota}/settings`, {
        requestsPerMinute: null,
        warning: null,
      });
    await http.delete(`${hub.sandboxUrl}/__sandbox/faults`);
    await hub?.stop();
  });

  /** Holds one room of a type from `arrival` for `nights`, straight on the calendar (a change like any booking). */
  const hold = (key: string, roomTypeId: 'dbl' | 'fam', arrival: string, nights = 1) =>
    holdStay(hub.services.sequelize, {
      tenantId: 'alpine',
      reservationKey: key,
      stay: {
        propertyId,
        roomTypeId,
        ratePlanId: roomTypeId === 'dbl' ? 'flex' : 'fam-flex',
        arrival,
        departure: addDays(arrival, nights),
        guests: { adults: 1, children: 0 },
        guest: { name: 'Test' },
      },
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
      doubleRoomBooking({
        channel: 'ota',
        externalId: uniqueId('ota-a'),
        propertyId,
        arrival,
        nights: 2,
        guest: { name: 'Ada' },
      }),
      { headers: alpineHeaders() },
    );
    expect(booked.status).toBe(201);
    const lower = (date: string) => (date === arrival || date === addDays(arrival, 1) ? 9 : 10);
    await Promise.all(OTAS.map((ota) => shows(ota, DOUBLE[ota], today, addDays(today, 10), lower, 15_000)));
    const propagatedMs = Date.now() - started;
    expect(propagatedMs).toBeLessThan(15_000);

    const cancelled = await http.post(
      `${hub.apiUrl}/v1/reservations/${booked.data.id}/cancel`,
      { reason: 'test' },
      { headers: alpineHeaders() },
    );
    expect(cancelled.status).toBe(200);
    await Promise.all(
      OTAS.map((ota) => shows(ota, DOUBLE[ota], today, addDays(today, 10), () => 10, 15_000)),
    );
    const view = await http.get<{ sync: { pushes: number }; pendingNights: number }>(
      `${hub.apiUrl}/v1/channels/alpine-ota-a`,
      { headers: alpineHeaders() },
    );
    expect(view.data.sync.pushes).toBeGreaterThanOrEqual(3);
    // A running sync's history so far (complete set, pushes, waits): later changes must replay it.
    await recordHistoryIfAsked(
      hub.services.client,
      'channel-sync:alpine:alpine-ota-a',
      'channel-sync-bucketed-running',
    );
    // Its opening complete set ran under the complete-set profile: recorded with it too.
    await recordHistoryIfAsked(
      hub.services.client,
      'channel-sync:alpine:alpine-ota-a',
      'channel-sync-complete-set-running',
    );
  }, 60_000);

  it('carries a burst of 1,000 changes to each OTA in a few dozen requests, never over its limit', async () => {
    const before = await stats();
    // 500 holds and 500 releases over 30 nights: 1,000 changes to the calendar in a few seconds.
    const keys: string[] = [];
    for (let i = 0; i < 500; i++) {
      const key = `burst-${propertyId}-${i}`;
      const arrival = addDays(today, 1 + (i % 30));
      try {
        await hold(key, 'dbl', arrival);
        keys.push(key);
      } catch {
        // A night already full is a refusal, not a change.
      }
      if (i % 2 === 1 && keys.length > 0)
        await releaseStay(hub.services.sequelize, { tenantId: 'alpine', reservationKey: keys.shift()! });
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
    for (const key of keys)
      await releaseStay(hub.services.sequelize, { tenantId: 'alpine', reservationKey: key });
  }, 120_000);

  it('sets a room type the OTA does not know aside for ops, and keeps the others flowing', async () => {
    await http.put(`${hub.sandboxUrl}/__sandbox/ota/ota-c/settings`, {
      knownCodes: { [propertyId]: ['dbl-room'] },
    });
    const night = addDays(today, 20);
    // A family-room change: ota-c refuses its code, and the room type is set aside there.
    await hold(uniqueId('fam'), 'fam', night);
    const issue = await eventually('ota-c to set the family rooms aside', async () => {
      const { data } = await http.get<{ setAside: Array<{ roomTypeId: string; reason: string }> }>(
        `${hub.apiUrl}/v1/channels/alpine-ota-c`,
        { headers: alpineHeaders() },
      );
      return data.setAside.length > 0 ? data.setAside : undefined;
    });
    expect(issue).toEqual([
      expect.objectContaining({
        roomTypeId: 'fam',
        reason: 'the channel does not know room code "fam-ste"',
      }),
    ]);
    // Ops find the connection by its saved view (docs/operations.md) while the room type is aside.
    const sync = 'channel-sync:alpine:alpine-ota-c';
    await expectViewFinds(hub.services.client, 'Channel syncs with set-aside mappings', sync);
    // The other OTAs took the family change; ota-c still takes dbl-room changes.
    await shows('ota-a', FAMILY['ota-a'], night, night, () => 1, 15_000);
    const before = (await calendar('dbl', night, night)).get(night)!;
    await hold(uniqueId('dbl'), 'dbl', night);
    await shows('ota-c', DOUBLE['ota-c'], night, night, () => before - 1, 15_000);
    // Ops fix the mapping (here: the OTA learns the code) and resolve it: a complete set follows.
    await http.put(`${hub.sandboxUrl}/__sandbox/ota/ota-c/settings`, {
      knownCodes: { [propertyId]: ['dbl-room', 'fam-ste'] },
    });
    const resolved = await http.post(
      `${hub.apiUrl}/v1/channels/alpine-ota-c/mappings/resolve`,
      {},
      { headers: alpineHeaders() },
    );
    expect(resolved.data).toMatchObject({ resolved: 1 });
    await shows('ota-c', FAMILY['ota-c'], night, night, () => 1, 15_000);
    await expectViewMisses(hub.services.client, 'Channel syncs with set-aside mappings', sync);
    await recordHistoryIfAsked(hub.services.client, sync, 'channel-sync-mappings-resolved-running');
  }, 90_000);

  it('catches up with the final values after an OTA answered 503 for a minute', async () => {
    const night = addDays(today, 40);
    const seconds = (n: number) => new Promise((resolve) => setTimeout(resolve, n * 1000));
    const outageStarted = Date.now();
    await http.put(`${hub.sandboxUrl}/__sandbox/faults/ota-b`, { errorRate: 1 });
    // Changes keep coming during the outage; only the last values matter.
    const keys = [uniqueId('down'), uniqueId('down'), uniqueId('down')];
    for (const key of keys) await hold(key, 'dbl', night, 2);
    await releaseStay(hub.services.sequelize, { tenantId: 'alpine', reservationKey: keys[0]! });
    await shows('ota-a', DOUBLE['ota-a'], night, addDays(night, 1), () => 8, 15_000);
    await seconds(20);
    const late = uniqueId('down');
    await hold(late, 'dbl', addDays(night, 1));
    await seconds(20);
    await releaseStay(hub.services.sequelize, { tenantId: 'alpine', reservationKey: keys[1]! });
    const final = (date: string) => (date === night ? 9 : 8);
    await shows('ota-a', DOUBLE['ota-a'], night, addDays(night, 1), final, 15_000);
    await seconds(Math.max(0, 60 - (Date.now() - outageStarted) / 1000));
    // A minute down: ota-b still shows what it had before.
    const stale = await http.get<{ dates: Record<string, number | null> }>(
      `${hub.sandboxUrl}/__sandbox/ota/ota-b/free-rooms`,
      { params: { hotel: propertyId, code: 'DBL', from: night, to: addDays(night, 1) } },
    );
    expect(stale.data.dates).toEqual({ [night]: 10, [addDays(night, 1)]: 10 });
    await http.put(`${hub.sandboxUrl}/__sandbox/faults/ota-b`, { errorRate: 0 });
    // Retries are at most 10 s apart, then the channel's spacing: it catches up within seconds.
    const back = Date.now();
    await shows('ota-b', DOUBLE['ota-b'], night, addDays(night, 1), final, 20_000);
    console.log(
      `ota-b caught up ${Date.now() - back} ms after a ${Math.round((back - outageStarted) / 1000)} s outage`,
    );
    for (const key of [keys[2]!, late])
      await releaseStay(hub.services.sequelize, { tenantId: 'alpine', reservationKey: key });
  }, 150_000);

  it('carries a revenue manager’s rates and restrictions to every OTA as ranges', async () => {
    const from = addDays(today, 5);
    const change = (body: Record<string, unknown>) =>
      http.put(`${hub.apiUrl}/v1/properties/${propertyId}/rates`, body, { headers: alpineHeaders() });
    // ota-b takes every message with an advisory: the channel goes on, and ops see it.
    const advisory = 'rates for DBL are shown only from the second night';
    await http.put(`${hub.sandboxUrl}/__sandbox/ota/ota-b/settings`, { warning: advisory });
    const priced = await change({
      roomTypeId: 'dbl',
      from,
      to: addDays(from, 4),
      ratePlanId: 'flex',
      amount: '130.00',
      minLos: 2,
    });
    expect(priced.status).toBe(200);
    expect(priced.data).toMatchObject({ nights: 5 });
    expect(
      (
        await change({
          roomTypeId: 'dbl',
          from: addDays(from, 2),
          to: addDays(from, 2),
          closedToArrival: true,
        })
      ).status,
    ).toBe(200);
    // An amount without its rate plan: a rule across fields (422).
    expect((await change({ roomTypeId: 'dbl', from, to: from, amount: '1.00' })).status).toBe(422);
    expect((await change({ roomTypeId: 'suite', from, to: from, closed: true })).status).toBe(404);

    for (const ota of OTAS) {
      await eventually(
        `${ota} to show the new rates and restrictions`,
        async () => {
          const { data } = await http.get<{
            dates: Record<
              string,
              {
                restrictions: { minLos: number | null; closedToArrival: boolean } | null;
                rates: Record<string, string>;
              }
            >;
          }>(`${hub.sandboxUrl}/__sandbox/ota/${ota}/ari`, {
            params: { hotel: propertyId, code: DOUBLE[ota], from: addDays(from, -1), to: addDays(from, 5) },
          });
          const days = Object.entries(data.dates);
          const inside = (date: string) => date >= from && date <= addDays(from, 4);
          const ok = days.every(([date, day]) =>
            inside(date)
              ? day.rates.FLEX === '130.00' &&
                day.restrictions?.minLos === 2 &&
                day.restrictions.closedToArrival === (date === addDays(from, 2))
              : day.rates.FLEX === '100.00' && day.restrictions?.minLos === null,
          );
          return ok ? true : undefined;
        },
        20_000,
      );
    }
    const warned = await eventually('ota-b’s advisory to reach ops', async () => {
      const { data } = await http.get<{ sync: { lastWarnings?: { messages: string[] } } }>(
        `${hub.apiUrl}/v1/channels/${CONNECTORS['ota-b']}`,
        { headers: alpineHeaders() },
      );
      return data.sync.lastWarnings;
    });
    expect(warned.messages).toContain(advisory);
    await http.put(`${hub.sandboxUrl}/__sandbox/ota/ota-b/settings`, { warning: null });
  }, 60_000);

  describe('reservations an OTA pushes', () => {
    interface Pushed {
      status: number;
      body: string;
      outcome?: { success: boolean; warnings: Array<{ recordId?: string; text: string }>; errors: unknown[] };
    }
    const push = async (ota: (typeof OTAS)[number], reservations: unknown[]) =>
      (
        await http.post<Pushed>(`${hub.sandboxUrl}/__sandbox/ota/${ota}/push`, {
          deliverTo: `${hub.apiUrl}/alpinebits/${CONNECTORS[ota]}`,
          message: { hotelCode: propertyId, reservations },
        })
      ).data;
    const booking = (id: string, arrival: string, extra: Record<string, unknown> = {}) => ({
      id,
      status: 'Reserved',
      createdAt: new Date().toISOString(),
      roomTypeCode: 'DOUBLE',
      ratePlanCode: 'FLEX',
      arrival,
      departure: addDays(arrival, 2),
      adults: 2,
      guest: { givenName: 'Otto', surname: 'Mustermann', email: 'otto@example.com' },
      guaranteed: true,
      ...extra,
    });
    const familyNight = (id: string, night: string) =>
      booking(id, night, {
        roomTypeCode: 'FAMILY',
        ratePlanCode: 'FAMILY-FLEX',
        departure: addDays(night, 1),
      });
    const reservation = async (id: string) =>
      (
        await http.get<ReservationView>(`${hub.apiUrl}/v1/reservations/ota:alpine-ota-a.${id}`, {
          headers: alpineHeaders(),
        })
      ).data;

    it('confirms a pushed booking within a second, once however often delivered, and shows it on the other OTAs', async () => {
      const id = uniqueId('R').replace('-', '');
      const arrival = addDays(today, 12);
      const started = Date.now();
      const first = await push('ota-a', [booking(id, arrival)]);
      const answeredMs = Date.now() - started;
      expect(first.status).toBe(200);
      expect(answeredMs).toBeLessThan(1_000);
      expect(first.outcome).toMatchObject({ success: true, warnings: [] });
      expect(first.body).toContain(`<UniqueID Type="14" ID="${id}"/>`);
      const again = await push('ota-a', [booking(id, arrival)]);
      expect(again.body).toContain(`<UniqueID Type="14" ID="${id}"/>`);
      expect(await reservation(id)).toMatchObject({
        status: 'confirmed',
        channel: 'ota',
        stay: { arrival, roomTypeId: 'dbl', ratePlanId: 'flex', guest: { name: 'Otto Mustermann' } },
      });
      expect((await calendar('dbl', arrival, arrival)).get(arrival)).toBe(9);
      const lower = (date: string) => (date === arrival || date === addDays(arrival, 1) ? 9 : 10);
      await shows('ota-b', DOUBLE['ota-b'], arrival, addDays(arrival, 2), lower, 15_000);
      await shows('ota-c', DOUBLE['ota-c'], arrival, addDays(arrival, 2), lower, 15_000);

      // Modified twice; the older change arrives last and is not applied over the newer.
      const later = addDays(arrival, 5);
      const modified = await push('ota-a', [
        booking(id, later, { status: 'Modify', modifiedAt: '2027-01-02T10:00:00Z' }),
      ]);
      expect(modified.outcome).toMatchObject({ success: true, warnings: [] });
      const stale = await push('ota-a', [
        booking(id, addDays(arrival, 1), { status: 'Modify', modifiedAt: '2027-01-01T10:00:00Z' }),
      ]);
      expect(stale.outcome).toMatchObject({ success: true, warnings: [] });
      expect((await reservation(id)).stay).toMatchObject({ arrival: later, departure: addDays(later, 2) });
      expect((await calendar('dbl', arrival, addDays(later, 1))).get(arrival)).toBe(10);

      // Cancelled, and the cancellation delivered twice.
      for (let i = 0; i < 2; i++) {
        const cancelled = await push('ota-a', [
          { id, status: 'Cancelled', createdAt: new Date().toISOString() },
        ]);
        expect(cancelled.outcome).toMatchObject({ success: true, warnings: [] });
      }
      expect((await reservation(id)).status).toBe('cancelled');
      await shows('ota-b', DOUBLE['ota-b'], later, addDays(later, 1), () => 10, 15_000);
    }, 60_000);

    it('keeps a booking that no longer fits as overbooked for ops, and names every reservation it cannot take', async () => {
      const night = addDays(today, 30);
      const blockers = [uniqueId('full'), uniqueId('full')];
      for (const key of blockers) await hold(key, 'fam', night);
      const over = uniqueId('O').replace('-', '');
      const unmapped = uniqueId('U').replace('-', '');
      const answer = await push('ota-a', [
        familyNight(over, night),
        booking(unmapped, night, { roomTypeCode: 'PENTHAUS' }),
      ]);
      expect(answer.outcome?.success).toBe(true);
      expect(answer.outcome?.warnings).toEqual([
        expect.objectContaining({ recordId: unmapped, text: 'room code "PENTHAUS" is not mapped' }),
      ]);
      expect(answer.body).toContain(`<UniqueID Type="14" ID="${over}"/>`);
      const flagged = await reservation(over);
      expect(flagged.status).toBe('overbooked');
      await expectViewFinds(hub.services.client, 'Stays overbooked', `reservation:alpine:${flagged.id}`);
      expect(flagged.timeline.at(-1)?.note).toMatch(/accepted over the calendar \(.*is sold out\)/);
      // The calendar was not oversold for it.
      expect(
        (await availabilityOf(hub.services.sequelize, 'alpine', propertyId, night, night)).find(
          (d) => d.roomTypeId === 'fam',
        ),
      ).toMatchObject({ held: 2, sold: 0 });

      // Ops place it: refused while the family rooms are still taken, then confirmed in one that came free.
      const reaccommodate = (id: string, body: Record<string, unknown> = {}) =>
        http.post<ReservationView & { error?: { message: string } }>(
          `${hub.apiUrl}/v1/reservations/ota:alpine-ota-a.${id}/reaccommodate`,
          body,
          { headers: alpineHeaders() },
        );
      const still = await reaccommodate(over);
      expect(still.status).toBe(409);
      expect(JSON.stringify(still.data)).toContain(night);
      expect((await reaccommodate(over, { roomTypeId: 'dbl' })).status).toBe(422); // no rate plan named
      await releaseStay(hub.services.sequelize, { tenantId: 'alpine', reservationKey: blockers[0]! });
      const placed = await reaccommodate(over);
      expect(placed.status).toBe(200);
      expect(placed.data).toMatchObject({ status: 'confirmed', stay: { roomTypeId: 'fam', arrival: night } });
      expect([...new Set(placed.data.timeline.map((t) => t.status))]).toEqual([
        'overbooked',
        'held',
        'confirmed',
      ]);
      expect(
        (await availabilityOf(hub.services.sequelize, 'alpine', propertyId, night, night)).find(
          (d) => d.roomTypeId === 'fam',
        ),
      ).toMatchObject({ held: 1, sold: 1 });
      await recordHistoryIfAsked(
        hub.services.client,
        `reservation:alpine:ota:alpine-ota-a.${over}`,
        'reservation-overbooked-reaccommodated',
      );

      // Another overbooked one, cancelled by the OTA: nothing was taken, nothing to give back.
      const walked = uniqueId('W').replace('-', '');
      const second = await push('ota-a', [familyNight(walked, night)]);
      expect(second.outcome).toMatchObject({ success: true, warnings: [] });
      expect((await reservation(walked)).status).toBe('overbooked');
      const cancelled = await push('ota-a', [
        { id: walked, status: 'Cancelled', createdAt: new Date().toISOString() },
      ]);
      expect(cancelled.outcome).toMatchObject({ success: true, warnings: [] });
      expect((await reservation(walked)).status).toBe('cancelled');
      expect((await reaccommodate(walked)).status).toBe(409);
    }, 30_000);

    it('pulls reservations on its schedule, takes each over once however often offered, and acknowledges them', async () => {
      const scheduleId = reservationPullScheduleId('alpine', CONNECTORS['ota-c']);
      const offer = (reservations: unknown[]) =>
        http.post(`${hub.sandboxUrl}/__sandbox/ota/ota-c/pending`, {
          message: { hotelCode: propertyId, reservations },
        });
      const offered = async () =>
        (
          await http.get<{
            waiting: string[];
            acknowledged: string[];
            refused: Array<{ id: string; reason: string }>;
          }>(`${hub.sandboxUrl}/__sandbox/ota/ota-c/pending`, { params: { hotel: propertyId } })
        ).data;
      const pull = async (until: (p: Awaited<ReturnType<typeof offered>>) => boolean) => {
        // A pull still finishing is not skipped over: this one runs after it.
        await hub.services.client.schedule.getHandle(scheduleId).trigger(ScheduleOverlapPolicy.BUFFER_ONE);
        return eventually('the pull to be acknowledged', async () => {
          const p = await offered();
          return until(p) ? p : undefined;
        });
      };
      const pulled = async (id: string) =>
        (
          await http.get<ReservationView>(`${hub.apiUrl}/v1/reservations/ota:alpine-ota-c.${id}`, {
            headers: alpineHeaders(),
          })
        ).data;
      const id = uniqueId('P').replace('-', '');
      const unmapped = uniqueId('U').replace('-', '');
      const arrival = addDays(today, 22);
      const free = async () => (await calendar('dbl', arrival, arrival)).get(arrival)!;
      const before = await free();

      await offer([
        booking(id, arrival, { roomTypeCode: DOUBLE['ota-c'] }),
        booking(unmapped, arrival, { roomTypeCode: 'SUITE' }),
      ]);
      const first = await pull((p) => p.acknowledged.includes(id));
      expect(first.waiting).toEqual([]);
      expect(first.refused).toContainEqual({ id: unmapped, reason: 'room code "SUITE" is not mapped' });
      expect(await pulled(id)).toMatchObject({
        status: 'confirmed',
        channel: 'ota',
        stay: { arrival, roomTypeId: 'dbl', guest: { name: 'Otto Mustermann' } },
      });
      expect(await free()).toBe(before - 1);
      await shows('ota-a', DOUBLE['ota-a'], arrival, arrival, () => before - 1, 15_000);

      // Offered again (as after a lost acknowledgement): the same reservation, no second room.
      await offer([booking(id, arrival, { roomTypeCode: DOUBLE['ota-c'] })]);
      await pull((p) => p.acknowledged.filter((a) => a === id).length === 2);
      expect(await free()).toBe(before - 1);

      // Cancelled through the pull: the room is back.
      await offer([{ id, status: 'Cancelled', createdAt: new Date().toISOString() }]);
      await pull((p) => p.acknowledged.filter((a) => a === id).length === 3);
      expect((await pulled(id)).status).toBe('cancelled');
      expect(await free()).toBe(before);

      // The official pull answers, word for word: each follows the schema, is read, and each of its
      // reservations is reported on (hotel 123 is not this connection's; an enquiry is not booked).
      const official = (file: string) =>
        http.post(`${hub.sandboxUrl}/__sandbox/ota/ota-c/pending`, {
          verbatim: {
            hotelCode: propertyId,
            xml: alpineBitsSample('v_2020_10', file),
          },
        });
      const refusedFor = (p: Awaited<ReturnType<typeof offered>>, sampleId: string) =>
        p.refused.find((r) => r.id === sampleId)?.reason;
      await official('GuestRequests-OTA_ResRetrieveRS-reservation.xml');
      const reserved = await pull((p) => !!refusedFor(p, '6b34fe24ac2ff810'));
      expect(refusedFor(reserved, '6b34fe24ac2ff810')).toBe('hotel 123 is not sold through this connection');
      await official('GuestRequests-OTA_ResRetrieveRS-request-with-roomtype.xml');
      const enquiry = await pull((p) => !!refusedFor(p, '6b34fe24ac2ff811'));
      expect(refusedFor(enquiry, '6b34fe24ac2ff811')).toBe('hotel 123 is not sold through this connection');
      await official('GuestRequests-OTA_ResRetrieveRS-cancellation.xml');
      const cancellation = await pull((p) => !!refusedFor(p, 'c24e8b15ca469388'));
      expect(refusedFor(cancellation, 'c24e8b15ca469388')).toBe('reservation c24e8b15ca469388 is not known');
      for (const sampleId of ['6b34fe24ac2ff810', '6b34fe24ac2ff811', 'c24e8b15ca469388'])
        expect(
          (
            await http.get(`${hub.apiUrl}/v1/reservations/ota:alpine-ota-c.${sampleId}`, {
              headers: alpineHeaders(),
            })
          ).status,
        ).toBe(404);
      expect(await free()).toBe(before);

      // Ops pull now instead of waiting for the schedule: the same pass, answered with what it took.
      const onDemand = uniqueId('D').replace('-', '');
      await offer([booking(onDemand, arrival, { roomTypeCode: DOUBLE['ota-c'] })]);
      const now = await http.post<{ workflowId: string; found: { taken: number; refused: unknown[] } }>(
        `${hub.apiUrl}/v1/channels/${CONNECTORS['ota-c']}/reconcile`,
        undefined,
        { headers: alpineHeaders() },
      );
      expect(now.status).toBe(200);
      expect(now.data.found).toMatchObject({ taken: 1, refused: [] });
      expect((await offered()).acknowledged).toContain(onDemand);
      expect(await free()).toBe(before - 1);
      await recordHistoryIfAsked(hub.services.client, now.data.workflowId, 'reservation-pull-on-demand');
    }, 90_000);

    it('answers an on-demand pull the channel refuses with 502, its reason and the failed pass', async () => {
      await http.post(`${hub.sandboxUrl}/__sandbox/ota/ota-c/pending`, {
        verbatim: {
          hotelCode: propertyId,
          xml: buildOutcome('OTA_ResRetrieveRS', {
            errors: [{ type: '13', code: '450', text: 'pulls are paused for this hotel' }],
          }),
        },
      });
      const refused = await http.post<{
        error: { code: string; message: string; details: { workflowId: string } };
      }>(`${hub.apiUrl}/v1/channels/${CONNECTORS['ota-c']}/reconcile`, undefined, {
        headers: alpineHeaders(),
      });
      expect(refused.status).toBe(502);
      expect(refused.data.error.code).toBe('reconcile_failed');
      expect(refused.data.error.message).toBe(
        `the pass failed: ${CONNECTORS['ota-c']} refused the pull: pulls are paused for this hotel`,
      );
      const run = hub.services.client.workflow.getHandle(refused.data.error.details.workflowId);
      expect((await run.describe()).status.name).toBe('FAILED');
      await recordHistoryIfAsked(hub.services.client, run.workflowId, 'reservation-pull-refused');
    });

    it('takes a reservation of several rooms whole or not at all, and follows its changes room by room', async () => {
      const arrival = addDays(today, 40);
      const nights = async () => {
        const days = await availabilityOf(hub.services.sequelize, 'alpine', propertyId, arrival, arrival);
        return Object.fromEntries(days.map((d) => [d.roomTypeId, d.available]));
      };
      const rooms = (...types: Array<'DOUBLE' | 'FAMILY'>) =>
        types.map((code) => ({
          roomTypeCode: code,
          ratePlanCode: code === 'DOUBLE' ? 'FLEX' : 'FAMILY-FLEX',
          arrival,
          departure: addDays(arrival, 1),
          adults: 2,
          guaranteed: true,
        }));
      const before = await nights();
      const id = uniqueId('M').replace('-', '');
      const taken = await push('ota-a', [booking(id, arrival, { rooms: rooms('DOUBLE', 'FAMILY') })]);
      expect(taken.outcome).toMatchObject({ success: true, warnings: [] });
      expect(taken.body).toContain(`<UniqueID Type="14" ID="${id}"/>`);
      expect(await reservation(id)).toMatchObject({ status: 'confirmed', stay: { roomTypeId: 'dbl' } });
      expect(await reservation(`${id}.r2`)).toMatchObject({
        status: 'confirmed',
        stay: { roomTypeId: 'fam' },
      });
      expect(await nights()).toEqual({ dbl: before.dbl! - 1, fam: before.fam! - 1 });

      // The guest drops the family room: it is cancelled, the double stays.
      const dropped = await push('ota-a', [
        booking(id, arrival, {
          status: 'Modify',
          modifiedAt: new Date().toISOString(),
          rooms: rooms('DOUBLE'),
        }),
      ]);
      expect(dropped.outcome).toMatchObject({ success: true, warnings: [] });
      expect((await reservation(`${id}.r2`)).status).toBe('cancelled');
      expect((await reservation(id)).status).toBe('confirmed');
      expect(await nights()).toEqual({ dbl: before.dbl! - 1, fam: before.fam });

      // Cancelled: every room of it.
      const cancelled = await push('ota-a', [
        { id, status: 'Cancelled', createdAt: new Date().toISOString() },
      ]);
      expect(cancelled.outcome).toMatchObject({ success: true, warnings: [] });
      expect((await reservation(id)).status).toBe('cancelled');
      expect(await nights()).toEqual(before);

      // A second room that cannot be taken (five guests in a family room for four): neither is kept.
      const whole = uniqueId('X').replace('-', '');
      const [double, family] = rooms('DOUBLE', 'FAMILY');
      const refused = await push('ota-a', [
        booking(whole, arrival, { rooms: [double, { ...family, adults: 5 }] }),
      ]);
      // Nothing to acknowledge, which an OTA_HotelResNotifRS cannot say: an AlpineBits protocol error.
      expect(refused.status).toBe(400);
      expect(refused.body).toMatch(new RegExp(`^ERROR:${whole}: room 2: `));
      expect(await reservation(whole)).toMatchObject({ status: 'cancelled', cancellation: { fee: '0.00' } });
      expect(await nights()).toEqual(before);
    }, 60_000);

    it('answers a message the AlpineBits schema refuses with its complaint, and a wrong password with 401', async () => {
      const form = new FormData();
      form.set('action', 'OTA_HotelResNotif:GuestRequests');
      form.set(
        'request',
        '<OTA_HotelResNotifRQ><HotelReservations><HotelReservation ResStatus="Reserved"/></HotelReservations></OTA_HotelResNotifRQ>',
      );
      const password = process.env.CROSSDOCK_SANDBOX_OTA_PUSH_PASSWORD!;
      const send = (secret: string) =>
        fetch(`${hub.apiUrl}/alpinebits/alpine-ota-a`, {
          method: 'POST',
          body: form,
          headers: {
            Authorization: `Basic ${Buffer.from(`ota:${secret}`).toString('base64')}`,
            'X-AlpineBits-ClientProtocolVersion': '2020-10',
          },
        });
      const broken = await send(password);
      expect(broken.status).toBe(400);
      expect(await broken.text()).toMatch(
        /^ERROR:AlpineBits 2020-10 schema: line 1: Element 'OTA_HotelResNotifRQ': No matching global declaration/,
      );
      const denied = await send('wrong');
      expect(denied.status).toBe(401);
      expect(await denied.text()).toBe('ERROR:invalid username or password');
    });
  });

  // Last: the hub's own workers stay stopped after it.
  it('loses no change when the workers stop in the middle of a push, and resumes when they are back', async () => {
    const night = addDays(today, 50);
    // ota-a answers slowly, so a push is in flight when the workers go.
    await http.put(`${hub.sandboxUrl}/__sandbox/faults/ota-a`, { latencyMs: 3_000 });
    const keys = [uniqueId('crash'), uniqueId('crash'), uniqueId('crash')];
    await hold(keys[0]!, 'dbl', night);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    hub.workers.forEach((worker) => worker.shutdown());
    await eventually('the workers to stop', async () =>
      hub.workers.every((w) => w.getState() === 'STOPPED') ? true : undefined,
    );
    // Changes while no worker runs: the trigger marks them all the same.
    await hold(keys[1]!, 'dbl', night);
    await hold(keys[2]!, 'dbl', night);
    await releaseStay(hub.services.sequelize, { tenantId: 'alpine', reservationKey: keys[0]! });
    const [marks] = await hub.services.sequelize.query<{ n: string }>(
      `SELECT count(*) AS n FROM channel_dirty WHERE tenant_id = 'alpine' AND connector_id = 'alpine-ota-a' AND date = :night`,
      { replacements: { night }, type: QueryTypes.SELECT },
    );
    expect(Number(marks!.n)).toBe(1);
    await http.put(`${hub.sandboxUrl}/__sandbox/faults/ota-a`, { latencyMs: 0 });

    // New workers on the same queues: the sync workflow carries on where it was.
    const { connection, workers, running } = await startHubWorkers(hub.services, {
      workflowBundle: workflowBundle(),
      shutdownGrace: '0 seconds',
    });
    try {
      await shows('ota-a', DOUBLE['ota-a'], night, night, () => 8, 30_000);
      await eventually('the marks cleared', async () => {
        const [left] = await hub.services.sequelize.query<{ n: string }>(
          `SELECT count(*) AS n FROM channel_dirty WHERE tenant_id = 'alpine' AND connector_id = 'alpine-ota-a' AND date = :night`,
          { replacements: { night }, type: QueryTypes.SELECT },
        );
        return Number(left!.n) === 0 ? true : undefined;
      });
    } finally {
      for (const key of keys.slice(1))
        await releaseStay(hub.services.sequelize, { tenantId: 'alpine', reservationKey: key });
      workers.forEach((worker) => worker.shutdown());
      await running;
      await connection.close();
    }
  }, 90_000);
});
