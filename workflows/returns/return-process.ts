import { orderDetails, orderFactsOf, orderSummary } from '../../domain/orders/describe';
import { returnCurrentDetails, returnNeedsAttention } from '../../domain/returns/describe';
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  ParentClosePolicy,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributePair } from '@temporalio/common';
import { creditNoteFromRefund } from '../../domain/accounting/credit-note';
import { publicOrderId } from '../../domain/orders/ids';
import { isPickedUp, LatestTracking, type TrackingUpdate } from '../../domain/orders/tracking';
import { exchangeValueMinor, refundAfterExchange, replacementOrder } from '../../domain/returns/exchange';
import {
  decisionRefusal,
  receiptLinesRefusal,
  receiptRefusal,
  type ReturnActivity,
} from '../../domain/returns/guards';
import { deliveredOrderOf, type DeliveredOrder } from '../../domain/returns/policy';
import { TERMINAL_RETURN_STATUSES, returnShipmentKey, type ReturnView } from '../../domain/returns/return';
import {
  SA_CONNECTOR,
  SA_NEEDS_ATTENTION,
  SA_WAITING_SINCE,
  searchIdentity,
} from '../../domain/search-attributes';
import { fromMinorUnits } from '../../domain/shared/money';
import { orderWorkflowId, type OrderLifecycleWorkflow } from '../orders/contract';
import { localSteps as core, partners } from '../shared/activities';
import { checkArgument } from '../shared/contract';
import { checkReasoned, failureMessage, refuseIf } from '../shared/failures';
import { announcerOf, progressOf, refreshAttributes, type OpsView } from '../shared/progress';
import {
  approveReturnSchema,
  receiveReturnSchema,
  type ApproveReturnRequest,
  type ReceiveReturnRequest,
  type RejectReturnRequest,
  type ReturnLifecycleInput,
} from './contract';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

type Decision = { approved: true; note?: string } | { approved: false; reason: string };

/**
 * The state and steps of one return (the workflow `returnLifecycle` wires its Updates, Signal and
 * Query to these methods). `run` is the return from request to money back; each `check…` method
 * is an Update's validator, each other public method a handler. Whether a request is allowed at
 * all is a `domain/returns/guards.ts` rule; the process keeps what the guards read.
 */
export class ReturnProcess {
  readonly view: ReturnView;
  /** The order as delivered, which eligibility and the refund are reckoned from. */
  private readonly delivered: DeliveredOrder;
  private readonly moveTo: ReturnType<typeof progressOf>['moveTo'];
  private readonly note: ReturnType<typeof progressOf>['note'];
  private readonly ops: OpsView = {
    details: () =>
      returnCurrentDetails(
        this.view,
        { ...this.policy, awaitingDecision: this.awaitingDecision },
        new Date().toISOString(),
      ),
    attributes: () => [
      {
        key: SA_NEEDS_ATTENTION,
        value: returnNeedsAttention(this.view, { awaitingDecision: this.awaitingDecision }),
      },
      { key: SA_CONNECTOR, value: this.view.label?.connectorId ?? null },
      { key: SA_WAITING_SINCE, value: new Date() },
    ],
  };
  /** Manual approval: a person's decision is awaited. */
  private awaitingDecision = false;
  private readonly events: ReturnType<typeof announcerOf>;
  private registered = false;
  private decision: Decision | undefined;
  private receiving = false;
  private labelled = false;
  /** Scans of the return parcel moving; the first one puts it in transit. */
  private scans = 0;
  /** A scan can arrive before the label's purchase has answered here: the latest per code is kept. */
  private readonly latestScan = new LatestTracking();

  constructor(
    private readonly input: ReturnLifecycleInput,
    private readonly returnKey: string,
  ) {
    this.delivered = deliveredOrderOf(input.order, input.deliveredAt);
    this.view = {
      id: input.rmaId,
      tenantId: input.tenantId,
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
    ({ moveTo: this.moveTo, note: this.note } = progressOf(this.view, this.ops));
    this.events = announcerOf(core.recordEvent, returnKey, input.tenantId, () => ({
      rmaId: input.rmaId,
      orderId: input.orderId,
      status: this.view.status,
    }));
  }

  private get tenantId(): string {
    return this.input.tenantId;
  }

  private get rmaId(): string {
    return this.input.rmaId;
  }

  private get policy(): ReturnLifecycleInput['policy'] {
    return this.input.policy;
  }

  /** What the guards read: the status and the requests taken but not finished. */
  private get activity(): ReturnActivity {
    return {
      id: this.rmaId,
      status: this.view.status,
      registered: this.registered,
      decided: this.decision !== undefined,
      receiving: this.receiving,
    };
  }

  /** Tenant, order, RMA and status: what finds the return (set once, see `openProcess`). */
  identityAttributes(): SearchAttributePair[] {
    return searchIdentity('return', this.view);
  }

  // ── Updates, Signal: validators (check…) and handlers ────────────────────────────────────────

  /** Answers once the return is admitted or refused, so the caller learns which. */
  async registeredAnswer(): Promise<ReturnView> {
    await condition(() => this.registered);
    return this.view;
  }

  checkApprove(request: ApproveReturnRequest): void {
    refuseIf(decisionRefusal(this.activity));
    checkArgument(approveReturnSchema, request, 'approval');
  }

  async approve(request: ApproveReturnRequest): Promise<ReturnView> {
    this.decision = { approved: true, note: request?.note };
    // Answers with the label, which is what the person approving hands the customer.
    await condition(() => this.labelled || TERMINAL_RETURN_STATUSES.includes(this.view.status));
    return this.view;
  }

  checkReject(request: RejectReturnRequest): void {
    checkReasoned(request, 'rejection', decisionRefusal(this.activity));
  }

  async reject(request: RejectReturnRequest): Promise<ReturnView> {
    this.decision = { approved: false, reason: request.reason };
    await condition(() => TERMINAL_RETURN_STATUSES.includes(this.view.status));
    return this.view;
  }

  tracking(update: TrackingUpdate): void {
    if (this.latestScan.keep(update)) this.applyScan();
  }

  private applyScan(): void {
    const update = this.view.label && this.latestScan.applyTo(this.view.label);
    if (update && isPickedUp(update.status)) this.scans += 1;
  }

  /** A receipt names only this return's SKUs, each once, never more units than were requested. */
  checkReceive(request: ReceiveReturnRequest): void {
    refuseIf(receiptRefusal(this.activity));
    refuseIf(receiptLinesRefusal(this.rmaId, this.view.lines, request?.lines));
    checkArgument(receiveReturnSchema, request, 'receipt');
  }

  async receive(request: ReceiveReturnRequest): Promise<ReturnView> {
    this.receiving = true;
    try {
      const locationId = request.locationId ?? this.policy.receivingLocationId;
      await core.receiveReturnedGoods({
        tenantId: this.tenantId,
        rmaId: this.rmaId,
        locationId,
        lines: request.lines,
      });
      this.view.receipt = { locationId, lines: request.lines, at: new Date().toISOString() };
      this.moveTo('received', request.lines.map((l) => `${l.quantity} × ${l.sku} ${l.condition}`).join(', '));
      this.events.announce('return.received', { receipt: this.view.receipt });
      return this.view;
    } catch (error) {
      throw ApplicationFailure.nonRetryable(failureMessage(error), 'ReceiptRefused');
    } finally {
      this.receiving = false;
    }
  }

  // ── The return, step by step ─────────────────────────────────────────────────────────────────

  async run(): Promise<ReturnView> {
    // 1. Eligibility, checked and claimed under the order's lock.
    const eligibility = await core.registerReturn({
      tenantId: this.tenantId,
      rmaId: this.rmaId,
      orderKey: this.input.orderKey,
      orderId: this.input.orderId,
      origin: this.input.origin,
      order: this.delivered,
      lines: this.input.lines,
      now: new Date().toISOString(),
      policy: this.policy.rules,
    });
    this.registered = true;
    if (!eligibility.ok)
      return this.refuse('Ineligible', eligibility.reasons, eligibility.reasons.join('; '));
    this.events.announce('return.requested', { lines: this.view.lines });

    // 2. Authorisation: by policy, or a person's decision before the deadline.
    const decision = await this.decide();
    if (!decision) return this.expire(`no decision within ${this.policy.approvalDeadlineHours} hours`);
    if (!decision.approved) {
      await core.voidReturn({ tenantId: this.tenantId, rmaId: this.rmaId });
      return this.refuse('Refused', [decision.reason], decision.reason);
    }
    this.moveTo('approved', decision.note);
    if (this.input.exchange?.ships === 'immediately') await this.startReplacement();

    // 3. The return label, kept in our storage and sent to subscribers.
    await this.issueLabel();

    // 4. The goods on their way back: the first scan, or the receipt, within the timeout.
    const moving = await condition(
      () => this.scans > 0 || this.receiving || this.view.receipt !== undefined,
      this.policy.scanTimeoutDays * DAY_MS,
      { summary: `first scan or receipt of return ${this.rmaId}` },
    );
    if (!moving)
      return this.expire(`no carrier scan within ${this.policy.scanTimeoutDays} days of the label`);
    if (this.scans > 0 && this.view.status === 'approved')
      this.moveTo('in_transit', `picked up (${this.view.label?.trackingCode})`);
    await condition(() => this.view.receipt !== undefined);
    if (this.input.exchange?.ships === 'on_receipt') await this.startReplacement();

    // 5. Refund, from what was received: through the channel, and as a credit in the books.
    return this.refund();
  }

  /** The decision: the policy's, or a person's within the deadline (undefined when none came). */
  private async decide(): Promise<Decision | undefined> {
    if (this.policy.approval === 'manual') {
      const hours = this.policy.approvalDeadlineHours;
      this.awaitingDecision = true;
      refreshAttributes(this.ops);
      this.note(`awaiting a decision within ${hours} hours`);
      const decided = await condition(() => this.decision !== undefined, hours * HOUR_MS, {
        summary: `approval deadline of return ${this.rmaId}`,
      });
      this.awaitingDecision = false;
      if (!decided) return undefined;
    } else {
      this.decision = { approved: true, note: 'approved by policy' };
    }
    return this.decision;
  }

  private async issueLabel(): Promise<void> {
    const connectorId = this.policy.carrierConnectorId;
    if (connectorId) {
      const carrier = partners.carrier(connectorId, {
        summary: `return label for ${this.rmaId} with ${connectorId}`,
      });
      const shipmentKey = returnShipmentKey(this.tenantId, this.rmaId);
      const label = await carrier.buyReturnLabel({
        tenantId: this.tenantId,
        returnKey: this.returnKey,
        shipmentKey,
        connectorId,
        locationId: this.policy.receivingLocationId,
        customer: this.input.order.shippingAddress,
        lines: this.input.lines.map(({ sku, quantity }) => ({ sku, quantity })),
      });
      const labelKey = await carrier.archiveLabel({
        tenantId: this.tenantId,
        shipmentKey,
        connectorId: label.connectorId,
      });
      this.view.label = {
        carrier: label.carrier,
        connectorId: label.connectorId,
        trackingCode: label.trackingCode,
        shipmentKey,
        labelKey,
        labelUrl: label.labelUrl,
      };
      this.note(`return label ${label.carrier} ${label.trackingCode}`);
      this.applyScan();
    }
    this.labelled = true;
    const issued = this.view.label;
    this.events.announce('return.approved', {
      lines: this.view.lines,
      ...(issued
        ? {
            label: {
              carrier: issued.carrier,
              trackingCode: issued.trackingCode,
              labelUrl: issued.labelUrl,
              labelKey: issued.labelKey,
            },
          }
        : {}),
    });
  }

  /** What was received, paid back through the channel and credited in the books, once each. */
  private async refund(): Promise<ReturnView> {
    const { input, policy, tenantId, rmaId } = this;
    const breakdown = await core.settleReturnRefund({
      tenantId,
      rmaId,
      order: this.delivered,
      policy: policy.rules,
    });
    const refund = { ...breakdown, ...refundAfterExchange(breakdown, input.exchange?.lines ?? []) };
    this.view.refund = refund;
    try {
      if (policy.channelConnectorId && input.order.channel === 'shopify' && refund.total !== '0.00') {
        this.view.refund.channelRefundId = await partners
          .marketplace(policy.channelConnectorId, {
            summary: `refund return ${rmaId} on ${policy.channelConnectorId}`,
          })
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
        this.view.refund.creditNoteId = await partners
          .accounting(policy.accountingConnectorId, {
            summary: `credit note for return ${rmaId} in ${policy.accountingConnectorId}`,
          })
          .postCreditNote({
            tenantId,
            connectorId: policy.accountingConnectorId,
            note: creditNoteFromRefund(
              this.returnKey,
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
      this.moveTo('failed', `the refund could not be completed: ${failureMessage(error)}`);
      await this.finish();
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
      this.moveTo('closed', 'nothing to refund for what was received');
    } else {
      this.moveTo('refunded', `${refund.paid} ${refund.currency} back to the customer`);
      this.events.announce('return.refunded', { refund });
    }
    return this.finish();
  }

  // ── Ends ─────────────────────────────────────────────────────────────────────────────────────

  private async refuse(type: 'Ineligible' | 'Refused', reasons: string[], note: string): Promise<ReturnView> {
    this.view.rejection = { type, reasons };
    this.moveTo('rejected', note);
    this.events.announce('return.rejected', { rejection: this.view.rejection });
    return this.finish();
  }

  /** Gives back what the return held: its claim on the order's units, and its unused label. */
  private async expire(reason: string): Promise<ReturnView> {
    const label = this.view.label;
    if (label && !label.voided) {
      await partners
        .carrier(label.connectorId)
        .voidLabel({ tenantId: this.tenantId, shipmentKey: label.shipmentKey });
      label.voided = true;
    }
    await core.voidReturn({ tenantId: this.tenantId, rmaId: this.rmaId });
    this.moveTo('expired', reason);
    this.events.announce('return.expired', {
      reason,
      ...(this.view.exchange?.orderId ? { replacementOrderId: this.view.exchange.orderId } : {}),
    });
    return this.finish();
  }

  /** The exchange's replacement order: its own workflow, which outlives this one. */
  private async startReplacement(): Promise<void> {
    const { input, tenantId, rmaId } = this;
    if (!input.exchange || !this.view.exchange || this.view.exchange.orderId) return;
    const candidate = replacementOrder(input.order, rmaId, input.exchange.lines);
    const orderId = publicOrderId('rest', candidate.externalId);
    const facts = orderFactsOf(tenantId, orderId, candidate);
    await startChild<OrderLifecycleWorkflow>('orderLifecycle', {
      workflowId: orderWorkflowId(tenantId, 'rest', candidate.externalId),
      taskQueue: workflowInfo().taskQueue,
      staticSummary: `${orderSummary(facts)} · exchange for ${rmaId}`,
      staticDetails: orderDetails(facts, 'exchange'),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        {
          tenantId,
          candidate,
          policy: this.policy.orderPolicy,
          receivedAt: new Date().toISOString(),
          origin: 'exchange',
          exchangeFor: { rmaId, orderId: input.orderId },
        },
      ],
    });
    this.view.exchange.orderId = orderId;
    this.note(`replacement order ${orderId} started`);
  }

  /** Every announced event recorded and every Update answered, then the view is the result. */
  private async finish(): Promise<ReturnView> {
    await this.events.settled();
    await condition(allHandlersFinished);
    return this.view;
  }
}
