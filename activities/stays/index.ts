import type { Sequelize } from 'sequelize';
import { confirmStay, holdStay, releaseStay } from '../../db/stays';
import type { StayRequest } from '../../domain/stays/reservation';
import { refusingNonRetryably } from '../shared/failures';

/** A reservation's steps on the inventory calendar; each is idempotent per reservation. */
export function createStayActivities(deps: { sequelize: Sequelize }) {
  return {
    holdStay: (request: { tenantId: string; reservationKey: string; stay: StayRequest }) =>
      refusingNonRetryably(() => holdStay(deps.sequelize, request)),
    confirmStay: (ref: { tenantId: string; reservationKey: string }) =>
      confirmStay(deps.sequelize, ref.tenantId, ref.reservationKey),
    releaseStay: (ref: { tenantId: string; reservationKey: string }) =>
      releaseStay(deps.sequelize, ref.tenantId, ref.reservationKey),
  };
}
