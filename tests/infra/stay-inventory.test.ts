import { QueryTypes, type Sequelize } from 'sequelize';
import { createDatabase } from '../../db/database';
import { availabilityOf, confirmStay, holdStay, releaseStay, upsertProperty } from '../../db/stays';
import { addDays } from '../../domain/stays/dates';
import type { StayRequest } from '../../domain/stays/reservation';
import { uniqueId } from '../support/fixtures';
import { endpointsFromEnv } from '../support/hub';

/** The room-type calendar under racing holds, in real PostgreSQL. */
describe('stay inventory', () => {
  let sequelize: Sequelize;

  beforeAll(() => {
    sequelize = createDatabase(endpointsFromEnv().databaseUrl);
  });
  afterAll(async () => {
    await sequelize.close();
  });

  async function property(rooms: number) {
    const id = uniqueId('prop');
    await upsertProperty(sequelize, {
      tenantId: 'acme',
      id,
      name: 'Test Lodge',
      timeZone: 'Europe/Vienna',
      currency: 'EUR',
      roomTypes: [
        {
          id: 'dbl',
          name: 'Double',
          maxOccupancy: 2,
          rooms: Array.from({ length: rooms }, (_, i) => `${100 + i}`),
        },
      ],
      ratePlans: [
        {
          id: 'flex',
          roomTypeId: 'dbl',
          name: 'Flexible',
          amount: '120.00',
          taxPercent: 10,
          cancellation: { freeUntilDaysBefore: 2, penalty: { nights: 1 } },
        },
      ],
    });
    return id;
  }

  const stay = (propertyId: string, arrival: string, nights: number): StayRequest => ({
    propertyId,
    roomTypeId: 'dbl',
    ratePlanId: 'flex',
    arrival,
    departure: addDays(arrival, nights),
    guests: { adults: 2, children: 0 },
    guest: { name: 'Grace' },
  });

  it('never holds a night beyond its rooms when 300 overlapping stays race for 20 rooms', async () => {
    const propertyId = await property(20);
    const first = '2027-05-01';
    // Stays of 1–4 nights starting on any of 10 days: every night is wanted far more than 20 times.
    const requests = Array.from({ length: 300 }, (_, i) =>
      stay(propertyId, addDays(first, i % 10), 1 + (i % 4)),
    );
    const outcomes = await Promise.allSettled(
      requests.map((request, i) =>
        holdStay(sequelize, { tenantId: 'acme', reservationKey: `race-${propertyId}-${i}`, stay: request }),
      ),
    );
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused.every((o) => /NotAvailable/.test(String((o as PromiseRejectedResult).reason)))).toBe(true);
    const days = await availabilityOf(sequelize, 'acme', propertyId, first, addDays(first, 12));
    const perNight = await sequelize.query<{ date: string; n: string }>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, count(*) AS n FROM stay_nights
        WHERE tenant_id = 'acme' AND property_id = :propertyId GROUP BY date ORDER BY date`,
      { replacements: { propertyId }, type: QueryTypes.SELECT },
    );
    for (const day of days) {
      expect(day.held).toBeLessThanOrEqual(20);
      expect(day.held).toBe(Number(perNight.find((n) => n.date === day.date)?.n ?? 0));
    }
    // Demand far exceeds 20 a night: nights fill up, and every refusal names a night sold out.
    expect(Math.max(...days.map((d) => d.held))).toBe(20);
    expect(refused.length).toBeGreaterThan(150);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/is sold out/);
    const accepted = outcomes.filter((o) => o.status === 'fulfilled').length;
    expect(accepted + refused.length).toBe(300);
  });

  it('confirms and releases exactly what a stay took, however often asked', async () => {
    const propertyId = await property(2);
    const key = `one-${propertyId}`;
    const held = await holdStay(sequelize, {
      tenantId: 'acme',
      reservationKey: key,
      stay: stay(propertyId, '2027-06-01', 3),
    });
    expect(held).toMatchObject({ nightly: ['120.00', '120.00', '120.00'], currency: 'EUR', existing: false });
    expect(
      (
        await holdStay(sequelize, {
          tenantId: 'acme',
          reservationKey: key,
          stay: stay(propertyId, '2027-06-01', 3),
        })
      ).existing,
    ).toBe(true);
    await confirmStay(sequelize, 'acme', key);
    await confirmStay(sequelize, 'acme', key);
    let days = await availabilityOf(sequelize, 'acme', propertyId, '2027-06-01', '2027-06-03');
    expect(days.map((d) => [d.sold, d.held, d.available])).toEqual([
      [1, 0, 1],
      [1, 0, 1],
      [1, 0, 1],
    ]);
    await releaseStay(sequelize, 'acme', key);
    await releaseStay(sequelize, 'acme', key);
    days = await availabilityOf(sequelize, 'acme', propertyId, '2027-06-01', '2027-06-03');
    expect(days.map((d) => [d.sold, d.held, d.available])).toEqual([
      [0, 0, 2],
      [0, 0, 2],
      [0, 0, 2],
    ]);
    await expect(
      holdStay(sequelize, {
        tenantId: 'acme',
        reservationKey: `big-${propertyId}`,
        stay: { ...stay(propertyId, '2027-06-01', 1), guests: { adults: 3, children: 0 } },
      }),
    ).rejects.toThrow(/TooManyGuests: room type dbl sleeps at most 2, 3 guests asked/);
  });
});
