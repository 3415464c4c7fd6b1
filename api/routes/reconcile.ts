import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import type { Request } from 'express';
import { z } from 'zod';
import { reconcilePassOf } from '../../intake/schedules';
import type { ConnectorConfig } from '../../platform/config/schema';
import type { TenantLocals, TenantResponse } from '../auth';
import { sendError } from '../errors';
import { ApiRoutes, type RouterServices } from '../route-registry';
import { errorResponse, jsonResponse, queryParameter, viewSchema } from '../openapi-parts';
import { zodIssues } from '../validation';

/** How long a carrier's parcels must have been quiet to be asked about (a week at most). */
export const reconcileQuerySchema = z.object({
  quietMinutes: z.coerce
    .number()
    .int('must be a whole number from 0 to 10080')
    .min(0, 'must be a whole number from 0 to 10080')
    .max(10_080, 'must be a whole number from 0 to 10080')
    .optional(),
});

const RECONCILED = viewSchema(
  'Reconciled',
  z.object({
    connectorId: z.string(),
    reconcile: z.string().describe('the pass that ran (its workflow type)'),
    workflowId: z.string(),
    found: z.record(z.string(), z.unknown()).describe('what the pass found and fixed'),
  }),
);

/**
 * Reconciles on demand, as ops do after an outage rather than wait for the schedule: a store's
 * orders changed since its last pass, a pull channel's waiting reservations, a carrier's quiet
 * parcels. The pass is the one the connector's schedule runs (`reconcilePassOf`), started now in
 * a workflow of its own, and the answer is what it found and fixed.
 */
export function reconcileRouter(
  deps: RouterServices<'client' | 'config' | 'connectors'>,
): ApiRoutes<TenantLocals> {
  const router = new ApiRoutes<TenantLocals>();
  const reconcile = (kinds: Array<ConnectorConfig['kind']>) => async (req: Request, res: TenantResponse) => {
    const connector = deps.config.connectors.find(
      (c) => c.id === req.params.id && c.tenant === res.locals.tenant.id && kinds.includes(c.kind),
    );
    if (!connector)
      return sendError(res, 404, 'not_found', `no ${kinds.join(' or ')} connector ${String(req.params.id)}`);
    const query = reconcileQuerySchema.safeParse(req.query);
    if (!query.success)
      return sendError(
        res,
        400,
        'invalid_query',
        'quietMinutes must be a whole number from 0 to 10080',
        zodIssues(query.error),
      );
    const pass = reconcilePassOf(connector, deps.connectors, query.data.quietMinutes);
    if (!pass)
      return sendError(
        res,
        409,
        'nothing_to_reconcile',
        `${connector.id} is pushed to, not read from: use resync`,
      );
    // Its own workflow id, answered, so ops find the pass in the Temporal UI.
    const workflowId = `reconcile:${connector.tenant}:${connector.id}:${randomUUID()}`;
    let found: unknown;
    try {
      found = await deps.client.workflow.execute(pass.workflowType, {
        taskQueue: deps.config.temporal.orchestrationTaskQueue,
        workflowId,
        args: pass.args,
        staticSummary: `${pass.summary} (on demand)`,
        workflowExecutionTimeout: '10 minutes',
      });
    } catch (error) {
      if (!(error instanceof WorkflowFailedError)) throw error;
      // The partner refused the pass, or its retries ran out: ops get why, and the run to open.
      return sendError(res, 502, 'reconcile_failed', `the pass failed: ${innermostMessage(error)}`, {
        workflowId,
      });
    }
    res.json({ connectorId: connector.id, reconcile: pass.workflowType, workflowId, found });
  };
  const failed = errorResponse(
    "The pass failed: the partner refused it or its retries ran out (the message says why; the details name the pass's workflow)",
  );
  router.post(
    '/v1/channels/:id/reconcile',
    {
      summary:
        "Reconcile now: a Shopify store's orders changed since its last pass, or a pull channel's waiting reservations",
      responses: {
        '200': jsonResponse('What the pass found and fixed (the same pass as the schedule runs)', RECONCILED),
        '404': errorResponse('No such store or pull channel for this tenant'),
        '409': errorResponse('The channel is pushed to, not read from: resync it instead'),
        '502': failed,
      },
    },
    reconcile(['marketplace', 'ota']),
  );
  router.post(
    '/v1/carriers/:id/reconcile',
    {
      summary:
        "Reconcile a carrier's quiet parcels now: scans its webhooks never brought are fetched and signalled",
      parameters: [
        queryParameter('quietMinutes', { type: 'integer', minimum: 0, maximum: 10080, default: 60 }),
      ],
      responses: {
        '200': jsonResponse('How many scans were signalled to their orders and returns', RECONCILED),
        '400': errorResponse('quietMinutes out of range'),
        '404': errorResponse('No such carrier connector for this tenant'),
        '502': failed,
      },
    },
    reconcile(['carrier']),
  );
  return router;
}

/** The message of the failure at the root of a failed run (an activity's, not Temporal's wrapping). */
function innermostMessage(error: Error): string {
  let innermost = error;
  while (innermost.cause instanceof Error) innermost = innermost.cause;
  return innermost.message;
}
