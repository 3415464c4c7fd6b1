import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CanonicalOrder } from '../../domain/orders/order';
import type { ReturnLineRequest, ReturnPolicy } from '../../domain/returns/policy';
import type { ExchangeLine, ExchangeShipping, ReturnOrigin, ReturnView } from '../../domain/returns/return';
import type { OrderLifecyclePolicy } from '../orders/lifecycle-definitions';

/** What a tenant's config says about returns, captured when the return is requested. */
export interface ReturnLifecyclePolicy {
  rules: ReturnPolicy;
  /** `auto` approves every eligible request; `manual` waits for a person (Update approve/reject). */
  approval: 'auto' | 'manual';
  approvalDeadlineHours: number;
  /** Days the customer has to hand the parcel to the carrier once the label is issued. */
  scanTimeoutDays: number;
  /** Carrier that sells the return label; without one the customer sends the goods back their own way. */
  carrierConnectorId?: string;
  /** Where returned goods go back to stock, unless the receipt names another location. */
  receivingLocationId: string;
  channelConnectorId?: string;
  accountingConnectorId?: string;
  /** How an exchange's replacement order is fulfilled (no accounting: it is not a sale). */
  orderPolicy: OrderLifecyclePolicy;
}

/** The return process as callers start it; `return-lifecycle.ts` conforms (`workflows/conformance.ts`). */
export type ReturnLifecycleWorkflow = (input: ReturnLifecycleInput) => Promise<ReturnView>;

export interface ReturnLifecycleInput {
  tenantId: string;
  rmaId: string;
  /** Workflow id of the order the goods came from. */
  orderKey: string;
  orderId: string;
  order: CanonicalOrder;
  deliveredAt: string;
  lines: ReturnLineRequest[];
  exchange?: { lines: ExchangeLine[]; ships: ExchangeShipping };
  policy: ReturnLifecyclePolicy;
  requestedAt: string;
  origin: ReturnOrigin;
}

export interface ApproveReturnRequest {
  note?: string;
}

export interface RejectReturnRequest {
  reason: string;
}

export interface ReceiveReturnRequest {
  /** Defaults to the policy's receiving location. */
  locationId?: string;
  lines: Array<{ sku: string; quantity: number; condition: 'sellable' | 'damaged'; note?: string }>;
}

export const getReturnQuery = defineQuery<ReturnView>('getReturn');
/** Answers once the return is admitted or refused, so the caller learns which. */
export const returnRegisteredUpdate = defineUpdate<ReturnView>('returnRegistered');
export const approveReturnUpdate = defineUpdate<ReturnView, [ApproveReturnRequest]>('approveReturn');
export const rejectReturnUpdate = defineUpdate<ReturnView, [RejectReturnRequest]>('rejectReturn');
export const receiveReturnUpdate = defineUpdate<ReturnView, [ReceiveReturnRequest]>('receiveReturn');
