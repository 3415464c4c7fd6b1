/**
 * The order process's contract: what its callers (the intakes, the API, the schedules) and the
 * workflow share — inputs, Update, Signal and Query definitions with their argument schemas, the
 * workflow ids. Callers import this, never the workflow's code.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import {
  addressSchema,
  orderLineSchema,
  type Address,
  type CanonicalOrder,
  type CanonicalOrderInput,
  type OrderChannel,
  type PaymentStatus,
} from '../../domain/orders/order';
import { reasonSchema } from '../shared/contract';
import { lazily } from '../../domain/shared/lazily';
import type { RoutingStrategy } from '../../domain/orders/routing';
import type { OrderValidation } from '../../domain/orders/validation';
import type { TenantId } from '../../domain/shared/tenant';
import type { OrderView } from '../../domain/orders/status';

/** Everything the order workflow needs from whoever starts it (the API, a webhook, a reconcile). */
export interface OrderWorkflowInput {
  tenantId: string;
  order: CanonicalOrder;
  /** Carrier connector instance that ships this order (from the tenant's config). */
  carrierConnectorId: string;
  receivedAt: string;
}

export const getOrderQuery = defineQuery<OrderView>('getOrder');

/** What a tenant's config says about fulfilling its orders, captured when the order arrives. */
export interface OrderLifecyclePolicy {
  currency: string;
  shipsTo: string[];
  carriers: string[];
  routing: RoutingStrategy;
  accountingConnectorId?: string;
  /** Marketplace connector that gets tracking numbers and refunds (the channel the order came from). */
  channelConnectorId?: string;
  editWindowSeconds: number;
  paymentTimeoutMinutes: number;
  stuckAfterDays: number;
}

export type OrderOrigin = 'api' | 'webhook' | 'reconcile' | 'pos' | 'exchange';

/** Input of the order lifecycle workflow: the order as the channel sent it, and the intake's verdict on it. */
export interface OrderLifecycleInput {
  tenantId: string;
  candidate: CanonicalOrderInput;
  /**
   * The candidate checked against the tenant's rules (`validateIncomingOrder`) where it arrived,
   * so the run does not build the order's schemas; kept in the run's input, a later change of the
   * rules cannot make its replay decide otherwise. A run started without it (before it existed,
   * by hand, an exchange's replacement) checks the candidate itself, with the same function.
   */
  validation?: OrderValidation;
  policy: OrderLifecyclePolicy;
  receivedAt: string;
  origin: OrderOrigin;
  /** Set on the replacement order of an exchange: the return it replaces goods for. */
  exchangeFor?: { rmaId: string; orderId: string };
}

/** The order process as callers start it; `order-lifecycle.ts` conforms (`workflows/conformance.ts`). */
export type OrderLifecycleWorkflow = (input: OrderLifecycleInput) => Promise<OrderView>;

/** One pass over a carrier connector's quiet parcels (its schedule's arguments). */
export interface TrackerReconcileInput {
  tenantId: string;
  connectorId: string;
  /** Parcels with no scan heard for this long are asked about (default 60). */
  quietMinutes?: number;
}

/** One reconcile pass of a Shopify store (its schedule's arguments). */
export interface ShopifyReconcileInput {
  connectorId: string;
}

/** A cancellation: the API's body (`reasonSchema`) and who asked. */
export const cancelRequestSchema = lazily(() =>
  reasonSchema().extend({
    /** `channel` when the channel itself cancelled (its refund is its own), `api` or `ops` otherwise. */
    origin: z.enum(['api', 'channel', 'ops']),
  }),
);
export type CancelRequest = z.infer<ReturnType<typeof cancelRequestSchema>>;

/** An edit before labels are bought: new lines (a SKU the order did not have needs its unitPrice), or a new address. */
export const editRequestSchema = lazily(() =>
  z
    .object({
      shippingAddress: addressSchema().optional(),
      lines: z
        .array(orderLineSchema().partial({ unitPrice: true, tax: true }))
        .min(1)
        .max(250)
        .optional(),
    })
    .strict()
    .refine((edit) => edit.shippingAddress !== undefined || edit.lines !== undefined, {
      message: 'an edit changes lines or shippingAddress',
    })
    .meta({ minProperties: 1 }),
);
export type EditRequest = z.infer<ReturnType<typeof editRequestSchema>>;

/** What the channel reports about an order it already sent: payment, or a changed address. */
export interface ChannelOrderUpdate {
  paymentStatus?: PaymentStatus;
  shippingAddress?: Address;
}

export const cancelOrderUpdate = defineUpdate<OrderView, [CancelRequest]>('cancelOrder');
export const editOrderUpdate = defineUpdate<OrderView, [EditRequest]>('editOrder');
export const channelOrderUpdatedSignal = defineSignal<[ChannelOrderUpdate]>('channelOrderUpdated');

/**
 * One external order is one workflow: the id is derived from tenant, channel and external id,
 * so the same order posted twice (or by webhook and reconcile) lands on the same workflow.
 * Workflow ids are readable so ops can find them in the Temporal UI.
 */
export function orderWorkflowId(tenantId: TenantId, channel: OrderChannel, externalId: string): string {
  return `order:${tenantId}:${channel}:${externalId}`;
}
