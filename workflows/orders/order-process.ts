import { ApplicationFailure, condition, log } from '@temporalio/workflow';
import type { SearchAttributePair, SearchAttributeUpdatePair } from '@temporalio/common';
import { invoiceFromOrder } from '../../domain/accounting/invoice';
import { describeAllocations, groupByLocation } from '../../domain/orders/allocation';
import {
  cancelRefusal,
  channelAddressApplies,
  editLinesRefusal,
  editRefusal,
  type OrderActivity,
} from '../../domain/orders/guards';
import {
  orderAmount,
  orderCurrentDetails,
  orderNeedsAttention,
  orderWaitsOn,
} from '../../domain/orders/describe';
import { publicOrderId, shipmentKey } from '../../domain/orders/ids';
import {
  addressSchema,
  orderLineSchema,
  orderTotals,
  sameAddress,
  type CanonicalOrder,
} from '../../domain/orders/order';
import { chooseShipmentRate, type CarrierQuoteView } from '../../domain/orders/rates';
import { isTerminal, type OrderLabel, type OrderView } from '../../domain/orders/status';
import {
  isPickedUp,
  isTrackingException,
  LatestTracking,
  type TrackingUpdate,
} from '../../domain/orders/tracking';
import { validateIncomingOrder, type OrderValidation } from '../../domain/orders/validation';
import {
  SA_CONNECTOR,
  SA_CURRENCY,
  SA_NEEDS_ATTENTION,
  SA_TOTAL,
  SA_WAITING_SINCE,
  searchIdentity,
} from '../../domain/search-attributes';
import type { CarrierActivities } from '../../activities';
import { orderSteps as core, partners } from '../shared/activities';
import { checkArgument } from '../shared/contract';
import { asRejection, checkReasoned, failureMessage, refuseIf, updateRefused } from '../shared/failures';
import {
  DECIDED_AT_START,
  inPatchSet,
  patchedAtStart,
  takePatchSetAtStart,
  type PatchSet,
} from '../shared/patches';
import { SilenceWatch } from '../shared/silence-watch';
import { announcerOf, OPS_ATTRIBUTES, progressOf, refreshAttributes, type OpsView } from '../shared/progress';
import {
  cancelRequestSchema,
  editRequestSchema,
  type CancelRequest,
  type ChannelOrderUpdate,
  type EditRequest,
  type OrderLifecycleInput,
} from './contract';

const DAY_MS = 86_400_000;

/** New runs buy and archive a label in one partner step (one activity and one workflow task fewer). */
const LABEL_ARCHIVED_WITH_PURCHASE = 'label-archived-with-purchase';
/**
 * New runs wait for carrier scans with one silence timer that outlives the scans (a set-only
 * patch): a scan no longer cancels a timer and starts another.
 */
const SILENCE_TIMER_KEPT = 'silence-timer-kept-across-scans';
/**
 * The order's patches under one marker, newest set first (see `takePatchSetAtStart`): a new run
 * starts with two history events for them instead of six, one visibility write instead of three.
 */
export const ORDER_PATCH_SETS: PatchSet[] = [
  {
    id: 'order-patch-set-2',
    patches: [DECIDED_AT_START, OPS_ATTRIBUTES, LABEL_ARCHIVED_WITH_PURCHASE, SILENCE_TIMER_KEPT],
  },
  { id: 'order-patch-set-1', patches: [DECIDED_AT_START, OPS_ATTRIBUTES, LABEL_ARCHIVED_WITH_PURCHASE] },
];
/**
 * The state and steps of one order (the workflow `orderLifecycle` wires its Updates, Signals and
 * Query to these methods). `run` is the order from validation to delivery; each `check…` method
 * is an Update's validator, each other public method a handler. Whether a request is allowed at
 * all is a `domain/orders/guards.ts` rule; the process keeps what the guards read.
 */
export class OrderProcess {
  readonly view: OrderView;
  private readonly validation: OrderValidation;
  /** The order as validated, and as edits change it; undefined when the intake's rules refused it. */
  private readonly order: CanonicalOrder | undefined;
  private readonly moveTo: ReturnType<typeof progressOf>['moveTo'];
  private readonly note: ReturnType<typeof progressOf>['note'];
  private readonly showDetails: ReturnType<typeof progressOf>['show'];
  private readonly ops: OpsView = {
    details: () =>
      orderCurrentDetails(
        this.view,
        { ...this.policy, shippingStarted: this.shippingStarted },
        new Date().toISOString(),
      ),
    attributes: () => this.opsAttributes(),
  };
  private readonly events: ReturnType<typeof announcerOf>;
  /** The label is bought and archived in one partner step (runs from before: two steps). */
  private readonly archiveWithPurchase: boolean;
  private cancelRequest: CancelRequest | undefined;
  private cancelled = false;
  private paid: boolean;
  private editing = false;
  private shippingStarted = false;
  /** Bumped whenever a label's tracking changes; the tracking loop wakes on it. */
  private trackingVersion = 0;
  /** A scan can arrive before its label is recorded here; the latest per tracking code is kept. */
  private readonly latestTracking = new LatestTracking();

  constructor(
    private readonly input: OrderLifecycleInput,
    private readonly orderKey: string,
  ) {
    const channel = input.candidate.channel ?? 'rest';
    const externalId = input.candidate.externalId ?? '';
    this.view = {
      id: publicOrderId(channel, externalId),
      tenantId: input.tenantId,
      channel,
      externalId,
      status: 'received',
      allocations: [],
      labels: [],
      timeline: [{ at: input.receivedAt, status: 'received', note: `via ${input.origin}` }],
      ...(input.exchangeFor ? { exchangeFor: input.exchangeFor } : {}),
    };
    // Every channel's candidate passes the same rules; a refusal is answered by `run`, once handlers are set.
    this.validation =
      input.validation ??
      validateIncomingOrder(input.candidate, {
        currency: input.policy.currency,
        shipsTo: input.policy.shipsTo,
      });
    this.order = this.validation.ok ? this.validation.order : undefined;
    this.view.order = this.order;
    this.paid = input.candidate.paymentStatus !== 'pending';
    takePatchSetAtStart(ORDER_PATCH_SETS);
    ({ moveTo: this.moveTo, note: this.note, show: this.showDetails } = progressOf(this.view, this.ops));
    this.archiveWithPurchase = patchedAtStart(LABEL_ARCHIVED_WITH_PURCHASE);
    this.events = announcerOf(core.recordEvent, orderKey, input.tenantId, () => ({
      orderId: this.view.id,
      status: this.view.status,
    }));
  }

  private get tenantId(): string {
    return this.input.tenantId;
  }

  private get policy(): OrderLifecycleInput['policy'] {
    return this.input.policy;
  }

  /** What the guards read: the status and the requests taken but not finished. */
  private get activity(): OrderActivity {
    return {
      id: this.view.id,
      status: this.view.status,
      valid: this.order !== undefined,
      cancelling: this.cancelRequest !== undefined,
      editing: this.editing,
      shippingStarted: this.shippingStarted,
      pickedUp: this.pickedUpCount(),
    };
  }

  private pickedUpCount(): number {
    return (this.view.labels ?? []).filter((l) => l.tracking && isPickedUp(l.tracking.status)).length;
  }

  /** Tenant, channel, order id and status: what finds the order (set once, see `openProcess`). */
  identityAttributes(): SearchAttributePair[] {
    return searchIdentity('order', this.view);
  }

  /** What ops filter by beside the status: attention, the partner waited on, since when, the amount. */
  private opsAttributes(): SearchAttributeUpdatePair[] {
    const amount = this.order && orderAmount(this.order);
    return [
      { key: SA_NEEDS_ATTENTION, value: orderNeedsAttention(this.view) },
      { key: SA_CONNECTOR, value: orderWaitsOn(this.view, this.policy.channelConnectorId) ?? null },
      { key: SA_WAITING_SINCE, value: new Date() },
      ...(amount
        ? [
            { key: SA_TOTAL, value: amount.total },
            { key: SA_CURRENCY, value: amount.currency },
          ]
        : []),
    ];
  }

  // ── Signals ──────────────────────────────────────────────────────────────────────────────────

  channelOrderUpdated(update: ChannelOrderUpdate): void {
    if (update.paymentStatus === 'paid' && !this.paid) {
      this.paid = true;
      this.note('payment confirmed by the channel');
    }
    const order = this.order;
    // The channel reports the order on every change of it (a fulfilment, a payment): most carry
    // the address the order has, and comparing first parses (and loads zod in this run) only news.
    if (!order || !update.shippingAddress || sameAddress(order.shippingAddress, update.shippingAddress))
      return;
    const address = addressSchema().safeParse(update.shippingAddress);
    if (!address.success || sameAddress(order.shippingAddress, address.data)) return;
    // An address changed on the channel applies while no label is bought; later, ops must act.
    if (channelAddressApplies(this.activity)) {
      order.shippingAddress = address.data;
      this.note('shipping address changed on the channel');
    } else {
      this.note('the channel changed the shipping address after labels were bought; not applied');
    }
  }

  tracking(update: TrackingUpdate): void {
    if (!this.latestTracking.keep(update)) return;
    const label = this.view.labels?.find((l) => l.trackingCode === update.trackingCode);
    if (label) this.applyTracking(label);
  }

  private applyTracking(label: OrderLabel): void {
    if (!label.voided && this.latestTracking.applyTo(label)) this.trackingVersion += 1;
  }

  // ── Updates: validators (check…) and handlers ────────────────────────────────────────────────

  checkCancel(request: CancelRequest): void {
    checkReasoned(request, 'cancellation', cancelRefusal(this.activity), cancelRequestSchema());
  }

  async requestCancel(request: CancelRequest): Promise<OrderView> {
    this.cancelRequest = request;
    await condition(() => this.cancelled || isTerminal(this.view.status));
    if (!this.cancelled)
      throw ApplicationFailure.nonRetryable(
        `order ${this.view.id} ended ${this.view.status} before the cancel applied`,
      );
    return this.view;
  }

  checkEdit(request: EditRequest): void {
    refuseIf(editRefusal(this.activity));
    // Shapes, as the API checks them (at least one of lines and address, each line and the address valid).
    checkArgument(editRequestSchema(), request, 'edit');
    if (request.lines) refuseIf(editLinesRefusal(this.order!.lines, request.lines));
  }

  async edit(request: EditRequest): Promise<OrderView> {
    this.editing = true;
    try {
      const current = this.order!;
      if (request.lines) {
        const lines = request.lines.map((line) => {
          const previous = current.lines.find((l) => l.sku === line.sku);
          return orderLineSchema().parse({ ...previous, ...line });
        });
        const stock = await core.replaceReservedStock({
          tenantId: this.tenantId,
          orderKey: this.orderKey,
          lines: lines.map(({ sku, quantity }) => ({ sku, quantity })),
          destination: request.shippingAddress ?? current.shippingAddress,
          strategy: this.policy.routing,
        });
        current.lines = lines;
        this.view.allocations = stock.allocations;
        this.view.routing = stock.routing;
      }
      if (request.shippingAddress) current.shippingAddress = addressSchema().parse(request.shippingAddress);
      this.view.totals = { ...orderTotals(current), currency: current.currency };
      refreshAttributes(this.ops);
      this.note(
        `edited: ${[request.lines ? 'lines' : '', request.shippingAddress ? 'shipping address' : ''].filter(Boolean).join(' and ')}`,
      );
      return this.view;
    } catch (error) {
      throw updateRefused(error, 'EditRefused', asRejection);
    } finally {
      this.editing = false;
    }
  }

  // ── The order, step by step ──────────────────────────────────────────────────────────────────

  async run(): Promise<OrderView> {
    // 1. Validation.
    const order = this.order;
    if (!order) {
      const refusal = this.validation as Extract<OrderValidation, { ok: false }>;
      return this.reject(refusal.type, refusal.reasons);
    }
    this.view.totals = { ...orderTotals(order), currency: order.currency };
    this.events.announce('order.created', { totals: this.view.totals });

    // 2. Stock: routed and reserved atomically.
    const refused = await this.reserveStock(order);
    if (refused) return refused;

    // 3. Payment (channels that take it later) and the edit window.
    if (!this.paid && !(await this.awaitPayment())) return this.finish();
    if (this.policy.editWindowSeconds > 0 && !this.cancelRequest) {
      await condition(() => this.cancelRequest !== undefined, this.policy.editWindowSeconds * 1000, {
        summary: `edit window of order ${this.view.id}`,
      });
    }
    await condition(() => !this.editing);
    if (this.cancelRequest) return this.cancelOrder(this.cancelRequest);
    this.shippingStarted = true;
    this.showDetails();

    // 4. Labels: every parcel quoted by every carrier, the cheapest eligible rate bought.
    const unshipped = await this.buyLabels(order);
    if (unshipped) return unshipped;
    if (this.cancelRequest) return this.cancelOrder(this.cancelRequest);
    this.moveTo(
      'label_purchased',
      this.view.labels!.map((l) => `${l.carrier} ${l.trackingCode} from ${l.locationId}`).join(', '),
    );

    // 5. Carrier scans until every parcel is delivered.
    return this.followParcels(order);
  }

  /** The order's lines routed to locations and reserved; a business refusal rejects the order. */
  private async reserveStock(order: CanonicalOrder): Promise<OrderView | undefined> {
    try {
      const stock = await core.reserveRoutedStock({
        tenantId: this.tenantId,
        orderKey: this.orderKey,
        lines: order.lines.map(({ sku, quantity }) => ({ sku, quantity })),
        destination: order.shippingAddress,
        strategy: this.policy.routing,
      });
      this.view.allocations = stock.allocations;
      this.view.routing = stock.routing;
    } catch (error) {
      const rejection = asRejection(error);
      if (!rejection) throw error;
      return this.reject(rejection.type, rejection.reasons);
    }
    this.moveTo(
      'stock_reserved',
      `${this.view.routing?.reason}: ${describeAllocations(this.view.allocations)}`,
    );
    return undefined;
  }

  /** Stock held until the channel confirms payment; false once it expired and the stock went back. */
  private async awaitPayment(): Promise<boolean> {
    const minutes = this.policy.paymentTimeoutMinutes;
    this.moveTo('awaiting_payment', `stock held for ${minutes} minutes until payment`);
    const settled = await condition(() => this.paid || this.cancelRequest !== undefined, minutes * 60_000, {
      summary: `payment expiry of order ${this.view.id}`,
    });
    if (!settled) {
      await core.releaseStock({ tenantId: this.tenantId, orderKey: this.orderKey });
      this.moveTo('expired', `no payment within ${minutes} minutes; stock released`);
      this.events.announce('order.cancelled', { reason: 'payment not received in time' });
      return false;
    }
    if (this.paid && !this.cancelRequest) this.moveTo('stock_reserved', 'paid');
    return true;
  }

  /** A label per shipping location; on failure, bought labels are voided and the stock given back. */
  private async buyLabels(order: CanonicalOrder): Promise<OrderView | undefined> {
    try {
      for (const [locationId, lines] of groupByLocation(this.view.allocations)) {
        if (this.cancelRequest) break;
        const label = await this.shipParcel(order, locationId, lines);
        this.view.labels!.push(label);
        this.applyTracking(label);
      }
    } catch (error) {
      const rejection = asRejection(error);
      await this.compensate();
      if (rejection) return this.reject(rejection.type, rejection.reasons, true);
      this.moveTo('failed', failureMessage(error));
      throw ApplicationFailure.create({
        message: `order ${this.view.id} failed: ${failureMessage(error)}`,
        type: 'OrderFailed',
        nonRetryable: true,
        cause: error as Error,
      });
    }
    return undefined;
  }

  /**
   * Scans until every parcel is delivered. Each parcel that leaves takes its stock off the books and
   * tells the channel; the last one sends the invoice. Silence for N days is an exception, and a
   * cancellation still applies while nothing was picked up.
   */
  private async followParcels(order: CanonicalOrder): Promise<OrderView> {
    const fulfilled = new Set<string>();
    let seen = 0;
    let announcedShipped = false;
    const silence = {
      ms: this.policy.stuckAfterDays * DAY_MS,
      summary: `no carrier scan for ${this.policy.stuckAfterDays} days on order ${this.view.id}`,
    };
    const watch = inPatchSet(SILENCE_TIMER_KEPT) ? new SilenceWatch(silence.ms, silence.summary) : undefined;
    const wakeUp = () =>
      this.trackingVersion !== seen || (this.cancelRequest !== undefined && this.pickedUpCount() === 0);
    for (;;) {
      this.showDetails();
      const moved = watch
        ? await watch.wait(wakeUp)
        : await condition(wakeUp, silence.ms, { summary: silence.summary });
      if (this.cancelRequest && this.pickedUpCount() === 0 && !this.cancelled)
        return this.cancelOrder(this.cancelRequest);
      if (!moved) {
        this.raiseException(
          `no carrier movement for ${this.policy.stuckAfterDays} days`,
          new Date().toISOString(),
        );
        continue;
      }
      seen = this.trackingVersion;
      const labels = this.view.labels!;
      const allPickedUp = labels.every((l) => l.tracking && isPickedUp(l.tracking.status));
      // These are independent: run together.
      const leaving = labels.filter(
        (l) => l.tracking && isPickedUp(l.tracking.status) && !fulfilled.has(l.locationId),
      );
      leaving.forEach((label) => fulfilled.add(label.locationId));
      await Promise.all([
        ...leaving.map((label) =>
          Promise.all([
            core.fulfilLocationStock({
              tenantId: this.tenantId,
              orderKey: this.orderKey,
              locationId: label.locationId,
            }),
            this.tellChannel(order, label),
          ]),
        ),
        allPickedUp && !this.view.accounting ? this.postToAccounting(order) : undefined,
      ]);
      const trouble = labels.find((l) => l.tracking && isTrackingException(l.tracking.status));
      if (trouble) {
        this.raiseException(
          `carrier reports ${trouble.tracking!.status} for ${trouble.trackingCode}`,
          trouble.tracking!.at,
        );
        continue;
      }
      const allDelivered = labels.every((l) => l.tracking?.status === 'delivered');
      if (allPickedUp && !announcedShipped) {
        this.view.exception = undefined;
        this.moveTo('shipped', labels.map((l) => l.trackingCode).join(', '));
        this.events.announce('order.shipped', {
          labels: labels.map(({ carrier, trackingCode }) => ({ carrier, trackingCode })),
        });
        announcedShipped = true;
      } else if (this.view.status === 'exception') {
        this.view.exception = undefined;
        this.moveTo(announcedShipped ? 'shipped' : 'label_purchased', 'carrier movement resumed');
      }
      if (allDelivered) {
        this.moveTo('delivered');
        this.events.announce('order.delivered');
        return this.finish();
      }
    }
  }

  /** The order moves to `exception` once, with the reason; movement later clears it. */
  private raiseException(reason: string, since: string): void {
    if (this.view.status === 'exception') return;
    this.view.exception = { reason, since };
    this.moveTo('exception', reason);
    this.events.announce('order.exception', { reason });
  }

  /** One parcel: quoted by every carrier, the cheapest eligible rate bought, its label archived. */
  private async shipParcel(
    current: CanonicalOrder,
    locationId: string,
    lines: Array<{ sku: string; quantity: number }>,
  ): Promise<OrderLabel> {
    const { tenantId, orderKey } = this;
    const key = `${shipmentKey(tenantId, current.channel, current.externalId)}:${locationId}`;
    const parcel = `parcel ${this.view.labels!.length + 1} of order ${this.view.id} from ${locationId}`;
    const settled = await Promise.allSettled(
      this.policy.carriers.map((connectorId) =>
        partners.carrier(connectorId, { summary: `quote ${parcel} with ${connectorId}` }).quoteParcel({
          tenantId,
          orderKey,
          shipmentKey: key,
          connectorId,
          fromLocationId: locationId,
          to: current.shippingAddress,
          lines,
        }),
      ),
    );
    const quotes = settled
      .filter((s): s is PromiseFulfilledResult<CarrierQuoteView> => s.status === 'fulfilled')
      .map((s) => s.value);
    if (quotes.length === 0)
      throw (
        (settled[0] as PromiseRejectedResult | undefined)?.reason ??
        new Error('no carrier is configured for this tenant')
      );
    for (const failed of settled.filter((s) => s.status === 'rejected'))
      this.note(`a carrier could not quote: ${failureMessage(failed.reason)}`);
    let choice;
    try {
      choice = chooseShipmentRate(quotes, current.shippingService);
    } catch {
      throw ApplicationFailure.nonRetryable(
        `no carrier rate meets the "${current.shippingService}" service level`,
        'NoEligibleRate',
        {
          reasons: [
            `no carrier rate delivers within the "${current.shippingService}" service level from ${locationId}`,
          ],
        },
      );
    }
    const purchase = {
      tenantId,
      orderKey,
      shipmentKey: key,
      locationId,
      connectorId: choice.connectorId,
      carrierShipmentId: choice.carrierShipmentId,
      rateId: choice.rate.id,
      service: current.shippingService,
    };
    const buying = `label for ${parcel} with ${choice.connectorId} (${choice.rate.service}, ${choice.rate.amount} ${choice.rate.currency})`;
    let label: Awaited<ReturnType<CarrierActivities['buyLabel']>>;
    let labelKey: string;
    if (this.archiveWithPurchase) {
      ({ labelKey, ...label } = await partners
        .carrier(choice.connectorId, { summary: `buy and archive the ${buying}` })
        .buyAndArchiveLabel(purchase));
    } else {
      label = await partners.carrier(choice.connectorId, { summary: `buy ${buying}` }).buyLabel(purchase);
      labelKey = await partners
        .carrier(label.connectorId, { summary: `archive the label of ${parcel} (${label.trackingCode})` })
        .archiveLabel({
          tenantId,
          shipmentKey: key,
          connectorId: label.connectorId,
        });
    }
    return {
      locationId,
      carrier: label.carrier,
      trackingCode: label.trackingCode,
      labelKey,
      rate: label.rate,
      connectorId: label.connectorId,
      shipmentKey: key,
    };
  }

  /** Tracking to the channel; a refusal there is for ops to see, it does not undo the shipment. */
  private async tellChannel(current: CanonicalOrder, label: OrderLabel): Promise<void> {
    const connectorId = this.policy.channelConnectorId;
    if (!connectorId || current.channel !== 'shopify') return;
    const allocated = this.view.allocations.filter((a) => a.locationId === label.locationId);
    const lines = allocated
      .map((a) => ({
        channelLineId: current.lines.find((l) => l.sku === a.sku)?.channelLineId,
        quantity: a.quantity,
      }))
      .filter((l): l is { channelLineId: string; quantity: number } => Boolean(l.channelLineId));
    try {
      const id = await partners
        .marketplace(connectorId, {
          summary: `tell ${connectorId} that ${label.trackingCode} of order ${this.view.id} shipped`,
        })
        .pushChannelFulfilment({
          tenantId: this.tenantId,
          connectorId,
          externalId: current.externalId,
          shipmentKey: label.shipmentKey!,
          trackingNumber: label.trackingCode,
          trackingCompany: label.carrier,
          lines,
        });
      this.view.channelFulfilmentIds = [...(this.view.channelFulfilmentIds ?? []), id];
    } catch (error) {
      this.note(`the channel refused the fulfilment of ${label.trackingCode}: ${failureMessage(error)}`);
    }
  }

  private async postToAccounting(current: CanonicalOrder): Promise<void> {
    const connectorId = this.policy.accountingConnectorId;
    if (!connectorId) return;
    try {
      const posted = await partners
        .accounting(connectorId, { summary: `invoice order ${this.view.id} in ${connectorId}` })
        .postOrderToAccounting({
          tenantId: this.tenantId,
          connectorId,
          invoice: invoiceFromOrder(this.orderKey, this.view.id, current, new Date().toISOString()),
        });
      this.view.accounting = { ...posted, connectorId };
    } catch (error) {
      this.note(`accounting refused the invoice: ${failureMessage(error)}`);
    }
  }

  // ── Ends ─────────────────────────────────────────────────────────────────────────────────────

  /** Compensation in reverse: labels voided, stock given back. */
  private async compensate(): Promise<void> {
    for (const label of [...(this.view.labels ?? [])].reverse()) {
      if (label.voided || !label.connectorId || !label.shipmentKey) continue;
      await partners
        .carrier(label.connectorId)
        .voidLabel({ tenantId: this.tenantId, shipmentKey: label.shipmentKey });
      label.voided = true;
    }
    await core.releaseStock({ tenantId: this.tenantId, orderKey: this.orderKey });
  }

  private async cancelOrder(request: CancelRequest): Promise<OrderView> {
    await this.compensate();
    const current = this.order!;
    const connectorId = this.policy.channelConnectorId;
    let refunded: string | undefined;
    if (request.origin !== 'channel' && connectorId && current.channel === 'shopify') {
      await partners
        .marketplace(connectorId, { summary: `refund order ${this.view.id} on ${connectorId}` })
        .refundOnChannel({
          tenantId: this.tenantId,
          connectorId,
          externalId: current.externalId,
          orderKey: this.orderKey,
          amount: orderTotals(current).total,
          currency: current.currency,
        });
      refunded = orderTotals(current).total;
    }
    this.view.cancellation = {
      reason: request.reason,
      origin: request.origin,
      ...(refunded ? { refunded } : {}),
    };
    this.cancelled = true;
    this.moveTo('cancelled', request.reason);
    this.events.announce('order.cancelled', { reason: request.reason, origin: request.origin });
    return this.finish();
  }

  private async reject(type: string, reasons: string[], alreadyCompensated = false): Promise<OrderView> {
    if (!alreadyCompensated && this.view.allocations.length > 0)
      await core.releaseStock({ tenantId: this.tenantId, orderKey: this.orderKey });
    this.view.rejection = { type, reasons };
    this.moveTo('rejected', `${type}: ${reasons.join('; ')}`);
    this.events.announce('order.rejected', { rejection: this.view.rejection });
    log.info('order rejected', { orderKey: this.orderKey, type, reasons });
    return this.finish();
  }

  /** Every announced event recorded, then the view is the workflow's result. */
  private async finish(): Promise<OrderView> {
    await this.events.settled();
    return this.view;
  }
}
