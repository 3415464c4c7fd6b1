import { allHandlersFinished, condition, patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributePair } from '@temporalio/common';
import type { InvoiceDraft } from '../../domain/accounting/invoice';
import { fromMinorUnits, MONEY_PATTERN, toMinorUnits } from '../../domain/shared/money';
import {
  dateAttribute,
  SA_ARRIVAL,
  SA_DEPARTURE,
  SA_NEEDS_ATTENTION,
  SA_WAITING_SINCE,
  searchIdentity,
} from '../../domain/search-attributes';
import { cancellationFee, noShowFee, stayTermsOf, type StayTerms } from '../../domain/stays/cancellation';
import { localDate } from '../../domain/stays/dates';
import { stayCurrentDetails, stayNeedsAttention } from '../../domain/stays/describe';
import {
  balanceOf,
  folioTotals,
  moneyMovement,
  roomCharges,
  type FolioEntry,
} from '../../domain/stays/folio';
import {
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
import { changedStay, stayChangeRefusal, stayDifferences } from '../../domain/stays/modification';
import {
  publicReservationId,
  TERMINAL_RESERVATION_STATUSES,
  type ReservationView,
  type StayRequest,
} from '../../domain/stays/reservation';
import { channelStayChangeSchema, type StayChange } from '../../domain/stays/validation';
import { localSteps as stays, partners } from '../shared/activities';
import { checkArgument, type ReasonRequest } from '../shared/contract';
import { asBusinessRefusal, checkReasoned, refuseIf, updateRefused } from '../shared/failures';
import { decidePatchesAtStart } from '../shared/patches';
import { progressOf, type OpsView } from '../shared/progress';
import {
  checkInSchema,
  checkOutSchema,
  confirmReservationSchema,
  paymentSchema,
  reaccommodateSchema,
  refundSchema,
  type ChargeRequest,
  type Guarantee,
  type PaymentRequest,
  type Reaccommodation,
  type RefundRequest,
  type ReservationLifecycleInput,
} from './contract';

type HeldStay = Awaited<ReturnType<typeof stays.holdStay>>;

/** Closed folios are invoiced with their payments, and a balance stays open for payment. */
const FOLIO_SETTLEMENT = 'folio-settlement';
/** Rate plans that ask no guarantee: their bookings are confirmed once held, without waiting. */
const CONFIRMED_WITHOUT_GUARANTEE = 'confirmed-without-guarantee';
/** A modification that moves the dates moves the stay's Arrival and Departure search attributes too. */
const STAY_DATES_SEARCHABLE = 'stay-dates-searchable';
/** An overbooked reservation waits for ops to place it (or cancel it) instead of closing. */
const REACCOMMODATION = 'overbooked-reaccommodation';

/** A payment or a refund names the provider's reference and a positive amount (`example` shows one). */
function checkMoneyMovement(
  request: { reference?: string; amount?: string } | undefined,
  what: 'a payment' | 'a refund',
  example: string,
): void {
  if (!request?.reference || !MONEY_PATTERN.test(request.amount ?? '') || Number(request.amount) <= 0)
    throw new Error(`${what} needs a positive amount such as "${example}" and the provider’s reference`);
}

/**
 * The state and steps of one reservation (the workflow `reservationLifecycle` wires its Updates,
 * Signal and Query to these methods). `run` is the stay from booking to close; each `check…`
 * method is an Update's validator, each other public method its handler. Whether an action is
 * allowed at all is a `domain/stays/guards.ts` rule; the process keeps what the guards read.
 */
export class ReservationProcess {
  readonly view: ReservationView;
  private stay: StayRequest;
  private readonly moveTo: ReturnType<typeof progressOf>['moveTo'];
  private readonly note: ReturnType<typeof progressOf>['note'];
  private readonly showDetails: ReturnType<typeof progressOf>['show'];
  private readonly ops: OpsView = {
    details: () => stayCurrentDetails(this.view, { awaitingPlacement: this.awaitingPlacement }),
    attributes: () => [
      { key: SA_NEEDS_ATTENTION, value: stayNeedsAttention(this.view) },
      { key: SA_WAITING_SINCE, value: new Date() },
    ],
  };
  private placed = false;
  private confirmation: Guarantee | undefined;
  private cancelRequest: { reason: string } | undefined;
  private terms: StayTerms | undefined;
  private checkingIn = false;
  private modifying = false;
  /** Nights taken for an overbooked reservation by ops (Update `reaccommodateReservation`). */
  private reaccommodated: HeldStay | undefined;
  private reaccommodating = false;
  /** Overbooked and waiting for ops (workflows from before the patch closed as overbooked). */
  private awaitingPlacement = false;
  /** The stay has closed and its folio still takes payments or refunds until it is settled. */
  private settling = false;
  /** Folio payments already sent to accounting, and their sum in minor units (capped at the invoice). */
  private readonly paymentsBilled = new Set<string>();
  private paidIn = 0;
  private checkOutRequest: { allowBalance?: boolean } | undefined;
  private noShowOn: string | undefined;

  constructor(
    private readonly input: ReservationLifecycleInput,
    private readonly reservationKey: string,
  ) {
    this.stay = input.stay;
    this.confirmation = input.guarantee;
    this.view = {
      id: publicReservationId(input.channel, input.externalId),
      tenantId: input.tenantId,
      channel: input.channel,
      externalId: input.externalId,
      status: 'held',
      stay: this.stay,
      nightly: [],
      folio: { entries: [], charges: '0.00', tax: '0.00', payments: '0.00', balance: '0.00' },
      timeline: [],
    };
    ({ moveTo: this.moveTo, note: this.note, show: this.showDetails } = progressOf(this.view, this.ops));
    decidePatchesAtStart(
      FOLIO_SETTLEMENT,
      CONFIRMED_WITHOUT_GUARANTEE,
      STAY_DATES_SEARCHABLE,
      REACCOMMODATION,
    );
  }

  private get tenantId(): string {
    return this.input.tenantId;
  }

  /** What the guards read: the status and the requests taken but not finished. */
  private get activity(): ReservationActivity {
    return {
      id: this.view.id,
      status: this.view.status,
      placed: this.placed,
      confirming: this.confirmation !== undefined,
      cancelling: this.cancelRequest !== undefined,
      checkingIn: this.checkingIn,
      modifying: this.modifying,
      reaccommodating: this.reaccommodating,
      awaitingPlacement: this.awaitingPlacement,
      settling: this.settling,
      checkingOut: this.checkOutRequest !== undefined,
    };
  }

  private today(): string {
    return localDate(new Date().toISOString(), this.terms!.timeZone);
  }

  /** The folio as it would be with every night of the stay charged. */
  private settledFolio(): FolioEntry[] {
    return [
      ...this.view.folio.entries,
      ...roomCharges(
        this.stay,
        this.view.nightly,
        this.terms!.taxPercent,
        this.view.folio.entries,
        new Date().toISOString(),
      ),
    ];
  }

  /** The nights and their price as held; tax per night as the folio will charge it, so quote and bill agree. */
  private quote(held: { nightly: string[]; taxPercent: number; currency: string }): void {
    this.view.nightly = held.nightly;
    const totals = folioTotals(
      roomCharges(this.stay, held.nightly, held.taxPercent, [], new Date().toISOString()),
    );
    this.view.totals = {
      room: totals.charges,
      tax: totals.tax,
      total: fromMinorUnits(toMinorUnits(totals.charges) + toMinorUnits(totals.tax)),
      currency: held.currency,
    };
  }

  private post(entries: FolioEntry[]): void {
    for (const entry of entries)
      if (!this.view.folio.entries.some((e) => e.id === entry.id)) this.view.folio.entries.push(entry);
    this.view.folio = { entries: this.view.folio.entries, ...folioTotals(this.view.folio.entries) };
  }

  /** Tenant, channel, reservation id and property: what finds the stay (set once, see `openProcess`). */
  identityAttributes(): SearchAttributePair[] {
    return searchIdentity('reservation', { ...this.view, propertyId: this.stay.propertyId });
  }

  // ── Updates, Signal: validators (check…) and handlers ────────────────────────────────────────

  async placedAnswer(): Promise<ReservationView> {
    // A booking that came with its guarantee answers once it is confirmed, not while held.
    await condition(() => this.placed && (!this.input.guarantee || this.view.status !== 'held'));
    return this.view;
  }

  checkConfirm(request: { guarantee: Guarantee }): void {
    refuseIf(confirmationRefusal(this.activity));
    if (!request?.guarantee?.kind)
      throw new Error('a confirmation needs a guarantee (deposit, card or company)');
    checkArgument(confirmReservationSchema, request, 'confirmation');
  }

  async confirm(request: { guarantee: Guarantee }): Promise<ReservationView> {
    this.confirmation = request.guarantee;
    await condition(() => this.view.status !== 'held');
    return this.view;
  }

  checkCancel(request: ReasonRequest): void {
    checkReasoned(request, 'cancellation', cancellationRefusal(this.activity));
  }

  async requestCancel(request: ReasonRequest): Promise<ReservationView> {
    this.cancelRequest = request;
    await condition(
      () =>
        this.view.status === 'cancelled' ||
        (TERMINAL_RESERVATION_STATUSES.includes(this.view.status) && this.view.status !== 'overbooked'),
    );
    return this.view;
  }

  checkReaccommodate(request: Reaccommodation): void {
    refuseIf(reaccommodationRefusal(this.activity));
    checkArgument(reaccommodateSchema, request, 're-accommodation');
  }

  async reaccommodate(request: Reaccommodation): Promise<ReservationView> {
    this.reaccommodating = true;
    try {
      const placedStay = {
        ...this.stay,
        roomTypeId: request.roomTypeId ?? this.stay.roomTypeId,
        ratePlanId: request.ratePlanId ?? this.stay.ratePlanId,
      };
      this.reaccommodated = await stays.holdStay({
        tenantId: this.tenantId,
        reservationKey: this.reservationKey,
        stay: placedStay,
      });
      this.stay = this.view.stay = placedStay;
      // Answered once placed: confirmed with the guarantee it came with (or held without one).
      await condition(
        () => this.view.status !== 'overbooked' && (this.view.status !== 'held' || !this.confirmation),
      );
      return this.view;
    } catch (error) {
      throw updateRefused(error, 'ReaccommodationRefused');
    } finally {
      this.reaccommodating = false;
    }
  }

  checkModify(change: StayChange): void {
    refuseIf(modificationRefusal(this.activity));
    if (change?.asOf && this.view.channelModifiedAt && change.asOf <= this.view.channelModifiedAt)
      throw new Error(
        `the channel's change of ${change.asOf} is older than the one applied (${this.view.channelModifiedAt})`,
      );
    refuseIf(stayChangeRefusal(this.stay, change ?? {}, this.today()));
    checkArgument(channelStayChangeSchema, change, 'modification');
  }

  async modify(change: StayChange): Promise<ReservationView> {
    this.modifying = true;
    try {
      const before = this.stay;
      const after = changedStay(before, change);
      const held = await stays.modifyStay({
        tenantId: this.tenantId,
        reservationKey: this.reservationKey,
        stay: after,
        reprice: after.ratePlanId !== before.ratePlanId,
      });
      const differences = stayDifferences(before, after);
      if (
        (after.arrival !== before.arrival || after.departure !== before.departure) &&
        patched(STAY_DATES_SEARCHABLE)
      )
        upsertSearchAttributes([
          { key: SA_ARRIVAL, value: dateAttribute(after.arrival) },
          { key: SA_DEPARTURE, value: dateAttribute(after.departure) },
        ]);
      this.stay = after;
      this.view.stay = after;
      if (change.asOf) this.view.channelModifiedAt = change.asOf;
      this.terms = stayTermsOf(held);
      this.quote(held);
      this.note(
        `modified: ${differences.join('; ')}; total ${this.view.totals!.total} ${this.view.totals!.currency}`,
      );
      return this.view;
    } catch (error) {
      throw updateRefused(error, 'ModificationRefused');
    } finally {
      this.modifying = false;
    }
  }

  checkPayment(request: PaymentRequest): void {
    refuseIf(paymentRefusal(this.activity));
    checkMoneyMovement(request, 'a payment', '120.00');
    checkArgument(paymentSchema, request, 'payment');
  }

  addPayment(request: PaymentRequest): ReservationView {
    this.post([
      moneyMovement(
        'payment',
        request,
        `${request.method} payment ${request.reference}`,
        new Date().toISOString(),
      ),
    ]);
    return this.view;
  }

  checkRefund(request: RefundRequest): void {
    refuseIf(refundRefusal(this.activity));
    checkMoneyMovement(request, 'a refund', '50.00');
    if (this.view.folio.entries.some((e) => e.id === `refund:${request.reference}`)) return;
    const credit = -balanceOf(this.view.folio.entries);
    if (toMinorUnits(request.amount) > credit)
      throw new Error(
        `the folio is in credit by ${fromMinorUnits(Math.max(credit, 0))}; a refund cannot give back more`,
      );
    checkArgument(refundSchema, request, 'refund');
  }

  addRefund(request: RefundRequest): ReservationView {
    this.post([moneyMovement('refund', request, `refund ${request.reference}`, new Date().toISOString())]);
    return this.view;
  }

  /** The night audit of `businessDate`: the night of a guest in house is charged as it passes. */
  nightAudit({ businessDate }: { businessDate: string }): void {
    if (this.view.status === 'in_house') {
      // Check-out charges only what is left.
      this.post(
        roomCharges(
          this.stay,
          this.view.nightly,
          this.terms!.taxPercent,
          this.view.folio.entries,
          new Date().toISOString(),
        ).filter((entry) => entry.id === `room:${businessDate}`),
      );
    } else if (isNoShow(this.activity, this.stay.arrival, businessDate)) {
      this.noShowOn = businessDate;
    }
  }

  checkCharge(request: ChargeRequest): void {
    refuseIf(chargeRefusal(this.activity));
    if (!request?.id || !MONEY_PATTERN.test(request.amount ?? '') || !MONEY_PATTERN.test(request.tax ?? ''))
      throw new Error('a charge needs an id, an amount and a tax such as "12.50"');
  }

  postCharge(request: ChargeRequest): ReservationView {
    this.post([{ ...request, kind: 'charge', source: 'pos', at: new Date().toISOString() }]);
    return this.view;
  }

  checkCheckIn(request: { roomNumber?: string }): void {
    refuseIf(checkInRefusal(this.activity, this.stay, this.view.status === 'confirmed' ? this.today() : ''));
    checkArgument(checkInSchema, request, 'check-in');
  }

  async checkIn(request: { roomNumber?: string } | undefined): Promise<ReservationView> {
    this.checkingIn = true;
    const { tenantId, reservationKey, stay } = this;
    try {
      const room = await stays.assignRoom({
        tenantId,
        propertyId: stay.propertyId,
        roomTypeId: stay.roomTypeId,
        reservationKey,
        ...(request?.roomNumber ? { number: request.roomNumber } : {}),
      });
      await stays.markArrived({ tenantId, reservationKey });
      const lockConnectorId = this.input.policy.lockConnectorId;
      if (lockConnectorId) {
        try {
          const key = await partners
            .lock(lockConnectorId, { summary: `issue the key of room ${room} for stay ${this.view.id}` })
            .issueRoomKey({
              connectorId: lockConnectorId,
              reference: reservationKey,
              room,
              guestName: stay.guest.name,
              validFrom: new Date().toISOString(),
              validUntil: `${stay.departure}T23:59:59Z`,
            });
          this.view.key = { id: key.id, code: key.code };
        } catch (error) {
          await stays.vacateRoom({ tenantId, reservationKey, dirty: false });
          throw error;
        }
      }
      this.view.room = room;
      this.moveTo('in_house', `room ${room}${this.view.key ? ', key issued' : ''}`);
      return this.view;
    } catch (error) {
      throw updateRefused(error, 'CheckInRefused');
    } finally {
      this.checkingIn = false;
    }
  }

  checkCheckOut(request: { allowBalance?: boolean } | undefined): void {
    refuseIf(checkOutRefusal(this.activity));
    const balance = folioTotals(this.settledFolio()).balance;
    if (balance !== '0.00' && !request?.allowBalance)
      throw new Error(
        `the folio has a balance of ${balance} ${this.view.totals?.currency ?? ''}; take a payment, or check out with allowBalance`,
      );
    checkArgument(checkOutSchema, request, 'check-out');
  }

  async checkOut(request: { allowBalance?: boolean } | undefined): Promise<ReservationView> {
    this.checkOutRequest = request ?? {};
    await condition(() => this.view.status === 'checked_out');
    return this.view;
  }

  // ── The stay, from booking to close ──────────────────────────────────────────────────────────

  async run(): Promise<ReservationView> {
    const { tenantId, reservationKey, input } = this;
    // 1. The nights, held atomically, or a named refusal.
    let held: HeldStay;
    try {
      held = await stays.holdStay({ tenantId, reservationKey, stay: this.stay });
    } catch (error) {
      const refusal = asBusinessRefusal(error);
      if (!refusal) throw error;
      const placement = await this.refused(refusal);
      if (!placement) return this.finish();
      held = placement;
    }
    this.terms = stayTermsOf(held);
    this.quote(held);
    this.view.holdExpiresAt = new Date(
      new Date().getTime() + input.policy.holdMinutes * 60_000,
    ).toISOString();
    this.moveTo(
      'held',
      `${this.view.nightly.length} night(s) of ${this.stay.roomTypeId} at ${this.stay.propertyId}`,
    );
    this.placed = true;

    // 2. Confirmation by deposit or guarantee, or the hold runs out; a rate plan that asks no
    // guarantee confirms the booking as soon as its nights are held.
    const unguaranteed =
      held.guaranteeRequired === false &&
      this.confirmation === undefined &&
      patched(CONFIRMED_WITHOUT_GUARANTEE);
    const settled =
      unguaranteed ||
      (await condition(
        () => this.confirmation !== undefined || this.cancelRequest !== undefined,
        input.policy.holdMinutes * 60_000,
        { summary: `guarantee deadline of stay ${this.view.id}` },
      ));
    if (!settled) {
      await stays.releaseStay({ tenantId, reservationKey });
      this.moveTo('expired', `not confirmed within ${input.policy.holdMinutes} minutes; rooms released`);
      return this.finish();
    }
    if (this.cancelRequest) return this.cancel(this.cancelRequest.reason);
    await stays.confirmStay({ tenantId, reservationKey });
    this.view.guarantee = this.confirmation;
    this.moveTo(
      'confirmed',
      this.confirmation ? `guaranteed by ${this.confirmation.kind}` : 'the rate plan asks no guarantee',
    );

    // 3. Until the stay begins: a cancellation applies the rate plan's terms; check-in starts it.
    await condition(
      () =>
        this.cancelRequest !== undefined || this.view.status === 'in_house' || this.noShowOn !== undefined,
    );
    // (Set by the Update handler while this waited; the compiler cannot see that.)
    const cancelled = this.cancelRequest as { reason: string } | undefined;
    if (cancelled) return this.cancel(cancelled.reason);
    if (this.view.status !== 'in_house') return this.noShow(this.noShowOn!);

    // 4. The stay: check-out charges every night still open, revokes the key, leaves the room to
    // housekeeping and sends the bill to accounting.
    await condition(() => this.checkOutRequest !== undefined);
    return this.close();
  }

  /**
   * The booking did not fit. Rejected with the reasons, or (an OTA's booking under an overbooking
   * policy) overbooked and waiting for ops to place it: the nights they placed it in, if they did.
   */
  private async refused(refusal: { type: string; reasons: string[] }): Promise<HeldStay | undefined> {
    const { view, input } = this;
    view.rejection = refusal;
    const overbooked = refusal.type === 'NotAvailable' && input.policy.acceptOverbooking;
    if (overbooked)
      this.moveTo(
        'overbooked',
        `accepted over the calendar (${refusal.reasons.join('; ')}); to be re-accommodated`,
      );
    else this.moveTo('rejected', `${refusal.type}: ${refusal.reasons.join('; ')}`);
    this.placed = true;
    if (!overbooked || !patched(REACCOMMODATION)) return undefined;
    // Ops place it or cancel it; after its departure there is nothing left to place.
    this.awaitingPlacement = true;
    this.showDetails();
    const lastDay = new Date(`${this.stay.departure}T23:59:59Z`).getTime() + 86_400_000;
    await condition(
      () => this.reaccommodated !== undefined || this.cancelRequest !== undefined,
      Math.max(lastDay - new Date().getTime(), 1),
      { summary: `re-accommodation of stay ${this.view.id} until its departure` },
    );
    // A placement under way when time ran out finishes first: its nights are not left behind.
    await condition(() => !this.reaccommodating || this.reaccommodated !== undefined);
    this.awaitingPlacement = false;
    this.showDetails();
    if (!this.reaccommodated) {
      if (this.cancelRequest) this.moveTo('cancelled', `${this.cancelRequest.reason}; no nights were taken`);
      return undefined;
    }
    delete view.rejection;
    this.note(`re-accommodated in ${this.stay.roomTypeId} (${this.stay.ratePlanId})`);
    return this.reaccommodated;
  }

  /** Check-out: every night still open charged, the key revoked, the room dirty, the bill sent. */
  private async close(): Promise<ReservationView> {
    const { tenantId, reservationKey, input, view } = this;
    this.post(this.settledFolio());
    if (input.policy.lockConnectorId) {
      await partners
        .lock(input.policy.lockConnectorId, { summary: `revoke the keys of stay ${view.id}` })
        .revokeRoomKeys({
          connectorId: input.policy.lockConnectorId,
          reference: reservationKey,
        });
      if (view.key) view.key.revoked = true;
    }
    await stays.vacateRoom({ tenantId, reservationKey, dirty: true });
    if (patched(FOLIO_SETTLEMENT)) {
      await this.bill();
      this.moveTo('checked_out', `room ${view.room} to housekeeping`);
      await this.settlement();
      return this.finish();
    }
    if (input.policy.accountingConnectorId && view.folio.balance === '0.00') {
      const posted = await partners.accounting(input.policy.accountingConnectorId).postOrderToAccounting({
        tenantId,
        connectorId: input.policy.accountingConnectorId,
        invoice: this.stayInvoice(),
      });
      view.accounting = { ...posted, connectorId: input.policy.accountingConnectorId };
    } else if (view.folio.balance !== '0.00') {
      this.note(`checked out with ${view.folio.balance} open; the bill goes to accounting once settled`);
    }
    this.moveTo('checked_out', `room ${view.room} to housekeeping`);
    return this.finish();
  }

  private stayInvoice(): InvoiceDraft {
    const { view, stay } = this;
    const charges = view.folio.entries.filter((e) => e.kind === 'charge');
    return {
      reference: this.reservationKey,
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
  private async noShow(businessDate: string): Promise<ReservationView> {
    const charge = noShowFee(this.terms!, this.stay.arrival, this.view.nightly);
    await stays.releaseStay({ tenantId: this.tenantId, reservationKey: this.reservationKey });
    this.chargeFee('no-show', charge.fee, charge.reason);
    const settles = patched(FOLIO_SETTLEMENT);
    if (settles) await this.bill();
    this.moveTo(
      'no_show',
      `no arrival by the night audit of ${businessDate}; fee ${charge.fee} ${this.view.totals?.currency ?? ''}`.trim(),
    );
    if (settles) await this.settlement();
    return this.finish();
  }

  private chargeFee(kind: 'no-show' | 'cancellation', fee: string, reason: string): void {
    if (fee === '0.00') return;
    this.post([
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

  private async cancel(reason: string): Promise<ReservationView> {
    const { view, terms } = this;
    // A hold never confirmed has nothing to charge; a confirmed stay pays the rate plan's fee.
    const charge =
      view.status === 'confirmed' && terms
        ? cancellationFee(
            terms.cancellation,
            this.stay.arrival,
            view.nightly,
            localDate(new Date().toISOString(), terms.timeZone),
          )
        : { fee: '0.00', reason: 'cancelled before confirmation' };
    await stays.releaseStay({ tenantId: this.tenantId, reservationKey: this.reservationKey });
    view.cancellation = { reason, fee: charge.fee, terms: charge.reason };
    this.chargeFee('cancellation', charge.fee, charge.reason);
    const settles = patched(FOLIO_SETTLEMENT);
    if (settles) await this.bill();
    this.moveTo('cancelled', `${reason}; fee ${charge.fee} ${view.totals?.currency ?? ''}`.trim());
    this.note(charge.reason);
    if (settles) await this.settlement();
    return this.finish();
  }

  /**
   * A closed stay's folio goes to accounting once it carries charges (nights and extras at
   * check-out, or a cancellation or no-show fee): the invoice, and each payment taken so far,
   * never more than the invoice is owed (a deposit beyond it is the guest's credit, refunded).
   */
  private async bill(): Promise<void> {
    const { view, tenantId } = this;
    const connectorId = this.input.policy.accountingConnectorId;
    const billed = toMinorUnits(view.folio.charges) + toMinorUnits(view.folio.tax);
    if (!connectorId || billed === 0) return;
    const invoice = this.stayInvoice();
    const accounts = partners.accounting(connectorId, {
      summary: `bill the folio of stay ${view.id} in ${connectorId}`,
    });
    if (!view.accounting)
      view.accounting = {
        invoiceId: await accounts.postInvoiceToAccounting({ tenantId, connectorId, invoice }),
        connectorId,
        paymentIds: [],
      };
    const { invoiceId } = view.accounting;
    for (const entry of view.folio.entries) {
      if (entry.kind !== 'payment' || this.paymentsBilled.has(entry.id)) continue;
      this.paymentsBilled.add(entry.id);
      const amount = Math.min(toMinorUnits(entry.amount), billed - this.paidIn);
      if (amount <= 0) continue;
      const paymentId = await accounts.postPaymentToAccounting({
        tenantId,
        connectorId,
        invoice,
        invoiceId,
        paymentReference: entry.id,
        amount: fromMinorUnits(amount),
      });
      this.paidIn += amount;
      view.accounting.paymentIds!.push(paymentId);
    }
  }

  /**
   * A folio closed with a balance (a fee against a card guarantee, a check-out with money owed,
   * a deposit to give back) keeps taking payments and refunds for the tenant's settlement window;
   * each payment reaches accounting as it comes. Then it is settled, or left unsettled.
   */
  private async settlement(): Promise<void> {
    const { view } = this;
    if (balanceOf(view.folio.entries) === 0) return;
    const days = this.input.policy.settlementDays ?? 30;
    const closesAt = new Date().getTime() + days * 86_400_000;
    const until = new Date(closesAt).toISOString();
    this.settling = true;
    for (;;) {
      view.settlement = { status: 'open', balance: view.folio.balance, until };
      this.showDetails();
      const remaining = closesAt - new Date().getTime();
      const moved =
        remaining > 0 &&
        (await condition(
          () =>
            balanceOf(view.folio.entries) === 0 ||
            view.folio.entries.some((e) => e.kind === 'payment' && !this.paymentsBilled.has(e.id)),
          remaining,
          { summary: `folio settlement window of stay ${this.view.id}` },
        ));
      await this.bill();
      if (balanceOf(view.folio.entries) === 0) {
        view.settlement = { status: 'settled', balance: '0.00', until };
        this.note('folio settled');
        break;
      }
      if (!moved) {
        view.settlement = { status: 'unsettled', balance: view.folio.balance, until };
        this.note(
          `folio left with ${view.folio.balance} after ${days} days; the invoice stays open in accounting`,
        );
        break;
      }
    }
    this.settling = false;
  }

  private async finish(): Promise<ReservationView> {
    await condition(allHandlersFinished);
    return this.view;
  }
}
