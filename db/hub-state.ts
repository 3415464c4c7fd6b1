import { QueryTypes, type Sequelize } from 'sequelize';

/** One labelled figure of what the hub holds. */
export interface StateFigure {
  labels: Record<string, string>;
  value: number;
}

/** What ops must watch that PostgreSQL holds, each figure per tenant and connector where it has one. */
export interface HubState {
  /** Event deliveries by status: `pending` (the backlog) and `dead` (given up, kept for a person). */
  deliveries: StateFigure[];
  /** Age in seconds of the oldest change not yet pushed, per channel connection (rooms or stock). */
  channelLagSeconds: StateFigure[];
  /** Mappings set aside for a person: room types an OTA refused, SKUs a store refused. */
  setAsideMappings: StateFigure[];
  /** POS charges that could not go on a folio, waiting for a person. */
  chargeReviews: StateFigure[];
  /** Parcels whose label was bought over a day ago with no carrier scan since. */
  stuckParcels: StateFigure[];
}

/** Parcels bought this long ago without a scan are stuck: a carrier picks up within a day. */
export const STUCK_PARCEL_HOURS = 24;

/** Reads the hub's state in one round of grouped queries (each over an index or a small table). */
export async function readHubState(sequelize: Sequelize): Promise<HubState> {
  const rows = (sql: string) =>
    sequelize.query<Record<string, string | number>>(sql, { type: QueryTypes.SELECT });
  const figures = (list: Array<Record<string, string | number>>) =>
    list.map(({ value, ...labels }) => ({
      labels: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])),
      value: Number(value),
    }));
  const [deliveries, rooms, stock, refusedRooms, refusedSkus, reviews, parcels] = await Promise.all([
    rows(
      `SELECT status, count(*) AS value FROM event_deliveries WHERE status IN ('pending', 'dead') GROUP BY status`,
    ),
    rows(`SELECT tenant_id AS tenant, connector_id AS connector,
                 extract(epoch FROM clock_timestamp() - min(marked_at)) AS value
            FROM channel_dirty GROUP BY tenant_id, connector_id`),
    rows(`SELECT tenant_id AS tenant, connector_id AS connector,
                 extract(epoch FROM clock_timestamp() - min(marked_at)) AS value
            FROM stock_dirty GROUP BY tenant_id, connector_id`),
    rows(`SELECT tenant_id AS tenant, connector_id AS connector, count(*) AS value
            FROM channel_mapping_issues WHERE resolved_at IS NULL GROUP BY tenant_id, connector_id`),
    rows(`SELECT tenant_id AS tenant, connector_id AS connector, count(*) AS value
            FROM stock_listings WHERE set_aside IS NOT NULL GROUP BY tenant_id, connector_id`),
    rows(`SELECT tenant_id AS tenant, property_id AS property, count(*) AS value
            FROM pos_charge_reviews GROUP BY tenant_id, property_id`),
    rows(`SELECT tenant_id AS tenant, connector_id AS connector, count(*) AS value
            FROM shipments
           WHERE status = 'purchased' AND (tracking_status IS NULL OR tracking_status IN ('pre_transit', 'unknown'))
             AND created_at < now() - interval '${STUCK_PARCEL_HOURS} hours'
           GROUP BY tenant_id, connector_id`),
  ]);
  return {
    // Both statuses always, so a backlog of none reads 0 rather than no figure at all.
    deliveries: (['pending', 'dead'] as const).map((status) => ({
      labels: { status },
      value: Number(deliveries.find((row) => row.status === status)?.value ?? 0),
    })),
    channelLagSeconds: figures([...rooms, ...stock]),
    setAsideMappings: figures([...refusedRooms, ...refusedSkus]),
    chargeReviews: figures(reviews),
    stuckParcels: figures(parcels),
  };
}
