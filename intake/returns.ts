import { returnDetails, returnSummary } from '../domain/returns/describe';
import { createHash, randomBytes } from 'node:crypto';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Sequelize } from 'sequelize';
import { notReturnable } from '../db/inventory';
import { heldByReturns, recordChannelRefund } from '../db/returns';
import {
  isHubRefund,
  refundFromShopify,
  returnRequestFromShopify,
  type ShopifyRefund,
  type ShopifyReturn,
} from '../domain/returns/channels/shopify';
import { publicOrderId, type parsePublicOrderId } from '../domain/orders/ids';
import type { OrderView } from '../domain/orders/status';
import { checkExchange, priceExchange } from '../domain/returns/exchange';
import { checkReturnEligibility, deliveredOrderOf, type ReturnLineRequest } from '../domain/returns/policy';
import type { ExchangeShipping, ReturnOrigin, ReturnView } from '../domain/returns/return';
import { searchIdentity } from '../domain/search-attributes';
import { getOrderQuery, orderWorkflowId } from '../workflows/orders/contract';
import {
  getReturnQuery,
  returnRegisteredUpdate,
  returnWorkflowId,
  type ReturnLifecycleInput,
  type ReturnLifecyclePolicy,
  type ReturnLifecycleWorkflow,
} from '../workflows/returns/contract';
import { tenantCarriers, type HubConfig, type TenantConfig } from '../platform/config/schema';
import type { OrderIntake } from './orders';
import { settledView, startSettled } from './start-once';
import { processView } from './process-view';

export interface ReturnRequest {
  reference?: string;
  /** Lines by SKU, or by the channel's line id (a Shopify return names its line items). */
  lines: Array<ReturnLineRequest | (Omit<ReturnLineRequest, 'sku'> & { channelLineId: string })>;
  exchange?: {
    lines: Array<{ sku: string; quantity: number; unitPrice?: string }>;
    ships?: ExchangeShipping;
  };
}

export type ReturnOutcome =
  | { kind: 'created' | 'duplicate'; view: ReturnView }
  | { kind: 'order_not_found' }
  | { kind: 'order_not_delivered'; status: string }
  | { kind: 'ineligible'; reasons: string[]; view?: ReturnView };

type OrderRef = NonNullable<ReturnType<typeof parsePublicOrderId>>;

/**
 * The one door every return comes through. The request is checked against the order as it was
 * delivered (a fast answer for the caller), then the return's workflow checks it again under
 * the order's lock, where it counts; the RMA id is derived from the caller's reference, so a
 * request sent twice is one return.
 */
export class ReturnIntake {
  constructor(
    private readonly client: Client,
    private readonly config: HubConfig,
    private readonly sequelize: Sequelize,
    private readonly orders: OrderIntake,
  ) {}

  policyFor(
    tenant: TenantConfig,
    order: OrderView,
    lines: ReturnLineRequest[],
    nonReturnableSkus: string[] = tenant.returns.nonReturnableSkus,
  ): ReturnLifecyclePolicy {
    const returns = tenant.returns;
    const shippedFrom =
      order.allocations.find((a) => lines.some((l) => l.sku === a.sku)) ?? order.allocations[0];
    const channel = this.orders.policyFor(tenant, order.channel as OrderRef['channel']);
    return {
      rules: {
        windowDays: returns.windowDays,
        nonReturnableSkus,
        restockingFeePercent: returns.restockingFeePercent,
        refundShipping: returns.refundShipping,
        refundDamaged: returns.refundDamaged,
      },
      approval: returns.approval,
      approvalDeadlineHours: returns.approvalDeadlineHours,
      scanTimeoutDays: returns.scanTimeoutDays,
      carrierConnectorId: returns.carrier ?? tenantCarriers(tenant)[0],
      receivingLocationId: returns.receivingLocation ?? shippedFrom?.locationId ?? '',
      channelConnectorId: channel.channelConnectorId,
      accountingConnectorId: channel.accountingConnectorId,
      // The replacement of an exchange is not a sale: no invoice, no channel to tell.
      orderPolicy: {
        ...this.orders.policyFor(tenant, 'rest'),
        accountingConnectorId: undefined,
        channelConnectorId: undefined,
      },
    };
  }

  async request(
    tenant: TenantConfig,
    ref: OrderRef,
    request: ReturnRequest,
    origin: ReturnOrigin,
  ): Promise<ReturnOutcome> {
    const orderKey = orderWorkflowId(tenant.id, ref.channel, ref.externalId);
    let order: OrderView;
    try {
      order = await processView(this.client.workflow.getHandle(orderKey), getOrderQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return { kind: 'order_not_found' };
      throw error;
    }
    const deliveredAt = [...order.timeline].reverse().find((t) => t.status === 'delivered')?.at;
    if (order.status !== 'delivered' || !deliveredAt || !order.order)
      return { kind: 'order_not_delivered', status: order.status };

    const rmaId = rmaIdFor(tenant.id, orderKey, request.reference);
    const unknownLines: string[] = [];
    const lines: ReturnLineRequest[] = request.lines.map((line) => {
      if ('sku' in line) return line;
      const sku = order.order!.lines.find((l) => l.channelLineId === line.channelLineId)?.sku;
      if (!sku) unknownLines.push(`channel line ${line.channelLineId} is not part of this order`);
      const { channelLineId: _channelLineId, ...rest } = line;
      return { ...rest, sku: sku ?? `unknown-${line.channelLineId}` };
    });
    const handle = this.client.workflow.getHandle<ReturnLifecycleWorkflow>(
      returnWorkflowId(tenant.id, rmaId),
    );
    if (request.reference) {
      const existing = await this.current(handle);
      if (existing) return { kind: 'duplicate', view: existing };
    }

    const delivered = deliveredOrderOf(order.order, deliveredAt);
    const exchange = request.exchange && priceExchange(delivered, request.exchange.lines);
    const reasons = [
      ...unknownLines,
      ...(exchange?.reasons ?? []),
      ...(exchange ? checkExchange(delivered, lines, exchange.lines) : []),
    ];
    const others = await heldByReturns(this.sequelize, tenant.id, orderKey);
    // What never comes back: the config's list and every item the catalogue marks not returnable.
    const nonReturnableSkus = [
      ...new Set([
        ...tenant.returns.nonReturnableSkus,
        ...(await notReturnable(
          this.sequelize,
          tenant.id,
          lines.map((l) => l.sku),
        )),
      ]),
    ];
    const eligibility = checkReturnEligibility(delivered, others, lines, new Date().toISOString(), {
      ...tenant.returns,
      nonReturnableSkus,
    });
    if (!eligibility.ok) reasons.push(...eligibility.reasons);
    if (reasons.length > 0) return { kind: 'ineligible', reasons };

    const orderId = publicOrderId(ref.channel, ref.externalId);
    const input: ReturnLifecycleInput = {
      tenantId: tenant.id,
      rmaId,
      orderKey,
      orderId,
      order: order.order,
      deliveredAt,
      lines,
      ...(exchange
        ? {
            exchange: {
              lines: exchange.lines,
              ships: request.exchange?.ships ?? tenant.returns.exchangeShips,
            },
          }
        : {}),
      policy: this.policyFor(tenant, order, lines, nonReturnableSkus),
      requestedAt: new Date().toISOString(),
      origin,
    };
    const settled = await startSettled<ReturnLifecycleWorkflow, ReturnView>(
      this.client,
      'returnLifecycle',
      {
        workflowId: handle.workflowId,
        taskQueue: this.config.temporal.orchestrationTaskQueue,
        args: [input],
        staticSummary: returnSummary(input),
        staticDetails: returnDetails(input),
        typedSearchAttributes: searchIdentity('return', {
          tenantId: tenant.id,
          orderId,
          id: rmaId,
          status: 'requested',
        }),
      },
      returnRegisteredUpdate,
      getReturnQuery,
    );
    const kind = settled.started ? 'created' : 'duplicate';
    const view = settled.view!;
    if (view.status === 'rejected' && view.rejection?.type === 'Ineligible')
      return { kind: 'ineligible', reasons: view.rejection.reasons, view };
    return { kind, view };
  }

  /** A return the customer asked for on Shopify: the same door, the Shopify return id as reference. */
  async requestFromShopify(tenant: TenantConfig, payload: ShopifyReturn): Promise<ReturnOutcome | undefined> {
    const request = returnRequestFromShopify(payload);
    if (!request) return undefined;
    return this.request(
      tenant,
      { channel: 'shopify', externalId: request.orderExternalId },
      { reference: request.reference, lines: request.lines },
      'channel',
    );
  }

  /**
   * A refund made on Shopify. The hub's own are already accounted for; one made in Shopify's
   * admin is kept against the order, so those units are never refunded again through the hub.
   */
  async recordShopifyRefund(
    tenant: TenantConfig,
    payload: ShopifyRefund,
  ): Promise<{ recorded: boolean; reason?: string; rmaId?: string }> {
    if (isHubRefund(payload)) return { recorded: false, reason: 'made by the hub' };
    const refund = refundFromShopify(payload);
    if (!refund) return { recorded: false, reason: 'not a Shopify refund' };
    const orderKey = orderWorkflowId(tenant.id, 'shopify', refund.orderExternalId);
    let order: OrderView;
    try {
      order = await processView(this.client.workflow.getHandle(orderKey), getOrderQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return { recorded: false, reason: 'unknown order' };
      throw error;
    }
    const lines = refund.lines.flatMap((line) => {
      const sku = order.order?.lines.find((l) => l.channelLineId === line.channelLineId)?.sku;
      return sku ? [{ sku, quantity: line.quantity }] : [];
    });
    const rmaId = rmaIdFor(tenant.id, orderKey, refund.reference);
    const recorded = await recordChannelRefund(this.sequelize, {
      tenantId: tenant.id,
      rmaId,
      orderKey,
      orderId: order.id,
      lines,
      amount: refund.amount,
      currency: order.order?.currency ?? tenant.currency,
    });
    return { recorded, rmaId };
  }

  /** The return as its workflow sees it once registered; a closed one answers its final state. */
  current(handle: WorkflowHandle): Promise<ReturnView | undefined> {
    return settledView(handle, returnRegisteredUpdate, getReturnQuery);
  }
}

/** A caller's reference always names the same RMA; without one, every request is a new RMA. */
export function rmaIdFor(tenantId: string, orderKey: string, reference?: string): string {
  const seed = reference
    ? createHash('sha256').update(`${tenantId}:${orderKey}:${reference}`).digest()
    : randomBytes(16);
  return `RMA-${BigInt(`0x${seed.subarray(0, 8).toString('hex')}`)
    .toString(36)
    .toUpperCase()
    .padStart(13, '0')}`;
}
