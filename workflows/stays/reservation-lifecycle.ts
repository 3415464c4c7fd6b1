import {
  checkInSchema,
  checkOutSchema,
  confirmReservationSchema,
  paymentSchema,
  reaccommodateSchema,
  refundSchema,
  nightAuditSignal,
  postChargeUpdate,
  addPaymentUpdate,
  checkInUpdate,
  checkOutUpdate,
  cancelReservationUpdate,
  confirmReservationUpdate,
  modifyReservationUpdate,
  addRefundUpdate,
  getReservationQuery,
  reservationPlacedUpdate,
  reaccommodateReservationUpdate,
  type Guarantee,
  type Reaccommodation,
  type ReservationLifecycleInput,
} from './contract';
import { checkArgument, reasonSchema } from '../shared/contract';
import { channelStayChangeSchema } from '../../domain/stays/validation';
import {
  allHandlersFinished,
  condition,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { InvoiceDraft } from '../../domain/accounting/invoice';
import { balanceOf, folioTotals, roomCharges, type FolioEntry } from '../../domain/stays/folio';
import { fromMinorUnits, MONEY_PATTERN, toMinorUnits } from '../../domain/shared/money';
import {
  dateAttribute,
  SA_ARRIVAL,
  SA_CHANNEL,
  SA_DEPARTURE,
  SA_PROPERTY,
  SA_RESERVATION_ID,
  SA_TENANT,
} from '../../domain/search-attributes';
import { cancellationFee, noShowFee, stayTermsOf, type StayTerms } from '../../domain/stays/cancellation';
import { localDate } from '../../domain/stays/dates';
import { changedStay, stayChangeRefusal, stayDifferences } from '../../domain/stays/modification';
import {
  publicReservationId,
  TERMINAL_RESERVATION_STATUSES,
  type ReservationView,
} from '../../domain/stays/reservation';
import { asBusinessRefusal, updateRefused } from '../shared/failures';
import { localSteps as stays, partners } from '../shared/activities';
import { progressOf } from '../shared/progress';

type HeldStay = Awaited<ReturnType<typeof stays.holdStay>>;

/** Closed folios are invoiced with their payments, and a balance stays open for payment. */
const FOLIO_SETTLEMENT = 'folio-settlement';
/** Rate plans that ask no guarantee: their bookings are confirmed once held, without waiting. */
const CONFIRMED_WITHOUT_GUARANTEE = 'confirmed-without-guarantee';
/** A modification that moves the dates moves the stay's Arrival and Departure search attributes too. */
const STAY_DATES_SEARCHABLE = 'stay-dates-searchable';
/** An overbooked reservation waits for ops to place it (or cancel it) instead of closing. */
const REACCOMMODATION = 'overbooked-reaccommodation';

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
 * room-type night is sold beyond its rooms whichever channels book at once.
 */
export async function reservationLifecycle(input: ReservationLifecycleInput): Promise<ReservationView> {
  const { tenantId } = input;
  let stay = input.stay;
  const reservationKey = workflowInfo().workflowId;
  const view: ReservationView = {
    id: publicReservationId(input.channel, input.externalId),
    tenantId,
    channel: input.channel,
    externalId: input.externalId,
    status: 'held',
    stay,
    nightly: [],
    folio: { entries: [], charges: '0.00', tax: '0.00', payments: '0.00', balance: '0.00' },
    timeline: [],
  };
  const { moveTo, note } = progressOf(view);
  let placed = false;
  let confirmation: Guarantee | undefined = input.guarantee;
  let cancelRequest: { reason: string } | undefined;
  let terms: StayTerms | undefined;
  let checkingIn = false;
  let modifying = false;
  /** Nights taken for an overbooked reservation by ops (Update `reaccommodateReservation`). */
  let reaccommodated: HeldStay | undefined;
  let reaccommodating = false;
  /** Overbooked and waiting for ops (workflows from before the patch closed as overbooked). */
  let awaitingPlacement = false;
  /** The stay has closed and its folio still takes payments or refunds until it is settled. */
  let settling = false;
  /** Folio payments already sent to accounting, and their sum in minor units (capped at the invoice). */
  const paymentsBilled = new Set<string>();
  let paidIn = 0;
  let checkOutRequest: { allowBalance?: boolean } | undefined;
  let noShowOn: string | undefined;
  const today = () => localDate(new Date().toISOString(), terms!.timeZone);
  /** The folio as it would be with every night of the stay charged. */
  const settledFolio = (): FolioEntry[] => [
    ...view.folio.entries,
    ...roomCharges(stay, view.nightly, terms!.taxPercent, view.folio.entries, new Date().toISOString()),
  ];
  /** The nights and their price as held; tax per night as the folio will charge it, so quote and bill agree. */
  function quote(held: { nightly: string[]; taxPercent: number; currency: string }): void {
    view.nightly = held.nightly;
    const totals = folioTotals(
      roomCharges(stay, held.nightly, held.taxPercent, [], new Date().toISOString()),
    );
    view.totals = {
      room: totals.charges,
      tax: totals.tax,
      total: fromMinorUnits(toMinorUnits(totals.charges) + toMinorUnits(totals.tax)),
      currency: held.currency,
    };
  }
  function post(entries: FolioEntry[]): void {
    for (const entry of entries)
      if (!view.folio.entries.some((e) => e.id === entry.id)) view.folio.entries.push(entry);
    view.folio = { entries: view.folio.entries, ...folioTotals(view.folio.entries) };
  }

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
        checkArgument(confirmReservationSchema, request, 'confirmation');
      },
    },
  );
  setHandler(
    cancelReservationUpdate,
    async (request) => {
      cancelRequest = request;
      await condition(
        () =>
          view.status === 'cancelled' ||
          (TERMINAL_RESERVATION_STATUSES.includes(view.status) && view.status !== 'overbooked'),
      );
      return view;
    },
    {
      validator: (request) => {
        if (!request?.reason) throw new Error('a cancellation needs a reason');
        if (
          !placed ||
          cancelRequest ||
          checkingIn ||
          modifying ||
          reaccommodating ||
          !['held', 'confirmed', 'overbooked'].includes(view.status)
        )
          throw new Error(`reservation ${view.id} is ${view.status}; it can no longer be cancelled`);
        checkArgument(reasonSchema, request, 'cancellation');
      },
    },
  );

  setHandler(
    reaccommodateReservationUpdate,
    async (request) => {
      reaccommodating = true;
      try {
        const placedStay = {
          ...stay,
          roomTypeId: request.roomTypeId ?? stay.roomTypeId,
          ratePlanId: request.ratePlanId ?? stay.ratePlanId,
        };
        reaccommodated = await stays.holdStay({ tenantId, reservationKey, stay: placedStay });
        stay = view.stay = placedStay;
        // Answered once placed: confirmed with the guarantee it came with (or held without one).
        await condition(() => view.status !== 'overbooked' && (view.status !== 'held' || !confirmation));
        return view;
      } catch (error) {
        throw updateRefused(error, 'ReaccommodationRefused');
      } finally {
        reaccommodating = false;
      }
    },
    {
      validator: (request: Reaccommodation) => {
        if (view.status !== 'overbooked' || !awaitingPlacement || reaccommodating || cancelRequest)
          throw new Error(
            `reservation ${view.id} is ${view.status}; only an overbooked reservation is re-accommodated`,
          );
        checkArgument(reaccommodateSchema, request, 're-accommodation');
      },
    },
  );

  setHandler(
    modifyReservationUpdate,
    async (change) => {
      modifying = true;
      try {
        const after = changedStay(stay, change);
        const held = await stays.modifyStay({
          tenantId,
          reservationKey,
          stay: after,
          reprice: after.ratePlanId !== stay.ratePlanId,
        });
        const differences = stayDifferences(stay, after);
        if (
          (after.arrival !== stay.arrival || after.departure !== stay.departure) &&
          patched(STAY_DATES_SEARCHABLE)
        )
          upsertSearchAttributes([
            { key: SA_ARRIVAL, value: dateAttribute(after.arrival) },
            { key: SA_DEPARTURE, value: dateAttribute(after.departure) },
          ]);
        stay = after;
        view.stay = after;
        if (change.asOf) view.channelModifiedAt = change.asOf;
        terms = stayTermsOf(held);
        quote(held);
        note(`modified: ${differences.join('; ')}; total ${view.totals!.total} ${view.totals!.currency}`);
        return view;
      } catch (error) {
        throw updateRefused(error, 'ModificationRefused');
      } finally {
        modifying = false;
      }
    },
    {
      validator: (change) => {
        if (
          !placed ||
          !['held', 'confirmed'].includes(view.status) ||
          cancelRequest ||
          checkingIn ||
          modifying
        )
          throw new Error(
            `reservation ${view.id} is ${view.status}${modifying ? ' and being modified' : ''}; only a held or confirmed stay can be modified`,
          );
        if (change?.asOf && view.channelModifiedAt && change.asOf <= view.channelModifiedAt)
          throw new Error(
            `the channel's change of ${change.asOf} is older than the one applied (${view.channelModifiedAt})`,
          );
        const refusal = stayChangeRefusal(stay, change ?? {}, today());
        if (refusal) throw new Error(refusal);
        checkArgument(channelStayChangeSchema, change, 'modification');
      },
    },
  );

  setHandler(
    addPaymentUpdate,
    (request) => {
      post([
        {
          id: `payment:${request.reference}`,
          kind: 'payment',
          source: 'payment',
          description: `${request.method} payment ${request.reference}`,
          amount: request.amount,
          tax: '0.00',
          at: new Date().toISOString(),
        },
      ]);
      return view;
    },
    {
      validator: (request) => {
        if (!placed || !(settling || ['held', 'confirmed', 'in_house'].includes(view.status)))
          throw new Error(`reservation ${view.id} is ${view.status}; its folio takes no more payments`);
        if (!request?.reference || !MONEY_PATTERN.test(request.amount ?? '') || Number(request.amount) <= 0)
          throw new Error('a payment needs a positive amount such as "120.00" and the provider’s reference');
        checkArgument(paymentSchema, request, 'payment');
      },
    },
  );

  setHandler(
    addRefundUpdate,
    (request) => {
      post([
        {
          id: `refund:${request.reference}`,
          kind: 'refund',
          source: 'payment',
          description: `refund ${request.reference}`,
          amount: request.amount,
          tax: '0.00',
          at: new Date().toISOString(),
        },
      ]);
      return view;
    },
    {
      validator: (request) => {
        if (!placed || !(settling || ['confirmed', 'in_house'].includes(view.status)))
          throw new Error(`reservation ${view.id} is ${view.status}; its folio takes no more refunds`);
        if (!request?.reference || !MONEY_PATTERN.test(request.amount ?? '') || Number(request.amount) <= 0)
          throw new Error('a refund needs a positive amount such as "50.00" and the provider’s reference');
        if (view.folio.entries.some((e) => e.id === `refund:${request.reference}`)) return;
        const credit = -balanceOf(view.folio.entries);
        if (toMinorUnits(request.amount) > credit)
          throw new Error(
            `the folio is in credit by ${fromMinorUnits(Math.max(credit, 0))}; a refund cannot give back more`,
          );
        checkArgument(refundSchema, request, 'refund');
      },
    },
  );

  setHandler(nightAuditSignal, ({ businessDate }) => {
    if (view.status === 'in_house') {
      // The audited night is charged as it passes; check-out charges only what is left.
      post(
        roomCharges(
          stay,
          view.nightly,
          terms!.taxPercent,
          view.folio.entries,
          new Date().toISOString(),
        ).filter((entry) => entry.id === `room:${businessDate}`),
      );
    } else if (view.status === 'confirmed' && !checkingIn && !cancelRequest && businessDate >= stay.arrival) {
      noShowOn = businessDate;
    }
  });

  setHandler(
    postChargeUpdate,
    (request) => {
      post([{ ...request, kind: 'charge', source: 'pos', at: new Date().toISOString() }]);
      return view;
    },
    {
      validator: (request) => {
        if (view.status !== 'in_house' || checkOutRequest)
          throw new Error(
            `reservation ${view.id} is ${view.status.replace(/_/g, ' ')}; only a guest in house can be charged`,
          );
        if (
          !request?.id ||
          !MONEY_PATTERN.test(request.amount ?? '') ||
          !MONEY_PATTERN.test(request.tax ?? '')
        )
          throw new Error('a charge needs an id, an amount and a tax such as "12.50"');
      },
    },
  );

  setHandler(
    checkInUpdate,
    async (request) => {
      checkingIn = true;
      try {
        const room = await stays.assignRoom({
          tenantId,
          propertyId: stay.propertyId,
          roomTypeId: stay.roomTypeId,
          reservationKey,
          ...(request?.roomNumber ? { number: request.roomNumber } : {}),
        });
        await stays.markArrived({ tenantId, reservationKey });
        if (input.policy.lockConnectorId) {
          try {
            const key = await partners.lock(input.policy.lockConnectorId).issueRoomKey({
              connectorId: input.policy.lockConnectorId,
              reference: reservationKey,
              room,
              guestName: stay.guest.name,
              validFrom: new Date().toISOString(),
              validUntil: `${stay.departure}T23:59:59Z`,
            });
            view.key = { id: key.id, code: key.code };
          } catch (error) {
            await stays.vacateRoom({ tenantId, reservationKey, dirty: false });
            throw error;
          }
        }
        view.room = room;
        moveTo('in_house', `room ${room}${view.key ? ', key issued' : ''}`);
        return view;
      } catch (error) {
        throw updateRefused(error, 'CheckInRefused');
      } finally {
        checkingIn = false;
      }
    },
    {
      validator: (request: { roomNumber?: string }) => {
        if (view.status !== 'confirmed' || checkingIn || cancelRequest || modifying)
          throw new Error(`reservation ${view.id} is ${view.status}; only a confirmed reservation checks in`);
        const local = today();
        if (local < stay.arrival)
          throw new Error(`check-in opens on ${stay.arrival} at the property; it is ${local} there`);
        if (local >= stay.departure) throw new Error(`the stay ended on ${stay.departure}`);
        checkArgument(checkInSchema, request, 'check-in');
      },
    },
  );

  setHandler(
    checkOutUpdate,
    async (request) => {
      checkOutRequest = request ?? {};
      await condition(() => view.status === 'checked_out');
      return view;
    },
    {
      validator: (request) => {
        if (view.status !== 'in_house' || checkOutRequest)
          throw new Error(`reservation ${view.id} is ${view.status}; only a guest in house checks out`);
        const balance = folioTotals(settledFolio()).balance;
        if (balance !== '0.00' && !request?.allowBalance)
          throw new Error(
            `the folio has a balance of ${balance} ${view.totals?.currency ?? ''}; take a payment, or check out with allowBalance`,
          );
        checkArgument(checkOutSchema, request, 'check-out');
      },
    },
  );

  // 1. The nights, held atomically, or a named refusal.
  let held: HeldStay;
  try {
    held = await stays.holdStay({ tenantId, reservationKey, stay });
  } catch (error) {
    const refusal = asBusinessRefusal(error);
    if (!refusal) throw error;
    view.rejection = refusal;
    const overbooked = refusal.type === 'NotAvailable' && input.policy.acceptOverbooking;
    if (overbooked)
      moveTo(
        'overbooked',
        `accepted over the calendar (${refusal.reasons.join('; ')}); to be re-accommodated`,
      );
    else moveTo('rejected', `${refusal.type}: ${refusal.reasons.join('; ')}`);
    placed = true;
    if (!overbooked || !patched(REACCOMMODATION)) return finish();
    // Ops place it or cancel it; after its departure there is nothing left to place.
    awaitingPlacement = true;
    const lastDay = new Date(`${stay.departure}T23:59:59Z`).getTime() + 86_400_000;
    await condition(
      () => reaccommodated !== undefined || cancelRequest !== undefined,
      Math.max(lastDay - new Date().getTime(), 1),
    );
    // A placement under way when time ran out finishes first: its nights are not left behind.
    await condition(() => !reaccommodating || reaccommodated !== undefined);
    if (!reaccommodated) {
      awaitingPlacement = false;
      if (cancelRequest) moveTo('cancelled', `${cancelRequest.reason}; no nights were taken`);
      return finish();
    }
    awaitingPlacement = false;
    held = reaccommodated;
    delete view.rejection;
    note(`re-accommodated in ${stay.roomTypeId} (${stay.ratePlanId})`);
  }
  terms = stayTermsOf(held);
  quote(held);
  view.holdExpiresAt = new Date(new Date().getTime() + input.policy.holdMinutes * 60_000).toISOString();
  moveTo('held', `${view.nightly.length} night(s) of ${stay.roomTypeId} at ${stay.propertyId}`);
  placed = true;

  // 2. Confirmation by deposit or guarantee, or the hold runs out; a rate plan that asks no
  // guarantee confirms the booking as soon as its nights are held.
  const unguaranteed =
    held.guaranteeRequired === false && confirmation === undefined && patched(CONFIRMED_WITHOUT_GUARANTEE);
  const settled =
    unguaranteed ||
    (await condition(
      () => confirmation !== undefined || cancelRequest !== undefined,
      input.policy.holdMinutes * 60_000,
    ));
  if (!settled) {
    await stays.releaseStay({ tenantId, reservationKey });
    moveTo('expired', `not confirmed within ${input.policy.holdMinutes} minutes; rooms released`);
    return finish();
  }
  if (cancelRequest) return cancel(cancelRequest.reason);
  await stays.confirmStay({ tenantId, reservationKey });
  view.guarantee = confirmation;
  moveTo(
    'confirmed',
    confirmation ? `guaranteed by ${confirmation.kind}` : 'the rate plan asks no guarantee',
  );

  // 3. Until the stay begins: a cancellation applies the rate plan's terms; check-in starts it.
  await condition(() => cancelRequest !== undefined || view.status === 'in_house' || noShowOn !== undefined);
  // (Set by the Update handler while this waited; the compiler cannot see that.)
  const cancelled = cancelRequest as { reason: string } | undefined;
  if (cancelled) return cancel(cancelled.reason);
  if (view.status !== 'in_house') return noShow(noShowOn!);

  // 4. The stay: check-out charges every night still open, revokes the key, leaves the room to
  // housekeeping and sends the bill to accounting.
  await condition(() => checkOutRequest !== undefined);
  post(settledFolio());
  if (input.policy.lockConnectorId) {
    await partners.lock(input.policy.lockConnectorId).revokeRoomKeys({
      connectorId: input.policy.lockConnectorId,
      reference: reservationKey,
    });
    if (view.key) view.key.revoked = true;
  }
  await stays.vacateRoom({ tenantId, reservationKey, dirty: true });
  if (patched(FOLIO_SETTLEMENT)) {
    await bill();
    moveTo('checked_out', `room ${view.room} to housekeeping`);
    await settlement();
    return finish();
  }
  if (input.policy.accountingConnectorId && view.folio.balance === '0.00') {
    const posted = await partners.accounting(input.policy.accountingConnectorId).postOrderToAccounting({
      tenantId,
      connectorId: input.policy.accountingConnectorId,
      invoice: stayInvoice(),
    });
    view.accounting = { ...posted, connectorId: input.policy.accountingConnectorId };
  } else if (view.folio.balance !== '0.00') {
    note(`checked out with ${view.folio.balance} open; the bill goes to accounting once settled`);
  }
  moveTo('checked_out', `room ${view.room} to housekeeping`);
  return finish();

  function stayInvoice(): InvoiceDraft {
    const charges = view.folio.entries.filter((e) => e.kind === 'charge');
    return {
      reference: reservationKey,
      number: view.id,
      currency: view.totals!.currency,
      customerName: stay.guest.name,
      customerEmail: stay.guest.email,
      issuedOn: new Date().toISOString().slice(0, 10),
      lines: charges.map((e) => ({
        description: e.description,
        quantity: 1,
        unitAmount: e.amount,
        taxAmount: e.tax,
      })),
      taxTotal: view.folio.tax,
      total: fromMinorUnits(toMinorUnits(view.folio.charges) + toMinorUnits(view.folio.tax)),
    };
  }

  /** Nobody came by the end of the arrival date: the nights go back, the rate plan's fee is due. */
  async function noShow(businessDate: string): Promise<ReservationView> {
    const charge = noShowFee(terms!, stay.arrival, view.nightly);
    await stays.releaseStay({ tenantId, reservationKey });
    chargeFee('no-show', charge.fee, charge.reason);
    const settles = patched(FOLIO_SETTLEMENT);
    if (settles) await bill();
    moveTo(
      'no_show',
      `no arrival by the night audit of ${businessDate}; fee ${charge.fee} ${view.totals?.currency ?? ''}`.trim(),
    );
    if (settles) await settlement();
    return finish();
  }

  function chargeFee(kind: 'no-show' | 'cancellation', fee: string, reason: string): void {
    if (fee === '0.00') return;
    post([
      {
        id: kind,
        kind: 'charge',
        source: 'cancellation',
        description: `${kind === 'no-show' ? 'No-show' : 'Cancellation'} fee: ${reason}`,
        amount: fee,
        tax: '0.00',
        at: new Date().toISOString(),
      },
    ]);
  }

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
    chargeFee('cancellation', charge.fee, charge.reason);
    const settles = patched(FOLIO_SETTLEMENT);
    if (settles) await bill();
    moveTo('cancelled', `${reason}; fee ${charge.fee} ${view.totals?.currency ?? ''}`.trim());
    note(charge.reason);
    if (settles) await settlement();
    return finish();
  }

  /**
   * A closed stay's folio goes to accounting once it carries charges (nights and extras at
   * check-out, or a cancellation or no-show fee): the invoice, and each payment taken so far,
   * never more than the invoice is owed (a deposit beyond it is the guest's credit, refunded).
   */
  async function bill(): Promise<void> {
    const connectorId = input.policy.accountingConnectorId;
    const billed = toMinorUnits(view.folio.charges) + toMinorUnits(view.folio.tax);
    if (!connectorId || billed === 0) return;
    const invoice = stayInvoice();
    const accounts = partners.accounting(connectorId);
    if (!view.accounting)
      view.accounting = {
        invoiceId: await accounts.postInvoiceToAccounting({ tenantId, connectorId, invoice }),
        connectorId,
        paymentIds: [],
      };
    const { invoiceId } = view.accounting;
    for (const entry of view.folio.entries) {
      if (entry.kind !== 'payment' || paymentsBilled.has(entry.id)) continue;
      paymentsBilled.add(entry.id);
      const amount = Math.min(toMinorUnits(entry.amount), billed - paidIn);
      if (amount <= 0) continue;
      const paymentId = await accounts.postPaymentToAccounting({
        tenantId,
        connectorId,
        invoice,
        invoiceId,
        paymentReference: entry.id,
        amount: fromMinorUnits(amount),
      });
      paidIn += amount;
      view.accounting.paymentIds!.push(paymentId);
    }
  }

  /**
   * A folio closed with a balance (a fee against a card guarantee, a check-out with money owed,
   * a deposit to give back) keeps taking payments and refunds for the tenant's settlement window;
   * each payment reaches accounting as it comes. Then it is settled, or left unsettled.
   */
  async function settlement(): Promise<void> {
    if (balanceOf(view.folio.entries) === 0) return;
    const days = input.policy.settlementDays ?? 30;
    const closesAt = new Date().getTime() + days * 86_400_000;
    const until = new Date(closesAt).toISOString();
    settling = true;
    for (;;) {
      view.settlement = { status: 'open', balance: view.folio.balance, until };
      const remaining = closesAt - new Date().getTime();
      const moved =
        remaining > 0 &&
        (await condition(
          () =>
            balanceOf(view.folio.entries) === 0 ||
            view.folio.entries.some((e) => e.kind === 'payment' && !paymentsBilled.has(e.id)),
          remaining,
        ));
      await bill();
      if (balanceOf(view.folio.entries) === 0) {
        view.settlement = { status: 'settled', balance: '0.00', until };
        note('folio settled');
        break;
      }
      if (!moved) {
        view.settlement = { status: 'unsettled', balance: view.folio.balance, until };
        note(
          `folio left with ${view.folio.balance} after ${days} days; the invoice stays open in accounting`,
        );
        break;
      }
    }
    settling = false;
  }

  async function finish(): Promise<ReservationView> {
    await condition(allHandlersFinished);
    return view;
  }
}
