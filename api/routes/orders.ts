import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Router, type Response } from 'express';
import { orderWorkflowId, parsePublicOrderId, publicOrderId } from '../../domain/orders/ids';
import { canonicalOrderSchema } from '../../domain/orders/order';
import { SA_CHANNEL, SA_ORDER_ID, SA_STATUS, SA_TENANT } from '../../domain/search-attributes';
import type { HubConfig } from '../../platform/config/schema';
import type { orderFulfillment } from '../../workflows';
import { getOrderQuery, type OrderWorkflowInput } from '../../workflows/orders/definitions';
import type { TenantLocals } from '../auth';
import { sendError } from '../errors';
import { zodIssues } from '../validation';

export function ordersRouter(deps: { client: Client; config: HubConfig }): Router {
  const router = Router();

  /** Accepts a canonical order. The same channel + external id is one order, however often it is posted. */
  router.post('/v1/orders', async (req, res: Response<unknown, TenantLocals>) => {
    const tenant = res.locals.tenant;
    const body: unknown = req.body;
    const parsed = canonicalOrderSchema.safeParse(
      body && typeof body === 'object' ? { channel: 'rest', ...body } : body,
    );
    if (!parsed.success)
      return sendError(res, 400, 'invalid_order', 'the order failed validation', zodIssues(parsed.error));
    const order = parsed.data;
    const carrierConnectorId = tenant.defaults.carrier;
    if (!carrierConnectorId) {
      return sendError(
        res,
        422,
        'no_carrier',
        `tenant ${tenant.id} has no default carrier connector configured`,
      );
    }

    const id = publicOrderId(order.channel, order.externalId);
    const workflowId = orderWorkflowId(tenant.id, order.channel, order.externalId);
    const input: OrderWorkflowInput = {
      tenantId: tenant.id,
      order,
      carrierConnectorId,
      receivedAt: new Date().toISOString(),
    };
    try {
      await deps.client.workflow.start<typeof orderFulfillment>('orderFulfillment', {
        workflowId,
        taskQueue: deps.config.temporal.orchestrationTaskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: SA_TENANT, value: tenant.id },
          { key: SA_CHANNEL, value: order.channel },
          { key: SA_ORDER_ID, value: id },
          { key: SA_STATUS, value: 'received' },
        ],
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        return res.status(200).json({ id, workflowId, duplicate: true, links: { self: `/v1/orders/${id}` } });
      }
      throw error;
    }
    res
      .status(202)
      .location(`/v1/orders/${id}`)
      .json({ id, workflowId, status: 'received', duplicate: false, links: { self: `/v1/orders/${id}` } });
  });

  /** Answers from the order workflow itself, so it is never behind the process it describes. */
  router.get('/v1/orders/:id', async (req, res: Response<unknown, TenantLocals>) => {
    const ref = parsePublicOrderId(String(req.params.id));
    if (!ref) return sendError(res, 404, 'not_found', `no order ${String(req.params.id)}`);
    const handle = deps.client.workflow.getHandle(
      orderWorkflowId(res.locals.tenant.id, ref.channel, ref.externalId),
    );
    try {
      res.json(await handle.query(getOrderQuery));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError)
        return sendError(res, 404, 'not_found', `no order ${String(req.params.id)}`);
      throw error;
    }
  });

  return router;
}
