import { setHandler } from '@temporalio/workflow';
import { SA_RESERVATION_ID } from '../../domain/search-attributes';
import type { ReservationView } from '../../domain/stays/reservation';
import {
  addPaymentUpdate,
  addRefundUpdate,
  cancelReservationUpdate,
  checkInUpdate,
  checkOutUpdate,
  confirmReservationUpdate,
  getReservationQuery,
  modifyReservationUpdate,
  nightAuditSignal,
  postChargeUpdate,
  reaccommodateReservationUpdate,
  reservationPlacedUpdate,
  type ReservationLifecycleInput,
} from './contract';
import { openProcess } from '../shared/lifecycle';
import { ReservationProcess } from './reservation-process';

/**
 * One reservation, from the booking to the end of its stay:
 *
 *   held → confirmed (a deposit or guarantee, at booking or by Update `confirmReservation`)
 *   held → expired (not confirmed within the hold time; the rooms go back)
 *   held | confirmed → cancelled (Update `cancelReservation`; the rate plan's fee applies)
 *   held | confirmed, modified (Update `modifyReservation`: dates, room type, rate plan or party;
 *     the nights move in one transaction, or the change is refused with the reasons)
 *   refused at booking (no room, a restriction, too many guests) → rejected with the reasons
 *   an OTA's booking that no longer fits → overbooked (the connection's policy); ops place it
 *     (Update `reaccommodateReservation` → held → confirmed) or cancel it; left alone, it stays
 *     overbooked once its departure has passed
 *   confirmed → in_house (Update `checkIn`: on or after arrival day, a ready room, a key)
 *   in_house → checked_out (Update `checkOut`: folio settled, key revoked, room dirty, invoiced)
 *   confirmed → no_show (the night audit of the arrival date found no arrival; the rate plan's fee)
 *
 * The nights are taken atomically on the inventory calendar when the hold is placed, so no
 * room-type night is sold beyond its rooms whichever channels book at once. The state and steps
 * are `ReservationProcess`'s; this function wires the process's messages to it.
 */
export async function reservationLifecycle(input: ReservationLifecycleInput): Promise<ReservationView> {
  const stay = openProcess(
    (workflowId) => new ReservationProcess(input, workflowId),
    getReservationQuery,
    SA_RESERVATION_ID,
  );
  setHandler(reservationPlacedUpdate, () => stay.placedAnswer());
  setHandler(confirmReservationUpdate, (r) => stay.confirm(r), { validator: (r) => stay.checkConfirm(r) });
  setHandler(cancelReservationUpdate, (r) => stay.requestCancel(r), {
    validator: (r) => stay.checkCancel(r),
  });
  setHandler(reaccommodateReservationUpdate, (r) => stay.reaccommodate(r), {
    validator: (r) => stay.checkReaccommodate(r),
  });
  setHandler(modifyReservationUpdate, (c) => stay.modify(c), { validator: (c) => stay.checkModify(c) });
  setHandler(addPaymentUpdate, (r) => stay.addPayment(r), { validator: (r) => stay.checkPayment(r) });
  setHandler(addRefundUpdate, (r) => stay.addRefund(r), { validator: (r) => stay.checkRefund(r) });
  setHandler(nightAuditSignal, (audit) => stay.nightAudit(audit));
  setHandler(postChargeUpdate, (r) => stay.postCharge(r), { validator: (r) => stay.checkCharge(r) });
  setHandler(checkInUpdate, (r) => stay.checkIn(r), { validator: (r) => stay.checkCheckIn(r) });
  setHandler(checkOutUpdate, (r) => stay.checkOut(r), { validator: (r) => stay.checkCheckOut(r) });
  return stay.run();
}
