import type { Sequelize } from 'sequelize';
import { rowsOf } from './statements';

/**
 * A carrier scan recorded on the parcels one connector of one tenant bought with that tracking
 * code (or carrier shipment id): the orders they belong to, to be told. One statement, since a
 * webhook arrives for every parcel's every scan. Every scan counts as heard from (`updated_at`),
 * a repeated one too, so the tracker reconcile does not poll a parcel its carrier still reports.
 */
export async function recordScan(
  sequelize: Sequelize,
  scan: {
    tenantId: string;
    connectorId: string;
    trackingCode: string;
    carrierShipmentId?: string;
    status: string;
  },
): Promise<string[]> {
  const parcels = await rowsOf<{ orderKey: string }>(
    sequelize,
    `UPDATE shipments SET tracking_status = $5, updated_at = now()
      WHERE tenant_id = $1 AND connector_id = $2
        AND (tracking_code = $3 OR ($4::text IS NOT NULL AND carrier_shipment_id = $4))
      RETURNING order_key AS "orderKey"`,
    [scan.tenantId, scan.connectorId, scan.trackingCode, scan.carrierShipmentId || null, scan.status],
  );
  return parcels.map((parcel) => parcel.orderKey);
}
