import {
  approveReturnSchema,
  receiveReturnSchema,
  approveReturnUpdate,
  getReturnQuery,
  receiveReturnUpdate,
  rejectReturnUpdate,
  returnRegisteredUpdate,
  type ApproveReturnRequest,
  type ReceiveReturnRequest,
  type RejectReturnRequest,
  type ReturnLifecycleInput,
} from './contract';
import { checkArgument, reasonSchema } from '../shared/contract';
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  ParentClosePolicy,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { creditNoteFromRefund } from '../../domain/accounting/credit-note';
import { publicOrderId } from '../../domain/orders/ids';
import { orderWorkflowId } from '../orders/contract';
import { trackingSignal } from '../shared/contract';
import { isPickedUp, type TrackingUpdate } from '../../domain/orders/tracking';
import { exchangeValueMinor, refundAfterExchange, replacementOrder } from '../../domain/returns/exchange';
import { deliveredOrderOf } from '../../domain/returns/policy';
import {
  RECEIVABLE_RETURN_STATUSES,
  RETURN_CONDITIONS,
  TERMINAL_RETURN_STATUSES,
  returnShipmentKey,
  type ReturnView,
} from '../../domain/returns/return';
import { SA_ORDER_ID, SA_RMA_ID, SA_STATUS, SA_TENANT } from '../../domain/search-attributes';
import { fromMinorUnits } from '../../domain/shared/money';
import type { orderLifecycle } from '../orders/order-lifecycle';
import { failureMessage } from '../shared/failures';
import { localSteps as core, partners } from '../shared/activities';
import { announcerOf, progressOf } from '../shared/progress';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * One return (RMA) of a delivered order, from request to money back:
 *
 *   requested → approved (by policy, or Update `approveReturn` before a deadline) → label issued
 *   → in_transit (carrier scans) → received (Update `receiveReturn`: restock or write off)
 *   → refunded (channel refund and credit note, once each) | closed (nothing to pay back)
 *
 * An ineligible or refused request ends `rejected`; no decision or no scan in time ends
 * `expired`, giving back the units it held and voiding its label. An exchange starts a
 * replacement order, linked both ways, on approval or on receipt as the policy says.
 */
export async function returnLifecycle(input: ReturnLifecycleInput): Promise<ReturnView> {
  const { tenantId, rmaId, policy } = input;
  const returnKey = workflowInfo().workflowId;
  const delivered = deliveredOrderOf(input.order, input.deliveredAt);
  const view: ReturnView = {
    id: rmaId,
    tenantId,
    orderId: input.orderId,
    status: 'requested',
    origin: input.origin,
    lines: input.lines,
    customerAddress: input.order.shippingAddress,
    timeline: [{ at: input.requestedAt, status: 'requested', note: `via ${input.origin}` }],
    ...(input.exchange
      ? {
          exchange: {
            ...input.exchange,
            value: fromMinorUnits(exchangeValueMinor(input.exchange.lines)),
          },
        }
      : {}),
  };
  const { moveTo, note } = progressOf(view);
  const events = announcerOf(core.recordEvent, returnKey, tenantId, () => ({
    rmaId,
    orderId: input.orderId,
    status: view.status,
  }));
  let registered = false;
  let decision: { approved: true; note?: string } | { approved: false; reason: string } | undefined;
  let receiving = false;
  let labelled = false;
  let scans = 0;

  setHandler(getReturnQuery, () => view);
  if (workflowInfo().typedSearchAttributes.get(SA_RMA_ID) === undefined) {
    upsertSearchAttributes([
      { key: SA_TENANT, value: tenantId },
      { key: SA_ORDER_ID, value: input.orderId },
      { key: SA_RMA_ID, value: rmaId },
      { key: SA_STATUS, value: view.status },
    ]);
  }

  setHandler(returnRegisteredUpdate, async () => {
    await condition(() => registered);
    return view;
  });

  const awaitingDecision = (): void => {
    if (!registered || view.status !== 'requested' || decision)
      throw new Error(`return ${rmaId} is ${view.status}; only a requested return awaits a decision`);
  };
  setHandler(
    approveReturnUpdate,
    async (request) => {
      decision = { approved: true, note: request?.note };
      // Answers with the label, which is what the person approving hands the customer.
      await condition(() => labelled || TERMINAL_RETURN_STATUSES.includes(view.status));
      return view;
    },
    {
      validator: (request: ApproveReturnRequest) => {
        awaitingDecision();
        checkArgument(approveReturnSchema, request, 'approval');
      },
    },
  );
  setHandler(
    rejectReturnUpdate,
    async (request) => {
      decision = { approved: false, reason: request.reason };
      await condition(() => TERMINAL_RETURN_STATUSES.includes(view.status));
      return view;
    },
    {
      validator: (request: RejectReturnRequest) => {
        if (!request?.reason) throw new Error('a rejection needs a reason');
        awaitingDecision();
        checkArgument(reasonSchema, request, 'rejection');
      },
    },
  );

  // A scan can arrive before the label's purchase has answered here: the latest per code is kept.
  const latestScan = new Map<string, TrackingUpdate>();
  function applyScan(): void {
    const label = view.label;
    const update = label && latestScan.get(label.trackingCode);
    if (!label || !update) return;
    if (label.tracking && Date.parse(label.tracking.at) > Date.parse(update.at)) return; // older news
    label.tracking = {
      status: update.status,
      at: update.at,
      ...(update.detail ? { detail: update.detail } : {}),
    };
    if (isPickedUp(update.status)) scans += 1;
  }
  setHandler(trackingSignal, (update: TrackingUpdate) => {
    const known = latestScan.get(update.trackingCode);
    if (known && Date.parse(known.at) > Date.parse(update.at)) return;
    latestScan.set(update.trackingCode, update);
    applyScan();
  });

  setHandler(
    receiveReturnUpdate,
    async (request) => {
      receiving = true;
      try {
        const locationId = request.locationId ?? policy.receivingLocationId;
        await core.receiveReturnedGoods({ tenantId, rmaId, locationId, lines: request.lines });
        view.receipt = { locationId, lines: request.lines, at: new Date().toISOString() };
        moveTo('received', describeReceipt(request));
        events.announce('return.received', { receipt: view.receipt });
        return view;
      } catch (error) {
        throw ApplicationFailure.nonRetryable(failureMessage(error), 'ReceiptRefused');
      } finally {
        receiving = false;
      }
    },
    {
      validator: (request: ReceiveReturnRequest) => {
        validateReceipt(view, request, receiving);
        checkArgument(receiveReturnSchema, request, 'receipt');
      },
    },
  );

  // 1. Eligibility, checked and claimed under the order's lock.
  const eligibility = await core.registerReturn({
    tenantId,
    rmaId,
    orderKey: input.orderKey,
    orderId: input.orderId,
    origin: input.origin,
    order: delivered,
    lines: input.lines,
    now: new Date().toISOString(),
    policy: policy.rules,
  });
  registered = true;
  if (!eligibility.ok) {
    view.rejection = { type: 'Ineligible', reasons: eligibility.reasons };
    moveTo('rejected', eligibility.reasons.join('; '));
    events.announce('return.rejected', { rejection: view.rejection });
    return finish();
  }
  events.announce('return.requested', { lines: view.lines });

  // 2. Authorisation: by policy, or a person's decision before the deadline.
  if (policy.approval === 'manual') {
    note(`awaiting a decision within ${policy.approvalDeadlineHours} hours`);
    const decided = await condition(() => decision !== undefined, policy.approvalDeadlineHours * HOUR_MS);
    if (!decided) return expire(`no decision within ${policy.approvalDeadlineHours} hours`);
  } else {
    decision = { approved: true, note: 'approved by policy' };
  }
  if (!decision!.approved) {
    await core.voidReturn({ tenantId, rmaId });
    view.rejection = { type: 'Refused', reasons: [decision!.reason] };
    moveTo('rejected', decision!.reason);
    events.announce('return.rejected', { rejection: view.rejection });
    return finish();
  }
  moveTo('approved', decision!.note);
  if (input.exchange?.ships === 'immediately') await startReplacement();

  // 3. The return label, kept in our storage and sent to subscribers.
  if (policy.carrierConnectorId) {
    const carrier = partners.carrier(policy.carrierConnectorId);
    const shipmentKey = returnShipmentKey(tenantId, rmaId);
    const label = await carrier.buyReturnLabel({
      tenantId,
      returnKey,
      shipmentKey,
      connectorId: policy.carrierConnectorId,
      locationId: policy.receivingLocationId,
      customer: input.order.shippingAddress,
      lines: input.lines.map(({ sku, quantity }) => ({ sku, quantity })),
    });
    const labelKey = await carrier.archiveLabel({ tenantId, shipmentKey, connectorId: label.connectorId });
    view.label = {
      carrier: label.carrier,
      connectorId: label.connectorId,
      trackingCode: label.trackingCode,
      shipmentKey,
      labelKey,
      labelUrl: label.labelUrl,
    };
    note(`return label ${label.carrier} ${label.trackingCode}`);
    applyScan();
  }
  labelled = true;
  events.announce('return.approved', {
    lines: view.lines,
    ...(view.label
      ? {
          label: {
            carrier: view.label.carrier,
            trackingCode: view.label.trackingCode,
            labelUrl: view.label.labelUrl,
            labelKey: view.label.labelKey,
          },
        }
      : {}),
  });

  // 4. The goods on their way back: the first scan, or the receipt, within the timeout.
  const moving = await condition(
    () => scans > 0 || receiving || view.receipt !== undefined,
    policy.scanTimeoutDays * DAY_MS,
  );
  if (!moving) return expire(`no carrier scan within ${policy.scanTimeoutDays} days of the label`);
  if (scans > 0 && view.status === 'approved')
    moveTo('in_transit', `picked up (${view.label?.trackingCode})`);
  await condition(() => view.receipt !== undefined);
  if (input.exchange?.ships === 'on_receipt') await startReplacement();

  // 5. Refund, from what was received: through the channel, and as a credit in the books.
  const breakdown = await core.settleReturnRefund({
    tenantId,
    rmaId,
    order: delivered,
    policy: policy.rules,
  });
  const refund = { ...breakdown, ...refundAfterExchange(breakdown, input.exchange?.lines ?? []) };
  view.refund = refund;
  try {
    if (policy.channelConnectorId && input.order.channel === 'shopify' && refund.total !== '0.00') {
      view.refund.channelRefundId = await partners
        .marketplace(policy.channelConnectorId)
        .refundReturnOnChannel({
          tenantId,
          connectorId: policy.channelConnectorId,
          externalId: input.order.externalId,
          rmaId,
          note: `return ${rmaId}`,
          lines: refund.lines
            .map((line) => ({
              channelLineId: input.order.lines.find((l) => l.sku === line.sku)?.channelLineId,
              quantity: line.quantity,
            }))
            .filter((l): l is { channelLineId: string; quantity: number } => Boolean(l.channelLineId)),
          shipping: refund.shipping,
          amount: refund.paid,
        });
    }
    if (policy.accountingConnectorId && refund.total !== '0.00') {
      view.refund.creditNoteId = await partners.accounting(policy.accountingConnectorId).postCreditNote({
        tenantId,
        connectorId: policy.accountingConnectorId,
        note: creditNoteFromRefund(
          returnKey,
          rmaId,
          input.orderId,
          {
            name: input.order.customer?.name ?? input.order.shippingAddress.name,
            email: input.order.customer?.email,
          },
          refund,
          new Date().toISOString(),
        ),
      });
    }
  } catch (error) {
    moveTo('failed', `the refund could not be completed: ${failureMessage(error)}`);
    await finish();
    throw ApplicationFailure.create({
      message: `return ${rmaId} failed: ${failureMessage(error)}`,
      type: 'ReturnFailed',
      nonRetryable: true,
      cause: error as Error,
    });
  }
  const settled = refund.total === '0.00' ? 'closed' : 'refunded';
  await core.closeReturn({ tenantId, rmaId, status: settled });
  if (settled === 'closed') {
    moveTo('closed', 'nothing to refund for what was received');
  } else {
    moveTo('refunded', `${refund.paid} ${refund.currency} back to the customer`);
    events.announce('return.refunded', { refund });
  }
  return finish();

  async function finish(): Promise<ReturnView> {
    await events.settled();
    await condition(allHandlersFinished);
    return view;
  }

  /** Gives back what the return held: its claim on the order's units, and its unused label. */
  async function expire(reason: string): Promise<ReturnView> {
    if (view.label && !view.label.voided) {
      await partners
        .carrier(view.label.connectorId)
        .voidLabel({ tenantId, shipmentKey: view.label.shipmentKey });
      view.label.voided = true;
    }
    await core.voidReturn({ tenantId, rmaId });
    moveTo('expired', reason);
    events.announce('return.expired', {
      reason,
      ...(view.exchange?.orderId ? { replacementOrderId: view.exchange.orderId } : {}),
    });
    return finish();
  }

  /** The exchange's replacement order: its own workflow, which outlives this one. */
  async function startReplacement(): Promise<void> {
    if (!input.exchange || !view.exchange || view.exchange.orderId) return;
    const candidate = replacementOrder(input.order, rmaId, input.exchange.lines);
    const orderId = publicOrderId('rest', candidate.externalId);
    await startChild<typeof orderLifecycle>('orderLifecycle', {
      workflowId: orderWorkflowId(tenantId, 'rest', candidate.externalId),
      taskQueue: workflowInfo().taskQueue,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        {
          tenantId,
          candidate,
          policy: policy.orderPolicy,
          receivedAt: new Date().toISOString(),
          origin: 'exchange',
          exchangeFor: { rmaId, orderId: input.orderId },
        },
      ],
    });
    view.exchange.orderId = orderId;
    note(`replacement order ${orderId} started`);
  }
}

function describeReceipt(request: ReceiveReturnRequest): string {
  return request.lines.map((l) => `${l.quantity} × ${l.sku} ${l.condition}`).join(', ');
}

/** A receipt names only this return's SKUs, each once, never more units than were requested. */
function validateReceipt(view: ReturnView, request: ReceiveReturnRequest, receiving: boolean): void {
  if (!RECEIVABLE_RETURN_STATUSES.includes(view.status))
    throw new Error(
      `return ${view.id} is ${view.status}; goods are received only while it is approved or in transit`,
    );
  if (receiving) throw new Error(`return ${view.id} has a receipt in progress`);
  if (!request?.lines?.length) throw new Error('a receipt needs at least one line');
  const seen = new Set<string>();
  for (const line of request.lines) {
    const requested = view.lines.find((l) => l.sku === line.sku);
    if (!requested) throw new Error(`lines: ${line.sku} is not part of return ${view.id}`);
    if (seen.has(line.sku)) throw new Error(`lines: ${line.sku} is listed twice`);
    seen.add(line.sku);
    if (!Number.isInteger(line.quantity) || line.quantity < 0 || line.quantity > requested.quantity)
      throw new Error(`lines: ${line.sku} quantity must be a whole number from 0 to ${requested.quantity}`);
    if (!(RETURN_CONDITIONS as readonly string[]).includes(line.condition))
      throw new Error(`lines: ${line.sku} condition must be one of ${RETURN_CONDITIONS.join(', ')}`);
  }
}
