import { QueryTypes } from 'sequelize';
import { availabilityOf } from '../../db/stays/calendar';
import { confirmStay, holdStay, modifyStay, releaseStay } from '../../db/stays/holds';
import { addDays } from '../../domain/stays/dates';
import type { StayRequest } from '../../domain/stays/reservation';
import { uniqueId } from '../support/fixtures';
import { databaseForTests } from '../support/database';
import { doubleRoomStay, upsertDoublesLodge } from '../support/properties';

/** The room-type calendar under racing holds, in real PostgreSQL. */
describe('stay inventory', () => {
  const sequelize = databaseForTests();

  async function property(rooms: number, suites = 0) {
    const id = uniqueId('prop');
    await upsertDoublesLodge(sequelize(), {
      tenantId: 'acme',
      id,
      rooms,
      amount: '120.00',
      freeUntilDaysBefore: 2,
      // Suites only where a test asks for them, so the others see one room type.
      ...(suites > 0
        ? {
            more: {
              roomTypes: [
                {
                  id: 'ste',
                  name: 'Suite',
                  maxOccupancy: 4,
                  rooms: Array.from({ length: suites }, (_, i) => `${500 + i}`),
                },
              ],
              ratePlans: [
                {
                  id: 'suite',
                  roomTypeId: 'ste',
                  name: 'Suite',
                  amount: '300.00',
                  taxPercent: 10,
                  cancellation: { freeUntilDaysBefore: 2, penalty: { nights: 1 } },
                },
              ],
            },
          }
        : {}),
    });
    return id;
  }

  const stay = (propertyId: string, arrival: string, nights: number) =>
    doubleRoomStay({
      propertyId,
      arrival,
      departure: addDays(arrival, nights),
      adults: 2,
      guestName: 'Grace',
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
        holdStay(sequelize(), { tenantId: 'acme', reservationKey: `race-${propertyId}-${i}`, stay: request }),
      ),
    );
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused.every((o) => /NotAvailable/.test(String((o as PromiseRejectedResult).reason)))).toBe(true);
    const days = await availabilityOf(sequelize(), 'acme', propertyId, first, addDays(first, 12));
    const perNight = await sequelize().query<{ date: string; n: string }>(
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
    const held = await holdStay(sequelize(), {
      tenantId: 'acme',
      reservationKey: key,
      stay: stay(propertyId, '2027-06-01', 3),
    });
    expect(held).toMatchObject({ nightly: ['120.00', '120.00', '120.00'], currency: 'EUR', existing: false });
    expect(
      (
        await holdStay(sequelize(), {
          tenantId: 'acme',
          reservationKey: key,
          stay: stay(propertyId, '2027-06-01', 3),
        })
      ).existing,
    ).toBe(true);
    await confirmStay(sequelize(), { tenantId: 'acme', reservationKey: key });
    await confirmStay(sequelize(), { tenantId: 'acme', reservationKey: key });
    let days = await availabilityOf(sequelize(), 'acme', propertyId, '2027-06-01', '2027-06-03');
    expect(days.map((d) => [d.sold, d.held, d.available])).toEqual([
      [1, 0, 1],
      [1, 0, 1],
      [1, 0, 1],
    ]);
    await releaseStay(sequelize(), { tenantId: 'acme', reservationKey: key });
    await releaseStay(sequelize(), { tenantId: 'acme', reservationKey: key });
    days = await availabilityOf(sequelize(), 'acme', propertyId, '2027-06-01', '2027-06-03');
    expect(days.map((d) => [d.sold, d.held, d.available])).toEqual([
      [0, 0, 2],
      [0, 0, 2],
      [0, 0, 2],
    ]);
    await expect(
      holdStay(sequelize(), {
        tenantId: 'acme',
        reservationKey: `big-${propertyId}`,
        stay: { ...stay(propertyId, '2027-06-01', 1), guests: { adults: 3, children: 0 } },
      }),
    ).rejects.toThrow(/TooManyGuests: room type dbl sleeps at most 2, 3 guests asked/);
  });

  const sold = async (propertyId: string, roomTypeId: string, from: string, to: string) =>
    (await availabilityOf(sequelize(), 'acme', propertyId, from, to))
      .filter((d) => d.roomTypeId === roomTypeId)
      .map((d) => d.sold + d.held);

  it('moves a stay’s nights to new dates and room type in one transaction, or leaves them all', async () => {
    const propertyId = await property(2, 1);
    const key = `move-${propertyId}`;
    const booked = stay(propertyId, '2027-07-01', 3);
    await holdStay(sequelize(), { tenantId: 'acme', reservationKey: key, stay: booked });
    await confirmStay(sequelize(), { tenantId: 'acme', reservationKey: key });
    /** Moves the confirmed stay to `to`, at its booked price or at the new room type's. */
    const moveTo = (to: StayRequest, reprice: boolean) =>
      modifyStay(sequelize(), { tenantId: 'acme', reservationKey: key, stay: to, reprice });

    const later = { ...booked, arrival: '2027-07-03', departure: '2027-07-05' };
    const moved = await moveTo(later, false);
    expect(moved).toMatchObject({ nightly: ['120.00', '120.00'], existing: false });
    expect(await sold(propertyId, 'dbl', '2027-07-01', '2027-07-05')).toEqual([0, 0, 1, 1, 0]);
    // Sold nights stay sold: the move does not turn a confirmed stay back into a hold.
    const days = await availabilityOf(sequelize(), 'acme', propertyId, '2027-07-03', '2027-07-04');
    expect(days.filter((d) => d.roomTypeId === 'dbl').map((d) => [d.sold, d.held])).toEqual([
      [1, 0],
      [1, 0],
    ]);
    // Asked again (a retry), nothing moves twice.
    const again = await moveTo(later, false);
    expect(again).toMatchObject({ nightly: ['120.00', '120.00'], existing: true });
    expect(await sold(propertyId, 'dbl', '2027-07-01', '2027-07-05')).toEqual([0, 0, 1, 1, 0]);

    // The only suite is sold on 07-04: an upgrade over that night is refused and nothing moves.
    await holdStay(sequelize(), {
      tenantId: 'acme',
      reservationKey: `suite-${propertyId}`,
      stay: {
        ...booked,
        roomTypeId: 'ste',
        ratePlanId: 'suite',
        arrival: '2027-07-04',
        departure: '2027-07-05',
      },
    });
    const upgrade = { ...later, roomTypeId: 'ste', ratePlanId: 'suite' };
    await expect(moveTo(upgrade, true)).rejects.toThrow(/NotAvailable: .*2027-07-04/);
    expect(await sold(propertyId, 'dbl', '2027-07-03', '2027-07-04')).toEqual([1, 1]);
    expect(await sold(propertyId, 'ste', '2027-07-03', '2027-07-04')).toEqual([0, 1]);

    // One night earlier the suite is free: the stay moves type and price together.
    const suiteStay = { ...upgrade, arrival: '2027-07-02', departure: '2027-07-04' };
    const upgraded = await moveTo(suiteStay, true);
    expect(upgraded.nightly).toEqual(['300.00', '300.00']);
    expect(await sold(propertyId, 'dbl', '2027-07-02', '2027-07-04')).toEqual([0, 0, 0]);
    expect(await sold(propertyId, 'ste', '2027-07-02', '2027-07-04')).toEqual([1, 1, 1]);
    // A bigger party than the room sleeps is refused.
    await expect(moveTo({ ...suiteStay, guests: { adults: 5, children: 0 } }, false)).rejects.toThrow(
      /TooManyGuests/,
    );
  });

  it('never sells a night beyond its rooms when stays move onto it while new bookings race for it', async () => {
    const propertyId = await property(3);
    const target = '2027-08-15';
    // Twelve confirmed one-night stays on other dates all try to move onto the target night, while
    // twelve new bookings try to hold it: three rooms, so exactly three win, whoever they are.
    const keys = Array.from({ length: 12 }, (_, i) => `mv-${propertyId}-${i}`);
    for (const [i, key] of keys.entries()) {
      await holdStay(sequelize(), {
        tenantId: 'acme',
        reservationKey: key,
        stay: stay(propertyId, addDays('2027-08-01', i % 6), 1),
      });
      await confirmStay(sequelize(), { tenantId: 'acme', reservationKey: key });
    }
    const outcomes = await Promise.allSettled([
      ...keys.map((key) =>
        modifyStay(sequelize(), {
          tenantId: 'acme',
          reservationKey: key,
          stay: stay(propertyId, target, 1),
          reprice: false,
        }),
      ),
      ...keys.map((_, i) =>
        holdStay(sequelize(), {
          tenantId: 'acme',
          reservationKey: `new-${propertyId}-${i}`,
          stay: stay(propertyId, target, 1),
        }),
      ),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    for (const o of outcomes)
      if (o.status === 'rejected') expect(String(o.reason)).toMatch(/NotAvailable: .*is sold out/);
    const days = await availabilityOf(sequelize(), 'acme', propertyId, '2027-08-01', target);
    const perNight = await sequelize().query<{ date: string; n: string }>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, count(*) AS n FROM stay_nights
        WHERE tenant_id = 'acme' AND property_id = :propertyId GROUP BY date`,
      { replacements: { propertyId }, type: QueryTypes.SELECT },
    );
    for (const day of days)
      expect(day.sold + day.held).toBe(Number(perNight.find((n) => n.date === day.date)?.n ?? 0));
    expect(days.find((d) => d.date === target)).toMatchObject({ available: 0 });
    // Each of the twelve stays holds exactly one night, moved or not; the new bookings add theirs.
    const newHolds = outcomes.slice(keys.length).filter((o) => o.status === 'fulfilled').length;
    expect(perNight.reduce((sum, n) => sum + Number(n.n), 0)).toBe(keys.length + newHolds);
  });
});
