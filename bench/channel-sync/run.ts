import { randomBytes } from 'node:crypto';
import axios from 'axios';
import { holdStay, releaseStay } from '../../db/stays/holds';
import { availabilityOf } from '../../db/stays/calendar';
import { doubleRoomBooking, doubleRoomStay, upsertDoublesLodge } from '../../tests/support/properties';
import { addDays, localDate } from '../../domain/stays/dates';
import { machine, percentile, startBenchHub } from '../shared/hub';

/**
 * `npm run bench:channel-sync [-- BOOKINGS CHANGES GAP_MIN_MS GAP_MAX_MS]`: free rooms from the calendar to three
 * AlpineBits OTAs in the sandbox (60, 30 and 20 requests per minute, enforced by the sandbox).
 *
 * - Propagation: BOOKINGS bookings through the API, one at a time at random moments; for each,
 *   the time from the POST until all three OTAs show the lower count (polled every 20 ms).
 * - Requests: a burst of CHANGES calendar changes (holds and releases over 30 nights); the
 *   requests each OTA received until it shows the final values, against naive pushing of the
 *   same changes (one FreeRooms message per change, measured against a fourth hotel code of the
 *   same sandbox OTA with its limit lifted) in the same run.
 */
const BOOKINGS = Number(process.argv[2] ?? 60);
const CHANGES = Number(process.argv[3] ?? 1000);
/** Bookings come this many ms apart, at random between the two. */
const GAP_MIN_MS = Number(process.argv[4] ?? 0);
const GAP_MAX_MS = Number(process.argv[5] ?? 2_000);
/** CHANNEL_BURST overrides every OTA connection's burst (1: the evenly spaced baseline). */
const BURST = process.env.CHANNEL_BURST ? Number(process.env.CHANNEL_BURST) : undefined;
const OTAS = { 'ota-a': 'DOUBLE', 'ota-b': 'DBL', 'ota-c': 'dbl-room' } as const;
const LIMITS = { 'ota-a': 60, 'ota-b': 30, 'ota-c': 20 } as const;
type Ota = keyof typeof OTAS;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const propertyId = `bench-${randomBytes(3).toString('hex')}`;
  const hub = await startBenchHub({
    adjust: (config) => {
      for (const connector of config.connectors.filter((c) => c.kind === 'ota')) {
        connector.options.propertyId = propertyId;
        connector.options.hotelCode = propertyId;
        connector.options.horizonDays = 90;
        connector.options.ratePlans = { flex: 'FLEX' };
        // The bench's lodge has double rooms only.
        connector.options.roomTypes = { dbl: (connector.options.roomTypes as Record<string, string>).dbl };
        if (BURST !== undefined) connector.options.burst = BURST;
      }
    },
    // The connections sell this property, so it exists before the hub checks them.
    beforeStart: (services) =>
      upsertDoublesLodge(services.sequelize, { id: propertyId, rooms: 200, amount: '100.00' }),
  });
  const { services, apiUrl, sandboxUrl } = hub;
  const headers = { Authorization: `Bearer ${process.env.CROSSDOCK_API_KEY_ALPINE}` };
  for (const ota of Object.keys(OTAS) as Ota[])
    await axios.put(`${sandboxUrl}/__sandbox/ota/${ota}/settings`, { requestsPerMinute: LIMITS[ota] });
  const today = localDate(Date.now(), 'Europe/Vienna');
  const shown = async (ota: Ota, date: string, hotel = propertyId) =>
    (
      await axios.get<{ dates: Record<string, number | null> }>(
        `${sandboxUrl}/__sandbox/ota/${ota}/free-rooms`,
        {
          params: { hotel, code: OTAS[ota], from: date, to: date },
        },
      )
    ).data.dates[date];
  const available = async (date: string) =>
    (await availabilityOf(services.sequelize, 'alpine', propertyId, date, date)).find(
      (d) => d.roomTypeId === 'dbl',
    )!.available;
  const stats = async () =>
    (
      await axios.get<{ ota: Record<Ota, { requests: number; throttled: number }> }>(
        `${sandboxUrl}/__sandbox/stats`,
      )
    ).data.ota;

  // Every OTA starts from a complete set (the connection's first run): wait until all of it is through.
  const last = addDays(today, 89);
  for (const ota of Object.keys(OTAS) as Ota[])
    for (;;) {
      const { data } = await axios.get<{
        dates: Record<string, { free: number | null; rates: Record<string, string> }>;
      }>(`${sandboxUrl}/__sandbox/ota/${ota}/ari`, {
        params: { hotel: propertyId, code: OTAS[ota], from: last, to: last },
      });
      if (data.dates[last]?.free === 200 && Object.keys(data.dates[last]?.rates ?? {}).length > 0) break;
      await sleep(100);
    }
  await sleep(5_000);

  // 1. Propagation of single bookings.
  const beforeBookings = await stats();
  const latencies: number[] = [];
  /** How long the booking's POST took: the part of propagation that is not the sync's. */
  const answers: number[] = [];
  for (let i = 0; i < BOOKINGS; i++) {
    await sleep(GAP_MIN_MS + Math.random() * (GAP_MAX_MS - GAP_MIN_MS));
    const arrival = addDays(today, 1 + (i % 60));
    const expected = (await available(arrival)) - 1;
    const started = Date.now();
    const booked = await axios.post(
      `${apiUrl}/v1/reservations`,
      doubleRoomBooking({
        channel: 'ota',
        externalId: `p-${propertyId}-${i}`,
        propertyId,
        arrival,
        nights: 1,
        guest: { name: 'Bench' },
      }),
      { headers },
    );
    if (booked.status !== 201) throw new Error(`booking ${i} answered ${booked.status}`);
    answers.push(Date.now() - started);
    const pending = new Set(Object.keys(OTAS) as Ota[]);
    while (pending.size > 0) {
      for (const ota of [...pending]) if ((await shown(ota, arrival)) === expected) pending.delete(ota);
      if (pending.size > 0) await sleep(20);
    }
    latencies.push(Date.now() - started);
  }

  // 2. A burst of changes, coalesced by the sync.
  const before = await stats();
  const throttledInBookings = Object.fromEntries(
    (Object.keys(OTAS) as Ota[]).map((ota) => [ota, before[ota].throttled - beforeBookings[ota].throttled]),
  );
  const stay = (i: number) => {
    const arrival = addDays(today, 1 + (i % 30));
    return doubleRoomStay({
      propertyId,
      arrival,
      departure: addDays(arrival, 1),
      adults: 1,
      guestName: 'Burst',
    });
  };
  const burstStart = Date.now();
  const changes: Array<{ date: string }> = [];
  for (let i = 0; changes.length < CHANGES; i++) {
    const key = `burst-${propertyId}-${i}`;
    await holdStay(services.sequelize, { tenantId: 'alpine', reservationKey: key, stay: stay(i) });
    changes.push({ date: stay(i).arrival });
    if (i % 2 === 1) {
      await releaseStay(services.sequelize, {
        tenantId: 'alpine',
        reservationKey: `burst-${propertyId}-${i - 1}`,
      });
      changes.push({ date: stay(i - 1).arrival });
    }
  }
  const burstEnd = Date.now();
  const finals = new Map<string, number>();
  for (const { date } of changes) if (!finals.has(date)) finals.set(date, await available(date));
  const converged: Record<string, number> = {};
  for (const ota of Object.keys(OTAS) as Ota[]) {
    for (;;) {
      const values = await Promise.all([...finals.keys()].map((d) => shown(ota, d)));
      if ([...finals.values()].every((v, k) => values[k] === v)) break;
      await sleep(100);
    }
    converged[ota] = Date.now() - burstEnd;
  }
  const after = await stats();

  // 3. Naive pushing: one FreeRooms message per change, to a separate hotel code, limit lifted.
  await axios.put(`${sandboxUrl}/__sandbox/ota/ota-a/settings`, { requestsPerMinute: null });
  const naiveBefore = (await stats())['ota-a'].requests;
  const channel = services.connectors.ota('alpine-ota-a');
  const naiveStart = Date.now();
  for (const { date } of changes)
    await channel.sendFreeRooms({
      completeSet: false,
      items: [{ start: date, end: date, invTypeCode: 'DOUBLE', bookable: finals.get(date)! }],
    });
  const naiveMs = Date.now() - naiveStart;
  const naiveRequests = (await stats())['ota-a'].requests - naiveBefore;

  const requests = Object.fromEntries(
    (Object.keys(OTAS) as Ota[]).map((ota) => [ota, after[ota].requests - before[ota].requests]),
  ) as Record<Ota, number>;
  console.log(
    JSON.stringify(
      {
        machine: machine(),
        bookings: BOOKINGS,
        propagation: {
          p50ms: percentile(latencies, 50),
          p95ms: percentile(latencies, 95),
          maxMs: Math.max(...latencies),
          bookingAnsweredP50ms: percentile(answers, 50),
          gapMs: [GAP_MIN_MS, GAP_MAX_MS],
          burst: BURST ?? 'as configured',
          throttled: throttledInBookings,
        },
        burst: {
          changes: changes.length,
          writtenInMs: burstEnd - burstStart,
          requests,
          throttled: Object.fromEntries(
            (Object.keys(OTAS) as Ota[]).map((ota) => [ota, after[ota].throttled - before[ota].throttled]),
          ),
          convergedAfterBurstMs: converged,
        },
        naive: {
          requests: naiveRequests,
          ms: naiveMs,
          minutesAtLimit: Object.fromEntries(
            (Object.keys(OTAS) as Ota[]).map((ota) => [ota, +(changes.length / LIMITS[ota]).toFixed(1)]),
          ),
        },
        reduction: Object.fromEntries(
          (Object.keys(OTAS) as Ota[]).map((ota) => [
            ota,
            +(naiveRequests / Math.max(requests[ota], 1)).toFixed(1),
          ]),
        ),
      },
      null,
      2,
    ),
  );
  await hub.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
