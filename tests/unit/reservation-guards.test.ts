import fc from 'fast-check';
import {
  CANCELLABLE_STATUSES,
  MODIFIABLE_STATUSES,
  PAYABLE_STATUSES,
  REFUNDABLE_STATUSES,
  cancellationRefusal,
  chargeRefusal,
  checkInRefusal,
  checkOutRefusal,
  confirmationRefusal,
  isNoShow,
  modificationRefusal,
  paymentRefusal,
  reaccommodationRefusal,
  refundRefusal,
  type ReservationActivity,
} from '../../domain/stays/guards';
import { RESERVATION_STATUSES, TERMINAL_RESERVATION_STATUSES } from '../../domain/stays/reservation';

const day = fc.integer({ min: 1, max: 28 }).map((d) => `2027-03-${String(d).padStart(2, '0')}`);
const activity: fc.Arbitrary<ReservationActivity> = fc.record({
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
const busy = (r: ReservationActivity) => r.checkingIn || r.modifying || r.cancelling;
const runs = { numRuns: 2000 };

describe('reservation guards (domain/stays/guards.ts), over generated process states', () => {
  it('allow each action only in its statuses', () => {
    fc.assert(
      fc.property(activity, stayDates, day, (r, [arrival, departure], today) => {
        if (!confirmationRefusal(r)) expect(r.status).toBe('held');
        if (!cancellationRefusal(r)) expect(CANCELLABLE_STATUSES).toContain(r.status);
        if (!reaccommodationRefusal(r)) expect(r.status).toBe('overbooked');
        if (!modificationRefusal(r)) expect(MODIFIABLE_STATUSES).toContain(r.status);
        if (!paymentRefusal(r)) expect(r.settling || PAYABLE_STATUSES.includes(r.status)).toBe(true);
        if (!refundRefusal(r)) expect(r.settling || REFUNDABLE_STATUSES.includes(r.status)).toBe(true);
        if (!chargeRefusal(r)) expect(r.status).toBe('in_house');
        if (!checkOutRefusal(r)) expect(r.status).toBe('in_house');
        if (!checkInRefusal(r, { arrival, departure }, today)) {
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
            confirmationRefusal(r),
            cancellationRefusal(r),
            reaccommodationRefusal(r),
            modificationRefusal(r),
            chargeRefusal(r),
            checkOutRefusal(r),
            checkInRefusal(r, { arrival, departure }, today),
          ])
            expect(refusal).toMatch(new RegExp(`^reservation ${r.id} is ${r.status.replace(/_/g, '.')}[ ;]`));
          expect(paymentRefusal(r) === undefined).toBe(r.placed && r.settling);
        },
      ),
      runs,
    );
  });

  it('take one change at a time: while checking in, modifying or cancelling, no other of them starts', () => {
    fc.assert(
      fc.property(activity.filter(busy), stayDates, day, (r, [arrival, departure], today) => {
        expect(modificationRefusal(r)).toBeDefined();
        expect(checkInRefusal(r, { arrival, departure }, today)).toBeDefined();
        expect(cancellationRefusal(r)).toBeDefined();
      }),
      runs,
    );
  });

  it('never lets ops both confirm and re-accommodate the same state', () => {
    fc.assert(
      fc.property(activity, (r) => {
        expect(confirmationRefusal(r) === undefined && reaccommodationRefusal(r) === undefined).toBe(false);
      }),
      runs,
    );
  });

  it('count a no-show only for a confirmed party not arriving nor cancelling, on or after arrival', () => {
    fc.assert(
      fc.property(activity, day, day, (r, arrival, businessDate) => {
        expect(isNoShow(r, arrival, businessDate)).toBe(
          r.status === 'confirmed' && !r.checkingIn && !r.cancelling && businessDate >= arrival,
        );
        // A no-show's party could still have been cancelled, had nothing else been under way.
        if (isNoShow(r, arrival, businessDate) && r.placed && !r.modifying && !r.reaccommodating)
          expect(cancellationRefusal(r)).toBeUndefined();
      }),
      runs,
    );
  });

  it('name the day check-in opens, and the day the stay ended', () => {
    const confirmed: ReservationActivity = {
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
    expect(checkInRefusal(confirmed, stay, '2027-03-09')).toBe(
      'check-in opens on 2027-03-10 at the property; it is 2027-03-09 there',
    );
    expect(checkInRefusal(confirmed, stay, '2027-03-12')).toBe('the stay ended on 2027-03-12');
    expect(checkInRefusal(confirmed, stay, '2027-03-11')).toBeUndefined();
  });
});
