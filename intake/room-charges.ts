import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Sequelize } from 'sequelize';
import type { SquareConnector } from '../connectors/pos/square';
import { chargeReviewOf, closeChargeReview, keepChargeForReview, occupantOf } from '../db/rooms';
import { roomChargeFromSquare, type SquareRoomOrder } from '../domain/stays/pos';
import type { ReservationView } from '../domain/stays/reservation';
import { getReservationQuery, postChargeUpdate } from '../workflows/stays/contract';
import type { TenantConfig } from '../platform/config/schema';
import { refusalMessage } from './orders';
import type { ReservationIntake } from './reservations';
import { processView } from './process-view';

export type RoomChargeOutcome =
  | { posted: true; reservationId: string; chargeId: string }
  | { posted: false; review: string; chargeId: string };

/**
 * A POS order charged to a room: matched to the party in that room (or the reservation named)
 * and posted to its folio by the reservation's workflow, which refuses a guest not in house.
 * Whatever cannot be posted is kept for review with the reason: a charge is never lost.
 */
export async function chargeRoom(
  deps: { client: Client; sequelize: Sequelize; reservations: ReservationIntake },
  tenant: TenantConfig,
  square: SquareConnector,
  orderId: string,
): Promise<RoomChargeOutcome> {
  const order = (await square.getOrder(orderId)) as unknown as SquareRoomOrder;
  const charge = roomChargeFromSquare(order);
  const propertyId = square.options.propertyId ?? '';
  const review = async (reason: string): Promise<RoomChargeOutcome> => {
    await keepChargeForReview(deps.sequelize, {
      tenantId: tenant.id,
      propertyId,
      chargeId: charge.id,
      reason,
      charge,
    });
    return { posted: false, review: reason, chargeId: charge.id };
  };
  if (!charge.target) return review(`order ${order.id} names no room or reservation (reference_id)`);
  const handle =
    'room' in charge.target
      ? await occupantOf(deps.sequelize, tenant.id, propertyId, charge.target.room).then(
          (key) => key && deps.client.workflow.getHandle(key),
        )
      : deps.reservations.handle(tenant.id, charge.target.reservationId);
  const named =
    'room' in charge.target ? `room ${charge.target.room}` : `reservation ${charge.target.reservationId}`;
  if (!handle) return review(`${named} has no guest in house`);
  try {
    const view = await handle.executeUpdate(postChargeUpdate, {
      args: [{ id: charge.id, description: charge.description, amount: charge.amount, tax: charge.tax }],
    });
    return { posted: true, reservationId: view.id, chargeId: charge.id };
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) return review(refusalMessage(error));
    if (error instanceof WorkflowNotFoundError) return review(`${named}: the stay has ended`);
    throw error;
  }
}

export type ChargeReviewRelease =
  | { released: true; view: ReservationView }
  | { released: false; notFound: string }
  | { released: false; refused: string };

/**
 * A person's decision on a charge kept for review: post it to the folio of the reservation they
 * name (of the same property, its guest in house). The reservation's workflow takes it or refuses
 * with its reason, as for a charge from the till; once taken the review is closed. The charge's
 * id keeps it on the folio once, however often this is asked.
 */
export async function releaseChargeReview(
  deps: { client: Client; sequelize: Sequelize; reservations: ReservationIntake },
  ref: { tenantId: string; propertyId: string; chargeId: string },
  reservationId: string,
): Promise<ChargeReviewRelease> {
  const review = await chargeReviewOf(deps.sequelize, ref);
  if (!review)
    return { released: false, notFound: `no charge ${ref.chargeId} is kept for review at ${ref.propertyId}` };
  const handle = deps.reservations.handle(ref.tenantId, reservationId);
  if (!handle) return { released: false, notFound: `no reservation ${reservationId}` };
  let current: ReservationView;
  try {
    current = await processView(handle, getReservationQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError)
      return { released: false, notFound: `no reservation ${reservationId}` };
    throw error;
  }
  if (current.stay.propertyId !== ref.propertyId)
    return {
      released: false,
      refused: `reservation ${reservationId} is a stay at ${current.stay.propertyId}, not ${ref.propertyId}`,
    };
  try {
    const { id, description, amount, tax } = review.charge;
    const view = await handle.executeUpdate(postChargeUpdate, { args: [{ id, description, amount, tax }] });
    await closeChargeReview(deps.sequelize, ref);
    return { released: true, view };
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError)
      return { released: false, refused: refusalMessage(error) };
    // Its process has closed: the stay is over, and the charge stays kept for another decision.
    if (error instanceof WorkflowNotFoundError)
      return {
        released: false,
        refused: `reservation ${reservationId} is ${current.status.replace('_', ' ')}; only a guest in house can be charged`,
      };
    throw error;
  }
}
