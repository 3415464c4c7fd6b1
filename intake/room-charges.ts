import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Sequelize } from 'sequelize';
import type { SquareConnector } from '../connectors/pos/square';
import { keepChargeForReview, occupantOf } from '../db/rooms';
import { roomChargeFromSquare, type SquareRoomOrder } from '../domain/stays/pos';
import { postChargeUpdate } from '../workflows/stays/contract';
import type { TenantConfig } from '../platform/config/schema';
import { refusalMessage } from './orders';
import type { ReservationIntake } from './reservations';

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
