import {
  allHandlersFinished,
  condition,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CoreActivities } from '../../activities';
import { fromMinorUnits, toMinorUnits } from '../../domain/shared/money';
import { SA_CHANNEL, SA_PROPERTY, SA_RESERVATION_ID, SA_TENANT } from '../../domain/search-attributes';
import { cancellationFee, type CancellationPolicy } from '../../domain/stays/cancellation';
import { localDate } from '../../domain/stays/dates';
import {
  publicReservationId,
  TERMINAL_RESERVATION_STATUSES,
  type ReservationView,
} from '../../domain/stays/reservation';
import { asBusinessRefusal } from '../orders/failures';
import { progressOf } from '../shared/progress';
import {
  cancelReservationUpdate,
  confirmReservationUpdate,
  getReservationQuery,
  reservationPlacedUpdate,
  type Guarantee,
  type ReservationLifecycleInput,
} from './definitions';

const stays = proxyLocalActivities<CoreActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/**
 * One reservation, from the booking to the end of its stay:
 *
 *   held → confirmed (a deposit or guarantee, at booking or by Update `confirmReservation`)
 *   held → expired (not confirmed within the hold time; the rooms go back)
 *   held | confirmed → cancelled (Update `cancelReservation`; the rate plan's fee applies)
 *   refused at booking (no room, a restriction, too many guests) → rejected with the reasons
 *
 * The nights are taken atomically on the inventory calendar when the hold is placed, so no
 * room-type night is sold beyond its rooms whichever channels book at once.
 */
export async function reservationLifecycle(input: ReservationLifecycleInput): Promise<ReservationView> {
  const { tenantId, stay } = input;
  const reservationKey = workflowInfo().workflowId;
  const view: ReservationView = {
    id: publicReservationId(input.channel, input.externalId),
    tenantId,
    channel: input.channel,
    externalId: input.externalId,
    status: 'held',
    stay,
    nightly: [],
    timeline: [],
  };
  const { moveTo, note } = progressOf(view);
  let placed = false;
  let confirmation: Guarantee | undefined = input.guarantee;
  let cancelRequest: { reason: string } | undefined;
  let terms: { cancellation: CancellationPolicy; timeZone: string } | undefined;

  setHandler(getReservationQuery, () => view);
  if (workflowInfo().typedSearchAttributes.get(SA_RESERVATION_ID) === undefined) {
    upsertSearchAttributes([
      { key: SA_TENANT, value: tenantId },
      { key: SA_CHANNEL, value: input.channel },
      { key: SA_RESERVATION_ID, value: view.id },
      { key: SA_PROPERTY, value: stay.propertyId },
    ]);
  }
  setHandler(reservationPlacedUpdate, async () => {
    // A booking that came with its guarantee answers once it is confirmed, not while held.
    await condition(() => placed && (!input.guarantee || view.status !== 'held'));
    return view;
  });
  setHandler(
    confirmReservationUpdate,
    async (request) => {
      confirmation = request.guarantee;
      await condition(() => view.status !== 'held');
      return view;
    },
    {
      validator: (request) => {
        if (!placed || view.status !== 'held' || confirmation || cancelRequest)
          throw new Error(
            `reservation ${view.id} is ${view.status}; only a held reservation can be confirmed`,
          );
        if (!request?.guarantee?.kind)
          throw new Error('a confirmation needs a guarantee (deposit, card or company)');
      },
    },
  );
  setHandler(
    cancelReservationUpdate,
    async (request) => {
      cancelRequest = request;
      await condition(() => TERMINAL_RESERVATION_STATUSES.includes(view.status));
      return view;
    },
    {
      validator: (request) => {
        if (!request?.reason) throw new Error('a cancellation needs a reason');
        if (!placed || cancelRequest || !['held', 'confirmed'].includes(view.status))
          throw new Error(`reservation ${view.id} is ${view.status}; it can no longer be cancelled`);
      },
    },
  );

  // 1. The nights, held atomically, or a named refusal.
  try {
    const held = await stays.holdStay({ tenantId, reservationKey, stay });
    terms = { cancellation: held.cancellation, timeZone: held.timeZone };
    view.nightly = held.nightly;
    const room = held.nightly.reduce((sum, amount) => sum + toMinorUnits(amount), 0);
    const tax = Math.round((room * held.taxPercent) / 100);
    view.totals = {
      room: fromMinorUnits(room),
      tax: fromMinorUnits(tax),
      total: fromMinorUnits(room + tax),
      currency: held.currency,
    };
  } catch (error) {
    const refusal = asBusinessRefusal(error);
    if (!refusal) throw error;
    view.rejection = refusal;
    moveTo('rejected', `${refusal.type}: ${refusal.reasons.join('; ')}`);
    placed = true;
    return finish();
  }
  view.holdExpiresAt = new Date(new Date().getTime() + input.policy.holdMinutes * 60_000).toISOString();
  moveTo('held', `${view.nightly.length} night(s) of ${stay.roomTypeId} at ${stay.propertyId}`);
  placed = true;

  // 2. Confirmation by deposit or guarantee, or the hold runs out.
  const settled = await condition(
    () => confirmation !== undefined || cancelRequest !== undefined,
    input.policy.holdMinutes * 60_000,
  );
  if (!settled) {
    await stays.releaseStay({ tenantId, reservationKey });
    moveTo('expired', `not confirmed within ${input.policy.holdMinutes} minutes; rooms released`);
    return finish();
  }
  if (cancelRequest) return cancel(cancelRequest.reason);
  await stays.confirmStay({ tenantId, reservationKey });
  view.guarantee = confirmation;
  moveTo('confirmed', `guaranteed by ${confirmation!.kind}`);

  // 3. Until the stay begins: a cancellation applies the rate plan's terms.
  await condition(() => cancelRequest !== undefined);
  return cancel(cancelRequest!.reason);

  async function cancel(reason: string): Promise<ReservationView> {
    // A hold never confirmed has nothing to charge; a confirmed stay pays the rate plan's fee.
    const charge =
      view.status === 'confirmed' && terms
        ? cancellationFee(
            terms.cancellation,
            stay.arrival,
            view.nightly,
            localDate(new Date().toISOString(), terms.timeZone),
          )
        : { fee: '0.00', reason: 'cancelled before confirmation' };
    await stays.releaseStay({ tenantId, reservationKey });
    view.cancellation = { reason, fee: charge.fee, terms: charge.reason };
    moveTo('cancelled', `${reason}; fee ${charge.fee} ${view.totals?.currency ?? ''}`.trim());
    note(charge.reason);
    return finish();
  }

  async function finish(): Promise<ReservationView> {
    await condition(allHandlersFinished);
    return view;
  }
}
