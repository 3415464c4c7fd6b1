import { QueryTypes, type Sequelize } from 'sequelize';
import type { OrderFact } from '../../domain/orders/report';

/**
 * Each order a tenant received between two dates (UTC, inclusive), from the events kept for
 * reports (`order_report_events`) and the stock ledger (where its stock was reserved or shipped).
 */
export async function orderFacts(
  sequelize: Sequelize,
  tenantId: string,
  range: { from: string; to: string },
): Promise<OrderFact[]> {
  const rows = await sequelize.query<{
    order_id: string;
    received_at: Date;
    total: string | null;
    currency: string | null;
    shipped_at: Date | null;
    parcels: number | null;
    delivered_at: Date | null;
    rejection: string | null;
    cancelled: boolean;
    exception: boolean;
    returned: boolean;
    locations: string[] | null;
  }>(
    `WITH orders AS (
       SELECT order_id, min(occurred_at) AS received_at
         FROM order_report_events
        WHERE tenant_id = :tenantId AND type IN ('order.created', 'order.rejected')
        GROUP BY order_id
       HAVING min(occurred_at) >= CAST(:from AS date) AND min(occurred_at) < CAST(:to AS date) + 1
     ),
     steps AS (
       SELECT e.order_id,
              max(e.data->'totals'->>'total') FILTER (WHERE e.type = 'order.created') AS total,
              max(e.data->'totals'->>'currency') FILTER (WHERE e.type = 'order.created') AS currency,
              min(e.occurred_at) FILTER (WHERE e.type = 'order.shipped') AS shipped_at,
              max(jsonb_array_length(e.data->'labels')) FILTER (WHERE e.type = 'order.shipped') AS parcels,
              min(e.occurred_at) FILTER (WHERE e.type = 'order.delivered') AS delivered_at,
              max(e.data->'rejection'->>'type') FILTER (WHERE e.type = 'order.rejected') AS rejection,
              bool_or(e.type = 'order.cancelled') AS cancelled,
              bool_or(e.type = 'order.exception') AS exception,
              bool_or(e.type = 'return.requested') AS returned
         FROM order_report_events e JOIN orders o USING (order_id)
        WHERE e.tenant_id = :tenantId
        GROUP BY e.order_id
     )
     SELECT o.order_id, o.received_at, s.total, s.currency, s.shipped_at, s.parcels, s.delivered_at,
            s.rejection, s.cancelled, s.exception, s.returned,
            (SELECT array_agg(DISTINCT m.location_id ORDER BY m.location_id) FROM inventory_movements m
              WHERE m.tenant_id = :tenantId AND m.kind IN ('reserve', 'fulfil')
                AND m.reference = 'order:' || :tenantId || ':' || o.order_id) AS locations
       FROM orders o JOIN steps s USING (order_id)
      ORDER BY o.received_at`,
    { replacements: { tenantId, ...range }, type: QueryTypes.SELECT },
  );
  const iso = (value: Date | null) => (value ? new Date(value).toISOString() : undefined);
  return rows.map((r) => ({
    orderId: r.order_id,
    receivedAt: new Date(r.received_at).toISOString(),
    ...(r.total ? { total: r.total, currency: r.currency ?? undefined } : {}),
    ...(r.shipped_at ? { shippedAt: iso(r.shipped_at), parcels: Number(r.parcels ?? 1) } : {}),
    ...(r.delivered_at ? { deliveredAt: iso(r.delivered_at) } : {}),
    ...(r.rejection ? { rejection: r.rejection } : {}),
    cancelled: r.cancelled,
    exception: r.exception,
    returned: r.returned,
    locations: r.locations ?? [],
  }));
}

/** Per SKU and location: on hand, reserved, available, and units shipped in the last 30 days. */
export async function inventoryFacts(
  sequelize: Sequelize,
  tenantId: string,
): Promise<Array<{ sku: string; locationId: string; onHand: number; reserved: number; shipped30d: number }>> {
  const rows = await sequelize.query<{
    sku: string;
    location_id: string;
    on_hand: number;
    reserved: number;
    shipped: string | null;
  }>(
    `SELECT l.sku, l.location_id, l.on_hand, l.reserved,
            (SELECT -sum(m.on_hand_delta) FROM inventory_movements m
              WHERE m.tenant_id = l.tenant_id AND m.sku = l.sku AND m.location_id = l.location_id
                AND m.kind = 'fulfil' AND m.created_at >= now() - interval '30 days') AS shipped
       FROM inventory_levels l
      WHERE l.tenant_id = :tenantId
      ORDER BY l.sku, l.location_id`,
    { replacements: { tenantId }, type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({
    sku: r.sku,
    locationId: r.location_id,
    onHand: Number(r.on_hand),
    reserved: Number(r.reserved),
    shipped30d: Number(r.shipped ?? 0),
  }));
}
