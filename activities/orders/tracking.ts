import { Op, type Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../../connectors/registry';
import { modelsOf } from '../../db/models';
import type { TrackingStatus, TrackingUpdate } from '../../domain/orders/tracking';

/** Where a parcel's tracking ends: nothing more to hear. */
const FINAL_TRACKING: TrackingStatus[] = ['delivered', 'return_to_sender', 'cancelled'];

export interface StaleTrackersRequest {
  tenantId: string;
  connectorId: string;
  /** Parcels with no scan heard for this long are asked about. */
  quietMinutes: number;
  /** At most this many per run: the oldest first, the rest at the next run. */
  limit: number;
}

/** A scan the carrier has that its webhook never brought (the hub was away longer than it retried). */
export interface MissedScan {
  orderKey: string;
  update: TrackingUpdate;
}

/**
 * The carrier's side of tracking, for when webhooks were lost: every bought parcel of this
 * connector and tenant that is not at the end of its tracking and has heard nothing for a while
 * is looked up at the carrier, and a status the hub has not recorded is recorded and handed back
 * to be signalled to its order or return. Each parcel asked about counts as heard from, so the
 * next run asks about the next ones.
 */
export function createTrackerReconcileActivities(deps: {
  sequelize: Sequelize;
  connectors: ConnectorRegistry;
}) {
  return {
    async missedScans(request: StaleTrackersRequest): Promise<MissedScan[]> {
      const carrier = deps.connectors.carrier(request.connectorId);
      const quiet = await modelsOf(deps.sequelize).Shipment.findAll({
        where: {
          tenantId: request.tenantId,
          connectorId: request.connectorId,
          status: 'purchased',
          carrierShipmentId: { [Op.ne]: null },
          trackingCode: { [Op.ne]: null },
          [Op.or]: [{ trackingStatus: null }, { trackingStatus: { [Op.notIn]: FINAL_TRACKING } }],
          updatedAt: { [Op.lt]: new Date(Date.now() - request.quietMinutes * 60_000) },
        },
        order: [['updatedAt', 'ASC']],
        limit: request.limit,
      });
      const missed: MissedScan[] = [];
      for (const parcel of quiet) {
        const update = await carrier.currentTracking(parcel.carrierShipmentId!);
        const where = { tenantId: parcel.tenantId, shipmentKey: parcel.shipmentKey };
        if (update && update.status !== parcel.trackingStatus && update.status !== 'unknown') {
          await modelsOf(deps.sequelize).Shipment.update({ trackingStatus: update.status }, { where });
          missed.push({ orderKey: parcel.orderKey, update });
        } else {
          await modelsOf(deps.sequelize).Shipment.update(
            { trackingStatus: parcel.trackingStatus },
            { where },
          ); // asked: heard from
        }
      }
      return missed;
    },
  };
}
