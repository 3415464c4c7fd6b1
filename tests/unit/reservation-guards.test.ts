import fc from 'fast-check';
import * as guards from '../../domain/stays/guards';
import { RESERVATION_STATUSES, TERMINAL_RESERVATION_STATUSES } from '../../domain/stays/reservation';

const day = fc.integer({ min: 1, max: 28 }).map((d) => `2027-03-${String(d).padStart(2, '0')}`);
const activity: fc.Arbitrary<guards.ReservationActivity> = fc.record({
  id: fc.constantFrom('rest:a1', 'ota:b2'),
  status: fc.constantFrom(...RESERVATION_STATUSES),
  placed: fc.boolean(),
  confirming: fc.boolean(),
  cancelling: fc.boolean(),
  checkingIn: fc.boolean(),
  modifying: fc.boolean(),
  reaccommodating: fc.boolean(),
  awaitingPlacement: fc.boolean(),
  settling: fc.boolean(),
  checkingOut: fc.boolean(),
});
const stayDates = fc.tuple(day, day).filter(([a, b]) => a < b);
const busy = (r: guards.ReservationActivity) => r.checkingIn || r.modifying || r.cancelling;
const runs = { numRuns: 2000 };

describe('reservation guards (domain/stays/guards.ts), over generated process states', () => {
  it('allow each action only in its statuses', () => {
    fc.assert(
      fc.property(activity, stayDates, day, (r, [arrival, departure], today) => {
        if (!guards.confirmationRefusal(r)) expect(r.status).toBe('held');
        if (!guards.cancellationRefusal(r)) expect(guards.CANCELLABLE_STATUSES).toContain(r.status);
        if (!guards.reaccommodationRefusal(r)) expect(r.status).toBe('overbooked');
        if (!guards.modificationRefusal(r)) expect(guards.MODIFIABLE_STATUSES).toContain(r.status);
        if (!guards.paymentRefusal(r))
          expect(r.settling || guards.PAYABLE_STATUSES.includes(r.status)).toBe(true);
        if (!guards.refundRefusal(r))
          expect(r.settling || guards.REFUNDABLE_STATUSES.includes(r.status)).toBe(true);
        if (!guards.chargeRefusal(r)) expect(r.status).toBe('in_house');
        if (!guards.checkOutRefusal(r)) expect(r.status).toBe('in_house');
        if (!guards.checkInRefusal(r, { arrival, departure }, today)) {
          expect(r.status).toBe('confirmed');
          expect(today >= arrival && today < departure).toBe(true);
        }
      }),
      runs,
    );
  });

  it('refuse everything but a payment or refund on a settling folio once the stay has ended', () => {
    fc.assert(
      fc.property(
        activity.filter((r) => TERMINAL_RESERVATION_STATUSES.includes(r.status) && r.status !== 'overbooked'),
        stayDates,
        day,
        (r, [arrival, departure], today) => {
          for (const refusal of [
            guards.confirmationRefusal(r),
            guards.cancellationRefusal(r),
            guards.reaccommodationRefusal(r),
            guards.modificationRefusal(r),
            guards.chargeRefusal(r),
            guards.checkOutRefusal(r),
            guards.checkInRefusal(r, { arrival, departure }, today),
          ])
            expect(refusal).toMatch(new RegExp(`^reservation ${r.id} is ${r.status.replace(/_/g, '.')}[ ;]`));
          expect(guards.paymentRefusal(r) === undefined).toBe(r.placed && r.settling);
        },
      ),
      runs,
    );
  });

  it('take one change at a time: while checking in, modifying or cancelling, no other of them starts', () => {
    fc.assert(
      fc.property(activity.filter(busy), stayDates, day, (r, [arrival, departure], today) => {
        expect(guards.modificationRefusal(r)).toBeDefined();
        expect(guards.checkInRefusal(r, { arrival, departure }, today)).toBeDefined();
        expect(guards.cancellationRefusal(r)).toBeDefined();
      }),
      runs,
    );
  });

  it('never lets ops both confirm and re-accommodate the same state', () => {
    fc.assert(
      fc.property(activity, (r) => {
        expect(
          guards.confirmationRefusal(r) === undefined && guards.reaccommodationRefusal(r) === undefined,
        ).toBe(false);
      }),
      runs,
    );
  });

  it('count a no-show only for a confirmed party not arriving nor cancelling, on or after arrival', () => {
    fc.assert(
      fc.property(activity, day, day, (r, arrival, businessDate) => {
        expect(guards.isNoShow(r, arrival, businessDate)).toBe(
          r.status === 'confirmed' && !r.checkingIn && !r.cancelling && businessDate >= arrival,
        );
        // A no-show's party could still have been cancelled, had nothing else been under way.
        if (guards.isNoShow(r, arrival, businessDate) && r.placed && !r.modifying && !r.reaccommodating)
          expect(guards.cancellationRefusal(r)).toBeUndefined();
      }),
      runs,
    );
  });

  it('name the day check-in opens, and the day the stay ended', () => {
    const confirmed: guards.ReservationActivity = {
      id: 'rest:a1',
      status: 'confirmed',
      placed: true,
      confirming: true,
      cancelling: false,
      checkingIn: false,
      modifying: false,
      reaccommodating: false,
      awaitingPlacement: false,
      settling: false,
      checkingOut: false,
    };
    const stay = { arrival: '2027-03-10', departure: '2027-03-12' };
    expect(guards.checkInRefusal(confirmed, stay, '2027-03-09')).toBe(
      'check-in opens on 2027-03-10 at the property; it is 2027-03-09 there',
    );
    expect(guards.checkInRefusal(confirmed, stay, '2027-03-12')).toBe('the stay ended on 2027-03-12');
    expect(guards.checkInRefusal(confirmed, stay, '2027-03-11')).toBeUndefined();
  });
});
