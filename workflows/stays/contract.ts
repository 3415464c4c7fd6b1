import { z } from 'zod';
import { nonBlank } from '../../domain/shared/text';
import { moneySchema } from '../../domain/shared/money';
import { guaranteeSchema } from '../../domain/stays/validation';
import type { ReasonRequest } from '../shared/contract';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { StayChange } from '../../domain/stays/validation';
import type { ReservationChannel, ReservationView, StayRequest } from '../../domain/stays/reservation';

export type Guarantee = NonNullable<ReservationView['guarantee']>;

export interface ReservationLifecycleInput {
  tenantId: string;
  channel: ReservationChannel;
  externalId: string;
  stay: StayRequest;
  /** Given at booking (deposit, card, company): the reservation is confirmed at once. */
  guarantee?: Guarantee;
  policy: {
    holdMinutes: number;
    /** Lock connector that issues room keys at check-in. */
    lockConnectorId?: string;
    /** Accounting connector that receives the folio's invoice and payments once the stay closes. */
    accountingConnectorId?: string;
    /** Days a folio left with a balance keeps taking payments (absent in histories from before it). */
    settlementDays?: number;
    /** An OTA's booking that no longer fits is kept as `overbooked` for ops instead of refused. */
    acceptOverbooking?: boolean;
  };
  receivedAt: string;
}

export const getReservationQuery = defineQuery<ReservationView>('getReservation');
/** Answers once the nights are held (or refused), so the booker learns which. */
export const reservationPlacedUpdate = defineUpdate<ReservationView>('reservationPlaced');
export const confirmReservationUpdate = defineUpdate<ReservationView, [{ guarantee: Guarantee }]>(
  'confirmReservation',
);
export const confirmReservationSchema = z.object({ guarantee: guaranteeSchema }).strict();
export const checkInSchema = z.object({ roomNumber: z.string().min(1).max(20).optional() }).strict();
export const checkOutSchema = z.object({ allowBalance: z.boolean().optional() }).strict();
export const paymentSchema = z
  .object({
    amount: moneySchema('120.00'),
    method: z.enum(['card', 'cash', 'transfer', 'deposit']),
    /** The payment's own id at the provider: the same reference again changes nothing. */
    reference: nonBlank(100),
  })
  .strict();
export type PaymentRequest = z.infer<typeof paymentSchema>;

/** A charge from an outlet (restaurant, bar, spa) to the guest's folio. */
export interface ChargeRequest {
  id: string;
  description: string;
  amount: string;
  tax: string;
}

export const postChargeUpdate = defineUpdate<ReservationView, [ChargeRequest]>('postCharge');
export const checkInUpdate = defineUpdate<ReservationView, [z.infer<typeof checkInSchema>]>('checkIn');
export const checkOutUpdate = defineUpdate<ReservationView, [z.infer<typeof checkOutSchema>]>('checkOut');
export const addPaymentUpdate = defineUpdate<ReservationView, [PaymentRequest]>('addPayment');
/** Money given back to the guest from a folio in credit (a deposit larger than what was due). */
export const refundSchema = z
  .object({
    amount: moneySchema('50.00'),
    /** The refund's own id at the provider: the same reference again changes nothing. */
    reference: nonBlank(100),
  })
  .strict();
export type RefundRequest = z.infer<typeof refundSchema>;
export const addRefundUpdate = defineUpdate<ReservationView, [RefundRequest]>('addRefund');
/** New dates, room type, rate plan or party: the nights move in one transaction, or it is refused. */
export const modifyReservationUpdate = defineUpdate<ReservationView, [StayChange]>('modifyReservation');
export const cancelReservationUpdate = defineUpdate<ReservationView, [ReasonRequest]>('cancelReservation');
/**
 * Ops place an overbooked reservation: its nights are taken now, in its own room type (a room
 * came free) or another (an upgrade, with a rate plan of that type), and it is confirmed with the
 * guarantee it came with; refused with the reasons if the nights still do not fit.
 */
export const reaccommodateSchema = z
  .object({
    roomTypeId: z.string().min(1).max(64).optional(),
    ratePlanId: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((r) => !r.roomTypeId || r.ratePlanId, 'another room type needs one of its rate plans (ratePlanId)')
  // The same rule for the document: a roomTypeId comes with a ratePlanId.
  .meta({ dependentRequired: { roomTypeId: ['ratePlanId'] } });
export type Reaccommodation = z.infer<typeof reaccommodateSchema>;
export const reaccommodateReservationUpdate = defineUpdate<ReservationView, [Reaccommodation]>(
  'reaccommodateReservation',
);

/** The property's night audit closed a business date: charge the night, or mark a no-show. */
export const nightAuditSignal = defineSignal<[{ businessDate: string }]>('nightAudit');

export interface NightAuditInput {
  tenantId: string;
  propertyId: string;
}

export interface NightAuditResult {
  businessDate: string;
  inHouse: number;
  expected: number;
  /** The day was closed already (an audit run by hand before the scheduled one). */
  skipped?: boolean;
}

/** The stay processes as callers start them; the workflows conform (`workflows/conformance.ts`). */
export type ReservationLifecycleWorkflow = (input: ReservationLifecycleInput) => Promise<ReservationView>;
export type NightAuditWorkflow = (input: NightAuditInput) => Promise<NightAuditResult>;

/** Workflow id of a reservation: one per tenant, channel and the channel's own id. */
/** A night audit run by hand: one per property and business date, so asking twice joins the same run. */
export function nightAuditWorkflowId(tenantId: string, propertyId: string, businessDate: string): string {
  return `night-audit:${tenantId}:${propertyId}:${businessDate}`;
}

export function reservationWorkflowId(
  tenantId: string,
  channel: ReservationChannel,
  externalId: string,
): string {
  return `reservation:${tenantId}:${channel}:${externalId}`;
}
