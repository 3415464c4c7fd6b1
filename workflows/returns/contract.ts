import { z } from 'zod';
import { EXTERNAL_ID_PATTERN, SKU_PATTERN, type CanonicalOrder } from '../../domain/orders/order';
import {
  RETURN_CONDITIONS,
  type ExchangeLine,
  type ExchangeShipping,
  type ReturnOrigin,
  type ReturnView,
} from '../../domain/returns/return';
import { moneySchema } from '../../domain/shared/money';
import { storableText } from '../../domain/shared/text';
import type { ReasonRequest } from '../shared/contract';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ReturnLineRequest, ReturnPolicy } from '../../domain/returns/policy';
import type { OrderLifecyclePolicy } from '../orders/contract';

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

const returnSku = z.string().regex(SKU_PATTERN, 'must be 1-64 letters, digits, ".", "_" or "-"');
const units = z.number().int('must be a whole number').max(10_000);

export const returnRequestSchema = z
  .object({
    /** The caller's own id for this request: sending it again returns the same RMA. */
    reference: z
      .string()
      .regex(EXTERNAL_ID_PATTERN, 'must be 1-64 letters, digits, ".", "_" or "-"')
      .optional(),
    lines: z
      .array(
        z
          .object({
            sku: returnSku,
            quantity: units.min(1),
            reason: storableText(300, { trim: true }).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(250),
    exchange: z
      .object({
        lines: z
          .array(
            z
              .object({
                sku: returnSku,
                quantity: units.min(1),
                unitPrice: moneySchema().optional(),
              })
              .strict(),
          )
          .min(1)
          .max(250),
        ships: z.enum(['on_receipt', 'immediately']).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const approveReturnSchema = z.object({ note: storableText(500, { trim: true }).optional() }).strict();

export const receiveReturnSchema = z
  .object({
    /** Defaults to the policy's receiving location. */
    locationId: z.string().min(1).max(64).optional(),
    lines: z
      .array(
        z
          .object({
            sku: returnSku,
            quantity: units.min(0),
            condition: z.enum(RETURN_CONDITIONS),
            note: storableText(300, { trim: true }).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(250),
  })
  .strict();
export type ApproveReturnRequest = z.infer<typeof approveReturnSchema>;
export type RejectReturnRequest = ReasonRequest;
export type ReceiveReturnRequest = z.infer<typeof receiveReturnSchema>;

export const getReturnQuery = defineQuery<ReturnView>('getReturn');
/** Answers once the return is admitted or refused, so the caller learns which. */
export const returnRegisteredUpdate = defineUpdate<ReturnView>('returnRegistered');
export const approveReturnUpdate = defineUpdate<ReturnView, [ApproveReturnRequest]>('approveReturn');
export const rejectReturnUpdate = defineUpdate<ReturnView, [RejectReturnRequest]>('rejectReturn');
export const receiveReturnUpdate = defineUpdate<ReturnView, [ReceiveReturnRequest]>('receiveReturn');

/** Workflow id of a return: readable in the Temporal UI, unique per tenant. */
export function returnWorkflowId(tenantId: string, rmaId: string): string {
  return `return:${tenantId}:${rmaId}`;
}
