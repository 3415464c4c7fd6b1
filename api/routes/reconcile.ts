import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Router, type Request, type Response } from 'express';
import type { ConnectorConfig, HubConfig } from '../../platform/config/schema';
import type { TenantLocals } from '../auth';
import { sendError } from '../errors';

type TenantResponse = Response<unknown, TenantLocals>;

/** Which reconcile a connector has: the same workflow its schedule runs, with the same input. */
function reconcileOf(
  connector: ConnectorConfig,
  quietMinutes: number | undefined,
): { workflowType: string; args: unknown[] } | undefined {
  if (connector.kind === 'marketplace' && connector.type === 'shopify')
    return { workflowType: 'shopifyReconcile', args: [{ connectorId: connector.id }] };
  if (connector.kind === 'ota' && (connector.options as { pullEverySeconds?: number }).pullEverySeconds)
    return {
      workflowType: 'otaReservationPull',
      args: [{ tenantId: connector.tenant, connectorId: connector.id }],
    };
  if (connector.kind === 'carrier')
    return {
      workflowType: 'trackerReconcile',
      args: [{ tenantId: connector.tenant, connectorId: connector.id, quietMinutes }],
    };
  return undefined;
}

/**
 * Reconciles on demand, as ops do after an outage rather than wait for the schedule: a store's
 * orders changed since its last pass, a pull channel's waiting reservations, a carrier's quiet
 * parcels. The pass runs as the scheduled one does (its own workflow, the same activities) and
 * the answer is what it found and fixed.
 */
export function reconcileRouter(deps: { client: Client; config: HubConfig }): Router {
  const router = Router();
  const reconcile = (kinds: Array<ConnectorConfig['kind']>) => async (req: Request, res: TenantResponse) => {
    const connector = deps.config.connectors.find(
      (c) => c.id === req.params.id && c.tenant === res.locals.tenant.id && kinds.includes(c.kind),
    );
    if (!connector)
      return sendError(res, 404, 'not_found', `no ${kinds.join(' or ')} connector ${String(req.params.id)}`);
    const quiet = req.query.quietMinutes === undefined ? undefined : Number(req.query.quietMinutes);
    if (quiet !== undefined && !(Number.isInteger(quiet) && quiet >= 0 && quiet <= 10_080))
      return sendError(res, 400, 'invalid_query', 'quietMinutes must be a whole number from 0 to 10080', [
        { path: 'quietMinutes', message: 'must be a whole number from 0 to 10080' },
      ]);
    const pass = reconcileOf(connector, quiet);
    if (!pass)
      return sendError(
        res,
        409,
        'nothing_to_reconcile',
        `${connector.id} is pushed to, not read from: use resync`,
      );
    const found = await deps.client.workflow.execute(pass.workflowType, {
      taskQueue: deps.config.temporal.orchestrationTaskQueue,
      workflowId: `reconcile:${connector.tenant}:${connector.id}:${randomUUID()}`,
      args: pass.args,
      workflowExecutionTimeout: '10 minutes',
    });
    res.json({ connectorId: connector.id, reconcile: pass.workflowType, found });
  };
  router.post('/v1/channels/:id/reconcile', reconcile(['marketplace', 'ota']));
  router.post('/v1/carriers/:id/reconcile', reconcile(['carrier']));
  return router;
}
