import { trackingSignal, checkArgument } from '../shared/contract';
import {
  cancelRequestSchema,
  editRequestSchema,
  getOrderQuery,
  cancelOrderUpdate,
  channelOrderUpdatedSignal,
  editOrderUpdate,
  type CancelRequest,
  type EditRequest,
  type OrderLifecycleInput,
} from './contract';
import {
  ApplicationFailure,
  condition,
  log,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { invoiceFromOrder } from '../../domain/accounting/invoice';
import { publicOrderId, shipmentKey } from '../../domain/orders/ids';
import {
  addressSchema,
  orderLineSchema,
  orderTotals,
  type Address,
  type CanonicalOrder,
} from '../../domain/orders/order';
import { chooseShipmentRate, type CarrierQuoteView } from '../../domain/orders/rates';
import {
  CANCELLABLE_ORDER_STATUSES,
  EDITABLE_ORDER_STATUSES,
  isTerminal,
  type OrderLabel,
  type OrderView,
} from '../../domain/orders/status';
import { isPickedUp, isTrackingException, type TrackingUpdate } from '../../domain/orders/tracking';
import { validateIncomingOrder, type OrderValidation } from '../../domain/orders/validation';
import { SA_CHANNEL, SA_ORDER_ID, SA_STATUS, SA_TENANT } from '../../domain/search-attributes';
import { describeAllocations, groupByLocation } from '../../domain/orders/allocation';
import { orderSteps, partners } from '../shared/activities';
import { announcerOf, progressOf } from '../shared/progress';
import { asRejection, failureMessage, updateRefused } from '../shared/failures';

const core = orderSteps;

const DAY_MS = 86_400_000;

/**
 * One order from intake to the customer's door, or to a named end:
 *
 *   received → [awaiting_payment] → stock_reserved → label_purchased → shipped → delivered
 *   any of the first four → cancelled (Update `cancelOrder`; compensation in reverse)
 *   awaiting_payment → expired (no payment in time) · received → rejected (validation, stock)
 *   label_purchased | shipped → exception (no carrier movement for N days, or carrier trouble)
 *
 * Edits (Update `editOrder`) apply until labels are bought. Tracking arrives as signals from
 * carrier webhooks. Each announced event is recorded only after its state is.
 */
export async function orderLifecycle(input: OrderLifecycleInput): Promise<OrderView> {
  const { tenantId, policy } = input;
  const orderKey = workflowInfo().workflowId;
  const channel = input.candidate.channel ?? 'rest';
  const externalId = input.candidate.externalId ?? '';
  const view: OrderView = {
    id: publicOrderId(channel, externalId),
    tenantId,
    channel,
    externalId,
    status: 'received',
    allocations: [],
    labels: [],
    timeline: [{ at: input.receivedAt, status: 'received', note: `via ${input.origin}` }],
    ...(input.exchangeFor ? { exchangeFor: input.exchangeFor } : {}),
  };
  // Every channel's candidate passes the same rules; a refusal is answered below, once handlers are set.
  const validation = validateIncomingOrder(input.candidate, {
    currency: policy.currency,
    shipsTo: policy.shipsTo,
  });
  const order: CanonicalOrder | undefined = validation.ok ? validation.order : undefined;
  view.order = order;
  let cancelRequest: CancelRequest | undefined;
  let cancelled = false;
  let paid = input.candidate.paymentStatus !== 'pending';
  let editing = false;
  let shippingStarted = false;
  let trackingVersion = 0;

  setHandler(getOrderQuery, () => view);
  // The intake sets these at start; a workflow started any other way sets them itself.
  if (workflowInfo().typedSearchAttributes.get(SA_ORDER_ID) === undefined) {
    upsertSearchAttributes([
      { key: SA_TENANT, value: tenantId },
      { key: SA_CHANNEL, value: channel },
      { key: SA_ORDER_ID, value: view.id },
      { key: SA_STATUS, value: view.status },
    ]);
  }

  const { moveTo, note } = progressOf(view);
  const events = announcerOf(core.recordEvent, orderKey, tenantId, () => ({
    orderId: view.id,
    status: view.status,
  }));
  const announce = events.announce;

  async function finish(): Promise<OrderView> {
    await events.settled();
    return view;
  }

  const pickedUpCount = () =>
    (view.labels ?? []).filter((l) => l.tracking && isPickedUp(l.tracking.status)).length;

  setHandler(channelOrderUpdatedSignal, (update) => {
    if (update.paymentStatus === 'paid' && !paid) {
      paid = true;
      note('payment confirmed by the channel');
    }
    const address = update.shippingAddress && addressSchema.safeParse(update.shippingAddress);
    if (!order || !address?.success || sameAddress(order.shippingAddress, address.data)) return;
    // An address changed on the channel applies while no label is bought; later, ops must act.
    if (!shippingStarted && EDITABLE_ORDER_STATUSES.includes(view.status)) {
      order.shippingAddress = address.data;
      note('shipping address changed on the channel');
    } else {
      note('the channel changed the shipping address after labels were bought; not applied');
    }
  });

  // A scan can arrive before its label is recorded here; the latest per tracking code is kept.
  const latestTracking = new Map<string, TrackingUpdate>();
  function applyTracking(label: OrderLabel): void {
    const update = latestTracking.get(label.trackingCode);
    if (!update || label.voided) return;
    if (label.tracking && Date.parse(label.tracking.at) > Date.parse(update.at)) return; // older news
    label.tracking = {
      status: update.status,
      at: update.at,
      ...(update.detail ? { detail: update.detail } : {}),
    };
    trackingVersion += 1;
  }
  setHandler(trackingSignal, (update: TrackingUpdate) => {
    const known = latestTracking.get(update.trackingCode);
    if (known && Date.parse(known.at) > Date.parse(update.at)) return;
    latestTracking.set(update.trackingCode, update);
    const label = view.labels?.find((l) => l.trackingCode === update.trackingCode);
    if (label) applyTracking(label);
  });

  setHandler(
    cancelOrderUpdate,
    async (request) => {
      cancelRequest = request;
      await condition(() => cancelled || isTerminal(view.status));
      if (!cancelled)
        throw ApplicationFailure.nonRetryable(
          `order ${view.id} ended ${view.status} before the cancel applied`,
        );
      return view;
    },
    {
      validator: (request: CancelRequest) => {
        if (!request?.reason) throw new Error('a cancellation needs a reason');
        if (cancelRequest) throw new Error(`order ${view.id} is already being cancelled`);
        if (!CANCELLABLE_ORDER_STATUSES.includes(view.status) || pickedUpCount() > 0) {
          throw new Error(
            `order ${view.id} is ${view.status} and has left the warehouse; it can no longer be cancelled (start a return instead)`,
          );
        }
        checkArgument(cancelRequestSchema, request, 'cancellation');
      },
    },
  );

  setHandler(
    editOrderUpdate,
    async (request) => {
      editing = true;
      try {
        const current = order!;
        if (request.lines) {
          const lines = request.lines.map((line) => {
            const previous = current.lines.find((l) => l.sku === line.sku);
            return orderLineSchema.parse({ ...previous, ...line });
          });
          const stock = await core.replaceReservedStock({
            tenantId,
            orderKey,
            lines: lines.map(({ sku, quantity }) => ({ sku, quantity })),
            destination: request.shippingAddress ?? current.shippingAddress,
            strategy: policy.routing,
          });
          current.lines = lines;
          view.allocations = stock.allocations;
          view.routing = stock.routing;
        }
        if (request.shippingAddress) current.shippingAddress = addressSchema.parse(request.shippingAddress);
        view.totals = { ...orderTotals(current), currency: current.currency };
        note(
          `edited: ${[request.lines ? 'lines' : '', request.shippingAddress ? 'shipping address' : ''].filter(Boolean).join(' and ')}`,
        );
        return view;
      } catch (error) {
        throw updateRefused(error, 'EditRefused', asRejection);
      } finally {
        editing = false;
      }
    },
    {
      validator: (request: EditRequest) => {
        if (!order || shippingStarted || cancelRequest || !EDITABLE_ORDER_STATUSES.includes(view.status)) {
          throw new Error(
            `order ${view.id} is ${view.status}; edits are possible only until labels are bought`,
          );
        }
        if (editing) throw new Error(`order ${view.id} has an edit in progress; retry when it has applied`);
        // Shapes, as the API checks them (at least one of lines and address, each line and the address valid).
        checkArgument(editRequestSchema, request, 'edit');
        if (request.lines) {
          if (new Set(request.lines.map((l) => l.sku)).size !== request.lines.length)
            throw new Error('lines: duplicate SKU');
          const added = request.lines.filter(
            (l) => !l.unitPrice && !order.lines.some((o) => o.sku === l.sku),
          );
          if (added.length > 0)
            throw new Error(
              `lines: ${added.map((l) => l.sku).join(', ')} are new to this order and need a unitPrice`,
            );
        }
      },
    },
  );

  // 1. Validation.
  if (!order) {
    const refusal = validation as Extract<OrderValidation, { ok: false }>;
    return reject(refusal.type, refusal.reasons);
  }
  view.totals = { ...orderTotals(order), currency: order.currency };
  announce('order.created', { totals: view.totals });

  // 2. Stock: routed and reserved atomically.
  try {
    const stock = await core.reserveRoutedStock({
      tenantId,
      orderKey,
      lines: order.lines.map(({ sku, quantity }) => ({ sku, quantity })),
      destination: order.shippingAddress,
      strategy: policy.routing,
    });
    view.allocations = stock.allocations;
    view.routing = stock.routing;
  } catch (error) {
    const rejection = asRejection(error);
    if (!rejection) throw error;
    return reject(rejection.type, rejection.reasons);
  }
  moveTo('stock_reserved', `${view.routing?.reason}: ${describeAllocations(view.allocations)}`);

  // 3. Payment (channels that take it later) and the edit window.
  if (!paid) {
    moveTo('awaiting_payment', `stock held for ${policy.paymentTimeoutMinutes} minutes until payment`);
    const settled = await condition(
      () => paid || cancelRequest !== undefined,
      policy.paymentTimeoutMinutes * 60_000,
    );
    if (!settled) {
      await core.releaseStock({ tenantId, orderKey });
      moveTo('expired', `no payment within ${policy.paymentTimeoutMinutes} minutes; stock released`);
      announce('order.cancelled', { reason: 'payment not received in time' });
      return finish();
    }
    if (paid && !cancelRequest) moveTo('stock_reserved', 'paid');
  }
  if (policy.editWindowSeconds > 0 && !cancelRequest) {
    await condition(() => cancelRequest !== undefined, policy.editWindowSeconds * 1000);
  }
  await condition(() => !editing);
  if (cancelRequest) return cancelOrder(cancelRequest);
  shippingStarted = true;

  // 4. Labels: every parcel quoted by every carrier, the cheapest eligible rate bought.
  try {
    for (const [locationId, lines] of groupByLocation(view.allocations)) {
      if (cancelRequest) break;
      const label = await shipParcel(order, locationId, lines);
      view.labels!.push(label);
      applyTracking(label);
    }
  } catch (error) {
    const rejection = asRejection(error);
    await compensate();
    if (rejection) return reject(rejection.type, rejection.reasons, true);
    moveTo('failed', failureMessage(error));
    throw ApplicationFailure.create({
      message: `order ${view.id} failed: ${failureMessage(error)}`,
      type: 'OrderFailed',
      nonRetryable: true,
      cause: error as Error,
    });
  }
  if (cancelRequest) return cancelOrder(cancelRequest);
  moveTo(
    'label_purchased',
    view.labels!.map((l) => `${l.carrier} ${l.trackingCode} from ${l.locationId}`).join(', '),
  );

  // 5. Carrier scans until every parcel is delivered; silence for N days is an exception.
  const fulfilled = new Set<string>();
  let seen = 0;
  let announcedShipped = false;
  for (;;) {
    const moved = await condition(
      () => trackingVersion !== seen || (cancelRequest !== undefined && pickedUpCount() === 0),
      policy.stuckAfterDays * DAY_MS,
    );
    if (cancelRequest && pickedUpCount() === 0 && !cancelled) return cancelOrder(cancelRequest);
    if (!moved) {
      if (view.status !== 'exception') {
        view.exception = {
          reason: `no carrier movement for ${policy.stuckAfterDays} days`,
          since: new Date().toISOString(),
        };
        moveTo('exception', view.exception.reason);
        announce('order.exception', { reason: view.exception.reason });
      }
      continue;
    }
    seen = trackingVersion;
    const labels = view.labels!;
    const allPickedUp = labels.every((l) => l.tracking && isPickedUp(l.tracking.status));
    // Each parcel that left: its stock leaves the books and the channel hears its tracking number;
    // when the last one left, the invoice goes to accounting. These are independent: run together.
    const leaving = labels.filter(
      (l) => l.tracking && isPickedUp(l.tracking.status) && !fulfilled.has(l.locationId),
    );
    leaving.forEach((label) => fulfilled.add(label.locationId));
    await Promise.all([
      ...leaving.map((label) =>
        Promise.all([
          core.fulfilLocationStock({ tenantId, orderKey, locationId: label.locationId }),
          tellChannel(order, label),
        ]),
      ),
      allPickedUp && !view.accounting ? postToAccounting(order) : undefined,
    ]);
    const trouble = labels.find((l) => l.tracking && isTrackingException(l.tracking.status));
    if (trouble) {
      if (view.status !== 'exception') {
        view.exception = {
          reason: `carrier reports ${trouble.tracking!.status} for ${trouble.trackingCode}`,
          since: trouble.tracking!.at,
        };
        moveTo('exception', view.exception.reason);
        announce('order.exception', { reason: view.exception.reason });
      }
      continue;
    }
    const allDelivered = labels.every((l) => l.tracking?.status === 'delivered');
    if (allPickedUp && !announcedShipped) {
      view.exception = undefined;
      moveTo('shipped', labels.map((l) => l.trackingCode).join(', '));
      announce('order.shipped', {
        labels: labels.map(({ carrier, trackingCode }) => ({ carrier, trackingCode })),
      });
      announcedShipped = true;
    } else if (view.status === 'exception') {
      view.exception = undefined;
      moveTo(announcedShipped ? 'shipped' : 'label_purchased', 'carrier movement resumed');
    }
    if (allDelivered) {
      moveTo('delivered');
      announce('order.delivered');
      return finish();
    }
  }

  async function shipParcel(
    current: CanonicalOrder,
    locationId: string,
    lines: Array<{ sku: string; quantity: number }>,
  ): Promise<OrderLabel> {
    const key = `${shipmentKey(tenantId, current.channel, current.externalId)}:${locationId}`;
    const settled = await Promise.allSettled(
      policy.carriers.map((connectorId) =>
        partners.carrier(connectorId).quoteParcel({
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
      note(`a carrier could not quote: ${failureMessage(failed.reason)}`);
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
    const carrier = partners.carrier(choice.connectorId);
    const label = await carrier.buyLabel({
      tenantId,
      orderKey,
      shipmentKey: key,
      locationId,
      connectorId: choice.connectorId,
      carrierShipmentId: choice.carrierShipmentId,
      rateId: choice.rate.id,
      service: current.shippingService,
    });
    const labelKey = await partners.carrier(label.connectorId).archiveLabel({
      tenantId,
      shipmentKey: key,
      connectorId: label.connectorId,
    });
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
  async function tellChannel(current: CanonicalOrder, label: OrderLabel): Promise<void> {
    if (!policy.channelConnectorId || current.channel !== 'shopify') return;
    const allocated = view.allocations.filter((a) => a.locationId === label.locationId);
    const lines = allocated
      .map((a) => ({
        channelLineId: current.lines.find((l) => l.sku === a.sku)?.channelLineId,
        quantity: a.quantity,
      }))
      .filter((l): l is { channelLineId: string; quantity: number } => Boolean(l.channelLineId));
    try {
      const id = await partners.marketplace(policy.channelConnectorId).pushChannelFulfilment({
        tenantId,
        connectorId: policy.channelConnectorId,
        externalId: current.externalId,
        shipmentKey: label.shipmentKey!,
        trackingNumber: label.trackingCode,
        trackingCompany: label.carrier,
        lines,
      });
      view.channelFulfilmentIds = [...(view.channelFulfilmentIds ?? []), id];
    } catch (error) {
      note(`the channel refused the fulfilment of ${label.trackingCode}: ${failureMessage(error)}`);
    }
  }

  async function postToAccounting(current: CanonicalOrder): Promise<void> {
    if (!policy.accountingConnectorId) return;
    try {
      const posted = await partners.accounting(policy.accountingConnectorId).postOrderToAccounting({
        tenantId,
        connectorId: policy.accountingConnectorId,
        invoice: invoiceFromOrder(orderKey, view.id, current, new Date().toISOString()),
      });
      view.accounting = { ...posted, connectorId: policy.accountingConnectorId };
    } catch (error) {
      note(`accounting refused the invoice: ${failureMessage(error)}`);
    }
  }

  /** Compensation in reverse: labels voided, stock given back. */
  async function compensate(): Promise<void> {
    for (const label of [...(view.labels ?? [])].reverse()) {
      if (label.voided || !label.connectorId || !label.shipmentKey) continue;
      await partners.carrier(label.connectorId).voidLabel({ tenantId, shipmentKey: label.shipmentKey });
      label.voided = true;
    }
    await core.releaseStock({ tenantId, orderKey });
  }

  async function cancelOrder(request: CancelRequest): Promise<OrderView> {
    await compensate();
    const current = order!;
    let refunded: string | undefined;
    if (request.origin !== 'channel' && policy.channelConnectorId && current.channel === 'shopify') {
      await partners.marketplace(policy.channelConnectorId).refundOnChannel({
        tenantId,
        connectorId: policy.channelConnectorId,
        externalId: current.externalId,
        orderKey,
        amount: orderTotals(current).total,
        currency: current.currency,
      });
      refunded = orderTotals(current).total;
    }
    view.cancellation = { reason: request.reason, origin: request.origin, ...(refunded ? { refunded } : {}) };
    cancelled = true;
    moveTo('cancelled', request.reason);
    announce('order.cancelled', { reason: request.reason, origin: request.origin });
    return finish();
  }

  async function reject(type: string, reasons: string[], alreadyCompensated = false): Promise<OrderView> {
    if (!alreadyCompensated && view.allocations.length > 0) await core.releaseStock({ tenantId, orderKey });
    view.rejection = { type, reasons };
    moveTo('rejected', `${type}: ${reasons.join('; ')}`);
    announce('order.rejected', { rejection: view.rejection });
    log.info('order rejected', { orderKey, type });
    return finish();
  }
}

function sameAddress(a: Address, b: Address): boolean {
  const keys = ['name', 'line1', 'line2', 'city', 'region', 'postalCode', 'country'] as const;
  return keys.every((key) => (a[key] ?? '') === (b[key] ?? ''));
}
