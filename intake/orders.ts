import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { orderAmount, orderDetails, orderFactsOf, orderSummary } from '../domain/orders/describe';
import { publicOrderId } from '../domain/orders/ids';
import { validateIncomingOrder } from '../domain/orders/validation';
import {
  orderWorkflowId,
  getOrderQuery,
  cancelOrderUpdate,
  channelOrderUpdatedSignal,
  type CancelRequest,
  type ChannelOrderUpdate,
  type OrderLifecycleInput,
  type OrderLifecyclePolicy,
  type OrderLifecycleWorkflow,
  type OrderOrigin,
} from '../workflows/orders/contract';
import {
  EXTERNAL_ID_PATTERN,
  ORDER_CHANNELS,
  type CanonicalOrderInput,
  type OrderChannel,
} from '../domain/orders/order';
import { SA_CURRENCY, SA_TOTAL, searchIdentity } from '../domain/search-attributes';
import type { OrderView } from '../domain/orders/status';
import { tenantCarriers, type HubConfig, type TenantConfig } from '../platform/config/schema';
import { startOnce } from './start-once';
import { processView } from './process-view';

export interface SubmittedOrder {
  id: string;
  workflowId: string;
  duplicate: boolean;
}

/**
 * The one door every order comes through, whatever the channel (REST, Shopify webhook, Shopify
 * reconcile, Square POS): the workflow id is derived from tenant, channel and external id, so the
 * same order arriving by several routes is one workflow, started once.
 */
export class OrderIntake {
  constructor(
    private readonly client: Client,
    private readonly config: HubConfig,
  ) {}

  policyFor(tenant: TenantConfig, channel: OrderChannel): OrderLifecyclePolicy {
    const channelConnector =
      channel === 'shopify'
        ? this.config.connectors.find(
            (c) => c.tenant === tenant.id && c.kind === 'marketplace' && c.type === 'shopify',
          )
        : undefined;
    return {
      currency: tenant.currency,
      shipsTo: tenant.orders.shipsTo,
      carriers: tenantCarriers(tenant),
      routing: tenant.orders.routing,
      accountingConnectorId: tenant.orders.accounting,
      channelConnectorId: channelConnector?.id,
      editWindowSeconds: tenant.orders.editWindowSeconds,
      paymentTimeoutMinutes: tenant.orders.paymentTimeoutMinutes,
      stuckAfterDays: tenant.orders.stuckAfterDays,
    };
  }

  /** Ids the candidate must have before anything else, since they name the workflow. */
  static identify(
    candidate: Partial<CanonicalOrderInput>,
  ): { channel: OrderChannel; externalId: string } | undefined {
    const { channel, externalId } = candidate;
    if (!channel || !(ORDER_CHANNELS as readonly string[]).includes(channel)) return undefined;
    if (typeof externalId !== 'string' || !EXTERNAL_ID_PATTERN.test(externalId)) return undefined;
    return { channel, externalId };
  }

  /**
   * Starts the order's workflow unless it exists. With `update`, an order that already exists
   * gets the channel's news (payment) as a signal instead.
   */
  async submit(
    tenant: TenantConfig,
    candidate: CanonicalOrderInput,
    origin: OrderOrigin,
    update?: ChannelOrderUpdate,
  ): Promise<SubmittedOrder> {
    const ids = OrderIntake.identify(candidate);
    if (!ids) throw new Error('an order needs a known channel and a valid external id');
    const id = publicOrderId(ids.channel, ids.externalId);
    const workflowId = orderWorkflowId(tenant.id, ids.channel, ids.externalId);
    const policy = this.policyFor(tenant, ids.channel);
    const validation = validateIncomingOrder(candidate, {
      currency: policy.currency,
      shipsTo: policy.shipsTo,
    });
    const input: OrderLifecycleInput = {
      tenantId: tenant.id,
      candidate,
      validation,
      policy,
      receivedAt: new Date().toISOString(),
      origin,
    };
    // A candidate refused only by the tenant's rules (currency, destination) still shows its lines and total.
    const facts = orderFactsOf(tenant.id, id, candidate, validation.ok ? validation.order : undefined);
    const amount = facts.order && orderAmount(facts.order);
    const started = await startOnce<OrderLifecycleWorkflow>(this.client, 'orderLifecycle', {
      workflowId,
      taskQueue: this.config.temporal.orchestrationTaskQueue,
      args: [input],
      staticSummary: orderSummary(facts),
      staticDetails: orderDetails(facts, origin),
      typedSearchAttributes: [
        ...searchIdentity('order', { tenantId: tenant.id, channel: ids.channel, id, status: 'received' }),
        ...(amount
          ? [
              { key: SA_TOTAL, value: amount.total },
              { key: SA_CURRENCY, value: amount.currency },
            ]
          : []),
      ],
    });
    if (started) return { id, workflowId, duplicate: false };
    // The order exists: a started workflow already read this candidate, a running one hears the news.
    if (update) {
      try {
        await this.client.workflow.getHandle(workflowId).signal(channelOrderUpdatedSignal, update);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error; // closed: nothing left to tell it
      }
    }
    return { id, workflowId, duplicate: true };
  }

  /** A finished order still answers queries: its final state, or undefined if there is no such order. */
  async closedStatus(workflowId: string): Promise<ClosedOrder | undefined> {
    try {
      const view = await processView(this.client.workflow.getHandle(workflowId), getOrderQuery);
      return { id: view.id, status: view.status };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /** Cancels a running order; `refused` carries the workflow's reason when it is too late. */
  async cancel(
    tenantId: string,
    channel: OrderChannel,
    externalId: string,
    request: CancelRequest,
  ): Promise<{ view?: OrderView; refused?: string; notFound?: boolean }> {
    const handle = this.client.workflow.getHandle(orderWorkflowId(tenantId, channel, externalId));
    try {
      return { view: await handle.executeUpdate(cancelOrderUpdate, { args: [request] }) };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        const closed = await this.closedStatus(handle.workflowId);
        return closed
          ? { refused: `order ${closed.id} is ${closed.status}; it can no longer be cancelled` }
          : { notFound: true };
      }
      if (error instanceof WorkflowUpdateFailedError) return { refused: refusalMessage(error) };
      throw error;
    }
  }
}

export interface ClosedOrder {
  id: string;
  status: string;
}

/** The validator's or handler's own message, without Temporal's wrapping. */
export function refusalMessage(error: WorkflowUpdateFailedError): string {
  return error.cause?.message ?? error.message;
}
