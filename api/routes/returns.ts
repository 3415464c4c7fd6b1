import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { Router, type Request, type Response } from 'express';
import type { Sequelize } from 'sequelize';
import { returnsOfOrder } from '../../db/returns';
import { parsePublicOrderId } from '../../domain/orders/ids';
import { orderWorkflowId } from '../../workflows/orders/contract';
import { RMA_ID_PATTERN } from '../../domain/returns/return';
import {
  returnWorkflowId,
  approveReturnUpdate,
  getReturnQuery,
  receiveReturnUpdate,
  rejectReturnUpdate,
  approveReturnSchema,
  receiveReturnSchema,
  returnRequestSchema,
} from '../../workflows/returns/contract';
import type { ReturnIntake } from '../../intake/returns';
import type { TenantLocals } from '../auth';
import { sendError } from '../errors';
import { workflowAction } from '../workflow-actions';
import { reasonSchema } from '../../workflows/shared/contract';
import { zodIssues } from '../validation';

type TenantResponse = Response<unknown, TenantLocals>;

export function returnsRouter(deps: { client: Client; sequelize: Sequelize; returns: ReturnIntake }): Router {
  const router = Router();

  /**
   * Requests a return of a delivered order. Eligibility (window, returnable SKUs, units left) is
   * answered at once with 422 and its reasons; an accepted request is an RMA with its own workflow.
   */
  router.post('/v1/orders/:id/returns', async (req, res: TenantResponse) => {
    const ref = parsePublicOrderId(String(req.params.id));
    if (!ref) return sendError(res, 404, 'not_found', `no order ${String(req.params.id)}`);
    const parsed = returnRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success)
      return sendError(
        res,
        400,
        'invalid_return',
        'the return request failed validation',
        zodIssues(parsed.error),
      );
    const outcome = await deps.returns.request(res.locals.tenant, ref, parsed.data, 'api');
    switch (outcome.kind) {
      case 'order_not_found':
        return sendError(res, 404, 'not_found', `no order ${String(req.params.id)}`);
      case 'order_not_delivered':
        return sendError(
          res,
          409,
          'order_not_delivered',
          `order ${String(req.params.id)} is ${outcome.status}; returns open once it is delivered`,
        );
      case 'ineligible':
        return sendError(res, 422, 'return_ineligible', 'the return is not allowed', outcome.reasons);
      default: {
        const self = `/v1/returns/${outcome.view.id}`;
        if (outcome.kind === 'duplicate') return res.status(200).json(outcome.view);
        return res.status(201).location(self).json(outcome.view);
      }
    }
  });

  /** Every return of an order, oldest first, with what each holds and refunded. */
  router.get('/v1/orders/:id/returns', async (req, res: TenantResponse) => {
    const ref = parsePublicOrderId(String(req.params.id));
    if (!ref) return sendError(res, 404, 'not_found', `no order ${String(req.params.id)}`);
    const orderKey = orderWorkflowId(res.locals.tenant.id, ref.channel, ref.externalId);
    res.json({ returns: await returnsOfOrder(deps.sequelize, res.locals.tenant.id, orderKey) });
  });

  function handleOf(req: Request, res: TenantResponse) {
    const id = String(req.params.id);
    if (!RMA_ID_PATTERN.test(id)) {
      sendError(res, 404, 'not_found', `no return ${id}`);
      return undefined;
    }
    return deps.client.workflow.getHandle(returnWorkflowId(res.locals.tenant.id, id));
  }

  router.get('/v1/returns/:id', async (req, res: TenantResponse) => {
    const handle = handleOf(req, res);
    if (!handle) return;
    try {
      res.json(await handle.query(getReturnQuery));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError)
        return sendError(res, 404, 'not_found', `no return ${String(req.params.id)}`);
      throw error;
    }
  });

  const target = {
    base: '/v1/returns',
    what: 'return',
    handleOf,
    statusOf: (handle: WorkflowHandle) => handle.query(getReturnQuery),
  };
  workflowAction(router, target, 'approve', approveReturnSchema, (handle, body) =>
    handle.executeUpdate(approveReturnUpdate, { args: [body] }),
  );
  workflowAction(router, target, 'reject', reasonSchema, (handle, body) =>
    handle.executeUpdate(rejectReturnUpdate, { args: [body] }),
  );
  workflowAction(router, target, 'receive', receiveReturnSchema, (handle, body) =>
    handle.executeUpdate(receiveReturnUpdate, { args: [body] }),
  );

  return router;
}
