import type { Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../../connectors/registry';
import type { RoomKey } from '../../connectors/locks/lock';
import { assignRoom, vacateRoom } from '../../db/rooms';
import { auditTargets, rollBusinessDate } from '../../db/stays/night-audit';
import {
  confirmStay,
  holdStay,
  markArrived,
  modifyStay,
  releaseStay,
  type StayRef,
} from '../../db/stays/holds';
import type { StayRequest } from '../../domain/stays/reservation';
import { refusingNonRetryably } from '../shared/failures';

/** A reservation's steps on the inventory calendar and the rooms; each is idempotent per reservation. */
export function createStayActivities(deps: { sequelize: Sequelize }) {
  return {
    holdStay: (request: StayRef & { stay: StayRequest }) =>
      refusingNonRetryably(() => holdStay(deps.sequelize, request)),
    modifyStay: (request: StayRef & { stay: StayRequest; reprice: boolean }) =>
      refusingNonRetryably(() => modifyStay(deps.sequelize, request)),
    confirmStay: (stay: StayRef) => confirmStay(deps.sequelize, stay),
    releaseStay: (stay: StayRef) => releaseStay(deps.sequelize, stay),
    assignRoom: (request: {
      tenantId: string;
      propertyId: string;
      roomTypeId: string;
      reservationKey: string;
      number?: string;
    }) => refusingNonRetryably(() => assignRoom(deps.sequelize, request)),
    vacateRoom: (request: { tenantId: string; reservationKey: string; dirty: boolean }) =>
      vacateRoom(deps.sequelize, request),
    markArrived: (stay: StayRef) => markArrived(deps.sequelize, stay),
    auditTargets: (ref: { tenantId: string; propertyId: string; now: string }) =>
      refusingNonRetryably(() => auditTargets(deps.sequelize, ref.tenantId, ref.propertyId, ref.now)),
    rollBusinessDate: (ref: { tenantId: string; propertyId: string; closed: string }) =>
      rollBusinessDate(deps.sequelize, ref.tenantId, ref.propertyId, ref.closed),
  };
}

/** Keys through the property's lock system: one active key per stay and room, revoked at check-out. */
export function createLockActivities(deps: { connectors: ConnectorRegistry }) {
  return {
    issueRoomKey: (request: {
      connectorId: string;
      reference: string;
      room: string;
      guestName: string;
      validFrom: string;
      validUntil: string;
    }): Promise<RoomKey> => {
      const { connectorId, ...key } = request;
      return deps.connectors.lock(connectorId).issueKey(key);
    },
    revokeRoomKeys: async (request: { connectorId: string; reference: string }): Promise<number> => {
      const lock = deps.connectors.lock(request.connectorId);
      const active = (await lock.keysFor(request.reference)).filter((k) => k.status === 'active');
      for (const key of active) await lock.revokeKey(key.id);
      return active.length;
    },
  };
}
