import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { StayChange } from '../../domain/stays/modification';
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
export interface PaymentRequest {
  amount: string;
  method: 'card' | 'cash' | 'transfer' | 'deposit';
  /** The payment's own id at the provider: the same reference again changes nothing. */
  reference: string;
}

/** A charge from an outlet (restaurant, bar, spa) to the guest's folio. */
export interface ChargeRequest {
  id: string;
  description: string;
  amount: string;
  tax: string;
}

export const postChargeUpdate = defineUpdate<ReservationView, [ChargeRequest]>('postCharge');
export const checkInUpdate = defineUpdate<ReservationView, [{ roomNumber?: string }]>('checkIn');
export const checkOutUpdate = defineUpdate<ReservationView, [{ allowBalance?: boolean }]>('checkOut');
export const addPaymentUpdate = defineUpdate<ReservationView, [PaymentRequest]>('addPayment');
/** Money given back to the guest from a folio in credit (a deposit larger than what was due). */
export interface RefundRequest {
  amount: string;
  /** The refund's own id at the provider: the same reference again changes nothing. */
  reference: string;
}
export const addRefundUpdate = defineUpdate<ReservationView, [RefundRequest]>('addRefund');
/** New dates, room type, rate plan or party: the nights move in one transaction, or it is refused. */
export const modifyReservationUpdate = defineUpdate<ReservationView, [StayChange]>('modifyReservation');
export const cancelReservationUpdate = defineUpdate<ReservationView, [{ reason: string }]>(
  'cancelReservation',
);
/**
 * Ops place an overbooked reservation: its nights are taken now, in its own room type (a room
 * came free) or another (an upgrade, with a rate plan of that type), and it is confirmed with the
 * guarantee it came with; refused with the reasons if the nights still do not fit.
 */
export interface Reaccommodation {
  roomTypeId?: string;
  ratePlanId?: string;
}
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
