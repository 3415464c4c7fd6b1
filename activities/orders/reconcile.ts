import { heartbeat } from '@temporalio/activity';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../../connectors/registry';
import { canonicalFromShopify, isShopifyOrderCancelled } from '../../domain/orders/channels/shopify';
import type { OrderIntake } from '../../intake/orders';

export interface ReconcileResult {
  seen: number;
  started: number;
  cancelled: number;
  since: string;
  cursor: string;
}

const STREAM = 'orders';

/**
 * Pulls every order the store changed since the last run and feeds it through the same intake as
 * webhooks: an order whose webhook never came is started now; one already known is a duplicate
 * and only hears about payment or cancellation. The cursor moves only after all were handed over.
 */
export function createReconcileActivities(deps: {
  sequelize: Sequelize;
  connectors: ConnectorRegistry;
  intake?: OrderIntake;
}) {
  return {
    async reconcileShopifyOrders(request: { connectorId: string; now?: string }): Promise<ReconcileResult> {
      const intake = deps.intake;
      if (!intake) throw new Error('reconcile needs the order intake (a Temporal client) in this worker');
      const connector = deps.connectors.find(request.connectorId, 'marketplace');
      const tenant = deps.connectors.config.tenants.find((t) => t.id === connector?.tenant);
      if (!connector || !tenant) throw new Error(`no Shopify connector "${request.connectorId}"`);
      const store = deps.connectors.shopifyStore(request.connectorId);

      const [row] = await deps.sequelize.query<{ position: string }>(
        `SELECT position FROM sync_cursors WHERE connector_id = :connectorId AND stream = :stream`,
        { replacements: { connectorId: request.connectorId, stream: STREAM }, type: QueryTypes.SELECT },
      );
      const now = Date.parse(request.now ?? new Date().toISOString());
      const since = new Date(
        row ? Date.parse(row.position) - store.options.reconcileOverlapSeconds * 1000 : now - 86_400_000,
      ).toISOString();

      const orders = await store.ordersUpdatedSince(since);
      let started = 0;
      let cancelled = 0;
      let cursor = row?.position ?? since;
      for (const order of orders) {
        heartbeat(order.id);
        const candidate = canonicalFromShopify(order);
        if (isShopifyOrderCancelled(order)) {
          const result = await intake.cancel(tenant.id, 'shopify', String(order.id), {
            reason: 'cancelled on Shopify',
            origin: 'channel',
          });
          if (result.view) cancelled += 1;
        } else {
          const submitted = await intake.submit(tenant, candidate, 'reconcile', {
            paymentStatus: candidate.paymentStatus,
            shippingAddress: candidate.shippingAddress,
          });
          if (!submitted.duplicate) started += 1;
        }
        if (order.updated_at && Date.parse(order.updated_at) > Date.parse(cursor)) cursor = order.updated_at;
      }
      await deps.sequelize.query(
        `INSERT INTO sync_cursors (connector_id, stream, position) VALUES (:connectorId, :stream, :cursor)
         ON CONFLICT (connector_id, stream) DO UPDATE SET position = :cursor, updated_at = now()`,
        { replacements: { connectorId: request.connectorId, stream: STREAM, cursor } },
      );
      return { seen: orders.length, started, cancelled, since, cursor };
    },
  };
}
