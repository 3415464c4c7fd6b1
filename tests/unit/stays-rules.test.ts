import { checkStay, type CalendarDay } from '../../domain/stays/availability';
import { cancellationFee } from '../../domain/stays/cancellation';
import { addDays, isCalendarDate, localDate, nightsOf } from '../../domain/stays/dates';
import { balanceOf, folioTotals, type FolioEntry } from '../../domain/stays/folio';
import { isReadyForGuest, roomTransitionRefusal } from '../../domain/stays/housekeeping';
import { changedStay, stayChangeRefusal, stayDifferences } from '../../domain/stays/modification';
import { checkOccupancy, extraGuestsPerNight } from '../../domain/stays/occupancy';
import { occupancyCsv, occupancyReport } from '../../domain/stays/reports';
import type { StayRequest } from '../../domain/stays/reservation';
import { stayChangeSchema } from '../../domain/stays/validation';

function day(date: string, patch: Partial<CalendarDay> = {}): CalendarDay {
  return {
    date,
    physical: 20,
    outOfOrder: 0,
    sold: 0,
    held: 0,
    closed: false,
    closedToArrival: false,
    closedToDeparture: false,
    minLos: null,
    maxLos: null,
    ...patch,
  };
}

describe('stay dates', () => {
  it('counts nights from arrival to the day before departure, across month and leap-year ends', () => {
    expect(nightsOf('2028-02-27', '2028-03-02')).toEqual([
      '2028-02-27',
      '2028-02-28',
      '2028-02-29',
      '2028-03-01',
    ]);
    expect(nightsOf('2026-12-31', '2026-12-31')).toEqual([]);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
  });

  it('reads the calendar date in the property’s time zone', () => {
    // 23:30 UTC on 14 March is already 15 March in Vienna and still 14 March in New York.
    expect(localDate('2026-03-14T23:30:00Z', 'Europe/Vienna')).toBe('2026-03-15');
    expect(localDate('2026-03-14T23:30:00Z', 'America/New_York')).toBe('2026-03-14');
  });
});

describe('stay availability and restrictions', () => {
  const nights = ['2026-07-01', '2026-07-02', '2026-07-03'].map((d) => day(d));

  it('sells a stay that fits and names every reason one does not', () => {
    expect(checkStay('2026-07-01', '2026-07-04', nights, day('2026-07-04'))).toEqual([]);
    const refused = checkStay(
      '2026-07-01',
      '2026-07-04',
      [
        day('2026-07-01', { closedToArrival: true, minLos: 4 }),
        day('2026-07-02', { sold: 18, held: 1, outOfOrder: 1 }),
        day('2026-07-03', { closed: true }),
      ],
      day('2026-07-04', { closedToDeparture: true }),
    );
    expect(refused).toEqual([
      '2026-07-01 is closed to arrival',
      '2026-07-04 is closed to departure',
      'stays arriving 2026-07-01 need at least 4 nights',
      '2026-07-02 is sold out',
      '2026-07-03 is closed',
    ]);
    expect(checkStay('2026-07-01', '2026-07-04', [day('2026-07-01', { maxLos: 2 })], undefined)).toEqual([
      'stays arriving 2026-07-01 may last at most 2 nights',
      '2026-07-02 is not on sale',
      '2026-07-03 is not on sale',
    ]);
    expect(checkStay('2026-07-04', '2026-07-04', [], undefined)).toEqual(['departure must be after arrival']);
  });
});

describe('cancellation policy', () => {
  const policy = { freeUntilDaysBefore: 7, penalty: { nights: 1 } };

  it('is free until the window, then charges the policy’s penalty', () => {
    expect(cancellationFee(policy, '2026-08-10', ['120.00', '130.00'], '2026-08-03').fee).toBe('0.00');
    const late = cancellationFee(policy, '2026-08-10', ['120.00', '130.00'], '2026-08-04');
    expect(late).toEqual({
      fee: '120.00',
      reason: 'cancelled 6 day(s) before arrival, inside the 7-day window: 1 night(s)',
    });
    const percent = cancellationFee(
      { freeUntilDaysBefore: 2, penalty: { percent: 50 } },
      '2026-08-10',
      ['120.00', '130.01'],
      '2026-08-09',
    );
    expect(percent.fee).toBe('125.01');
  });
});

describe('housekeeping states', () => {
  it('moves dirty → clean → inspected, sends rooms back to cleaning after service, refuses shortcuts', () => {
    expect(roomTransitionRefusal('dirty', 'clean')).toBeUndefined();
    expect(roomTransitionRefusal('clean', 'inspected')).toBeUndefined();
    expect(roomTransitionRefusal('inspected', 'dirty')).toBeUndefined();
    expect(roomTransitionRefusal('out_of_order', 'dirty')).toBeUndefined();
    expect(roomTransitionRefusal('dirty', 'inspected')).toBe(
      'a room that is dirty cannot become inspected (next: clean, out_of_service, out_of_order)',
    );
    expect(roomTransitionRefusal('out_of_service', 'clean')).toMatch(/cannot become clean \(next: dirty\)/);
    expect(['dirty', 'clean', 'inspected'].filter((s) => isReadyForGuest(s as never))).toEqual([
      'clean',
      'inspected',
    ]);
  });
});

describe('occupancy report', () => {
  it('computes occupancy, ADR and RevPAR per date and for the range, out-of-order rooms not available', () => {
    const report = occupancyReport([
      { date: '2027-01-01', physical: 20, outOfOrder: 0, sold: 15, revenueMinor: 15 * 12000 },
      { date: '2027-01-02', physical: 20, outOfOrder: 4, sold: 8, revenueMinor: 8 * 13000 },
      { date: '2027-01-03', physical: 20, outOfOrder: 0, sold: 0, revenueMinor: 0 },
    ]);
    expect(report.days[1]).toEqual({
      date: '2027-01-02',
      roomsAvailable: 16,
      roomsSold: 8,
      occupancy: '50.0',
      revenue: '1040.00',
      adr: '130.00',
      revpar: '65.00',
    });
    expect(report.days[2]).toMatchObject({ occupancy: '0.0', adr: '0.00', revpar: '0.00' });
    expect(report.total).toEqual({
      roomsAvailable: 56,
      roomsSold: 23,
      occupancy: '41.1',
      revenue: '2840.00',
      adr: '123.48',
      revpar: '50.71',
    });
    expect(occupancyCsv(report).split('\n')).toEqual([
      'date,rooms_available,rooms_sold,occupancy_percent,revenue,adr,revpar',
      '2027-01-01,20,15,75.0,1800.00,120.00,90.00',
      '2027-01-02,16,8,50.0,1040.00,130.00,65.00',
      '2027-01-03,20,0,0.0,0.00,0.00,0.00',
      'total,56,23,41.1,2840.00,123.48,50.71',
      '',
    ]);
  });

  describe('stay changes', () => {
    const booked: StayRequest = {
      propertyId: 'lodge',
      roomTypeId: 'dbl',
      ratePlanId: 'flex',
      arrival: '2027-03-10',
      departure: '2027-03-12',
      guests: { adults: 2, children: 0 },
      guest: { name: 'Ada' },
    };

    it('describes each difference and keeps what was not named', () => {
      const after = changedStay(booked, { departure: '2027-03-14', roomTypeId: 'ste' });
      expect(after).toEqual({ ...booked, departure: '2027-03-14', roomTypeId: 'ste' });
      expect(stayDifferences(booked, after)).toEqual([
        'dates 2027-03-10..2027-03-12 → 2027-03-10..2027-03-14',
        'room type dbl → ste',
      ]);
    });

    it('refuses changes that cannot be tried, with the reason', () => {
      const today = '2027-03-01';
      expect(stayChangeRefusal(booked, { departure: '2027-03-13' }, today)).toBeUndefined();
      expect(stayChangeRefusal(booked, { arrival: '2027-03-10' }, today)).toBe(
        'the change leaves the stay as it was',
      );
      expect(stayChangeRefusal(booked, { departure: '2027-03-10' }, today)).toBe(
        'departure 2027-03-10 must be after arrival 2027-03-10',
      );
      expect(stayChangeRefusal(booked, { departure: '2027-04-20' }, today)).toBe(
        'a stay lasts at most 30 nights, 41 asked',
      );
      expect(stayChangeRefusal(booked, { arrival: '2027-02-27' }, today)).toBe(
        'arrival 2027-02-27 has passed at the property; it is 2027-03-01 there',
      );
      expect(stayChangeRefusal(booked, { arrival: '2027-02-30' }, today)).toMatch(/not a calendar date/);
      // Guests in house may still extend: the arrival is kept even though it has passed.
      expect(stayChangeRefusal(booked, { departure: '2027-03-13' }, '2027-03-11')).toBeUndefined();
    });

    it('takes at least one field, and only known ones, at the API', () => {
      expect(stayChangeSchema.safeParse({}).success).toBe(false);
      expect(stayChangeSchema.safeParse({ nights: 3 }).success).toBe(false);
      expect(stayChangeSchema.parse({ guests: { adults: 1 } })).toEqual({
        guests: { adults: 1, children: 0 },
      });
    });
  });

  it('keeps a folio’s balance from charges with tax, payments and refunds, in credit as a negative', () => {
    const entry = (id: string, kind: FolioEntry['kind'], amount: string, tax = '0.00'): FolioEntry => ({
      id,
      kind,
      source: kind === 'charge' ? 'room' : 'payment',
      description: id,
      amount,
      tax,
      at: '2027-01-01T00:00:00Z',
    });
    const entries = [
      entry('room:2027-01-01', 'charge', '150.00', '15.00'),
      entry('payment:dep', 'payment', '330.00'),
    ];
    expect(balanceOf(entries)).toBe(-16_500);
    expect(folioTotals(entries)).toEqual({
      charges: '150.00',
      tax: '15.00',
      payments: '330.00',
      refunds: '0.00',
      balance: '-165.00',
    });
    const refunded = [...entries, entry('refund:r1', 'refund', '165.00')];
    expect(folioTotals(refunded)).toMatchObject({ refunds: '165.00', balance: '0.00' });
    expect(balanceOf([entry('pos:1', 'charge', '0.10', '0.01')])).toBe(11);
  });
});

describe('occupancy', () => {
  const suite = { maxOccupancy: 4, baseOccupancy: 2, extraGuestAmount: '35.5' };
  const party = (adults: number, children: number) => ({ roomTypeId: 'suite', guests: { adults, children } });

  test('a party above the room type is refused, naming it; one that fits is not', () => {
    expect(() => checkOccupancy(party(3, 2), suite)).toThrow(
      /room type suite sleeps at most 4, 5 guests asked/,
    );
    expect(() => checkOccupancy(party(2, 2), suite)).not.toThrow();
  });

  test('guests above the base occupancy cost the extra amount each, per night, exactly', () => {
    expect(extraGuestsPerNight(party(2, 0), suite)).toBe('0.00');
    expect(extraGuestsPerNight(party(3, 1), suite)).toBe('71.00');
    expect(extraGuestsPerNight(party(3, 1), { ...suite, extraGuestAmount: null })).toBe('0.00');
  });
});
