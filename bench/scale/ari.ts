import { randomBytes } from 'node:crypto';
import axios from 'axios';
import type { Sequelize } from 'sequelize';
import { declareProperty } from '../../db/master-data/declare';
import { addDays, localDate } from '../../domain/stays/dates';
import { startBenchHub } from '../shared/hub';

const OTAS = ['ota-a', 'ota-b', 'ota-c'] as const;
const HORIZON_DAYS = 365;

export interface AriRow {
  roomTypes: number;
  days: number;
  otas: number;
  /** Room type × night pairs one OTA receives in a complete set. */
  nightsPerOta: number;
  /** Messages (free rooms, restrictions, rates, and the handshake) over all three OTAs. */
  messages: number;
  bytes: number;
  /** From the syncs' start to every OTA showing the last night's rates of the last room type. */
  seconds: number;
  /** Messages one OTA received, and how long they take at that OTA's own limit (20, 30, 60 a minute). */
  minutesAtLimits: Record<string, number>;
}

/**
 * A year as a revenue manager prices it: every rate differs from the night before (a weekly
 * pattern over a rising base), and Friday and Saturday arrivals need two nights. Nothing merges
 * into long ranges, so the complete set is as large as it gets.
 */
async function varyByNight(sequelize: Sequelize, propertyId: string): Promise<void> {
  await sequelize.query(
    `INSERT INTO rate_amounts (tenant_id, property_id, rate_plan_id, date, amount)
     SELECT 'alpine', :propertyId, plan.id, night::date,
            100 + (extract(doy FROM night)::int % 7) * 5 + extract(doy FROM night)::int / 7
       FROM rate_plans plan, generate_series(current_date - 1, current_date + :days, interval '1 day') night
      WHERE plan.tenant_id = 'alpine' AND plan.property_id = :propertyId
     ON CONFLICT (tenant_id, property_id, rate_plan_id, date) DO UPDATE SET amount = EXCLUDED.amount`,
    { replacements: { propertyId, days: HORIZON_DAYS + 1 } },
  );
  await sequelize.query(
    `UPDATE room_type_calendar SET min_los = 2
      WHERE tenant_id = 'alpine' AND property_id = :propertyId AND extract(isodow FROM date) IN (5, 6)`,
    { replacements: { propertyId } },
  );
}

const LIMITS: Record<(typeof OTAS)[number], number> = { 'ota-a': 60, 'ota-b': 30, 'ota-c': 20 };

/**
 * The complete set a new connection starts from (free rooms, restrictions and rates for every
 * room type and night of the horizon) to the three sandbox OTAs, for a property of `roomTypes`
 * room types with a rate plan each. The OTAs' request limits are lifted so the hub's own cost is
 * measured; what the same messages take at each OTA's limit is computed from their count.
 */
export async function measureAri(roomTypes: number): Promise<AriRow> {
  const propertyId = `scale-${randomBytes(3).toString('hex')}`;
  const code = (i: number) => `RT${String(i).padStart(3, '0')}`;
  const types = Array.from({ length: roomTypes }, (_, i) => `rt${i}`);
  const hub = await startBenchHub({
    adjust: (config) => {
      for (const connector of config.connectors.filter((c) => c.kind === 'ota')) {
        connector.options.propertyId = propertyId;
        connector.options.hotelCode = propertyId;
        connector.options.horizonDays = HORIZON_DAYS;
        connector.options.roomTypes = Object.fromEntries(types.map((t, i) => [t, code(i)]));
        connector.options.ratePlans = Object.fromEntries(types.map((t, i) => [`${t}-flex`, `F${code(i)}`]));
        connector.options.requestsPerMinute = 6_000;
        connector.options.burst = 100;
      }
    },
    beforeStart: async (services) => {
      await declareProperty(
        services.sequelize,
        {
          tenantId: 'alpine',
          id: propertyId,
          name: 'Scale lodge',
          timeZone: 'Europe/Vienna',
          currency: 'EUR',
          roomTypes: types.map((id, i) => ({
            id,
            name: `Type ${i}`,
            maxOccupancy: 2,
            rooms: [`${i}-1`, `${i}-2`],
          })),
          ratePlans: types.map((id, i) => ({
            id: `${id}-flex`,
            roomTypeId: id,
            name: `Flexible ${i}`,
            amount: `${100 + i}.00`,
            taxPercent: 10,
            cancellation: { freeUntilDaysBefore: 1, penalty: { nights: 1 } },
          })),
        },
        { horizonDays: HORIZON_DAYS + 1 },
      );
      await varyByNight(services.sequelize, propertyId);
    },
  });
  // The syncs started with the hub's background work: the clock runs from there.
  const started = Date.now();
  try {
    const last = addDays(localDate(Date.now(), 'Europe/Vienna'), HORIZON_DAYS - 1);
    const lastCode = code(roomTypes - 1);
    for (const ota of OTAS)
      for (;;) {
        const { data } = await axios.get<{ dates: Record<string, { rates?: Record<string, string> }> }>(
          `${hub.sandboxUrl}/__sandbox/ota/${ota}/ari`,
          { params: { hotel: propertyId, code: lastCode, from: last, to: last } },
        );
        if (Object.keys(data.dates[last]?.rates ?? {}).length > 0) break;
        if (Date.now() - started > 900_000) throw new Error(`${ota} never received the complete set`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    const seconds = (Date.now() - started) / 1000;
    const stats = (
      await axios.get<{ ota: Record<string, { requests: number; bytes: number }> }>(
        `${hub.sandboxUrl}/__sandbox/stats`,
      )
    ).data.ota;
    return {
      roomTypes,
      days: HORIZON_DAYS,
      otas: OTAS.length,
      nightsPerOta: roomTypes * HORIZON_DAYS,
      messages: OTAS.reduce((n, ota) => n + stats[ota]!.requests, 0),
      bytes: OTAS.reduce((n, ota) => n + stats[ota]!.bytes, 0),
      seconds: Math.round(seconds * 10) / 10,
      minutesAtLimits: Object.fromEntries(
        OTAS.map((ota) => [ota, Math.round((stats[ota]!.requests / LIMITS[ota]) * 10) / 10]),
      ),
    };
  } finally {
    await hub.stop();
  }
}
