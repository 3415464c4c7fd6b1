import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ReservationChannel, ReservationView, StayRequest } from '../../domain/stays/reservation';

export type Guarantee = NonNullable<ReservationView['guarantee']>;

export interface ReservationLifecycleInput {
  tenantId: string;
  channel: ReservationChannel;
  externalId: string;
  stay: StayRequest;
  /** Given at booking (deposit, card, company): the reservation is confirmed at once. */
  guarantee?: Guarantee;
  policy: { holdMinutes: number };
  receivedAt: string;
}

export const getReservationQuery = defineQuery<ReservationView>('getReservation');
/** Answers once the nights are held (or refused), so the booker learns which. */
export const reservationPlacedUpdate = defineUpdate<ReservationView>('reservationPlaced');
export const confirmReservationUpdate = defineUpdate<ReservationView, [{ guarantee: Guarantee }]>(
  'confirmReservation',
);
export const cancelReservationUpdate = defineUpdate<ReservationView, [{ reason: string }]>(
  'cancelReservation',
);
