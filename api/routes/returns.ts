import type { Request } from 'express';
import { returnsOfOrder } from '../../db/returns';
import { parsePublicOrderId } from '../../domain/orders/ids';
import { orderWorkflowId } from '../../workflows/orders/contract';
import { RMA_ID_PATTERN, returnViewSchema } from '../../domain/returns/return';
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
import type { TenantLocals, TenantResponse } from '../auth';
import { sendError } from '../errors';
import { processRoutes } from '../workflow-actions';
import { reasonSchema } from '../../workflows/shared/contract';
import { ApiRoutes, type RouterServices } from '../route-registry';
import { z } from 'zod';
import { decimalAmount, errorResponse, jsonResponse, orderIdParameter, viewSchema } from '../openapi-parts';

const RETURN = viewSchema('Return', returnViewSchema);
const ORDER_RETURNS = viewSchema(
  'OrderReturns',
  z.object({
    returns: z.array(
      z.object({
        id: z.string(),
        status: z.enum(['open', 'received', 'refunded', 'closed', 'void']),
        lines: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() })),
        refunded: decimalAmount().optional(),
        createdAt: z.iso.datetime({ offset: true }),
      }),
    ),
  }),
);

export function returnsRouter(
  deps: RouterServices<'client' | 'sequelize' | 'returns'>,
): ApiRoutes<TenantLocals> {
  const router = new ApiRoutes<TenantLocals>();

  /**
   * Requests a return of a delivered order. Eligibility (window, returnable SKUs, units left) is
   * answered at once with 422 and its reasons; an accepted request is an RMA with its own workflow.
   */
  router.post(
    '/v1/orders/:id/returns',
    {
      summary: 'Request a return of a delivered order (optionally an exchange)',
      description:
        'Eligibility (window from delivery, returnable SKUs, units not yet returned or requested) is answered at once. The same `reference` again returns the same RMA.',
      parameters: [orderIdParameter],
      body: { schema: returnRequestSchema, name: 'ReturnRequest', refused: 'invalid_return' },
      responses: {
        '201': jsonResponse('Return accepted', RETURN),
        '200': jsonResponse('Already requested with this reference', RETURN),
        '404': errorResponse('No such order'),
        '409': errorResponse('The order is not delivered yet'),
        '422': errorResponse('Not eligible, with the reasons'),
      },
    },
    async (req, res) => {
      const ref = parsePublicOrderId(String(req.params.id));
      if (!ref) return sendError(res, 404, 'not_found', `no order ${String(req.params.id)}`);
      const outcome = await deps.returns.request(res.locals.tenant, ref, res.locals.body, 'api');
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
    },
  );

  /** Every return of an order, oldest first, with what each holds and refunded. */
  router.get(
    '/v1/orders/:id/returns',
    {
      summary: 'Returns of an order, oldest first, with what each holds and refunded',
      parameters: [orderIdParameter],
      responses: { '200': jsonResponse('The returns', ORDER_RETURNS), '404': errorResponse('No such order') },
    },
    async (req, res: TenantResponse) => {
      const ref = parsePublicOrderId(String(req.params.id));
      if (!ref) return sendError(res, 404, 'not_found', `no order ${String(req.params.id)}`);
      const orderKey = orderWorkflowId(res.locals.tenant.id, ref.channel, ref.externalId);
      res.json({ returns: await returnsOfOrder(deps.sequelize, res.locals.tenant.id, orderKey) });
    },
  );

  function handleOf(req: Request, res: TenantResponse) {
    const id = String(req.params.id);
    if (!RMA_ID_PATTERN.test(id)) {
      sendError(res, 404, 'not_found', `no return ${id}`);
      return undefined;
    }
    return deps.client.workflow.getHandle(returnWorkflowId(res.locals.tenant.id, id));
  }

  processRoutes(
    router,
    { base: '/v1/returns', what: 'return', query: getReturnQuery, view: RETURN, handleOf },
    { summary: 'A return (RMA) with its label, receipt, refund and timeline' },
    {
      approve: {
        summary: 'Approve a return held for a decision',
        body: { name: 'ApproveReturn', schema: approveReturnSchema },
        update: approveReturnUpdate,
      },
      reject: {
        summary: 'Reject a return held for a decision',
        body: { name: 'Reason', schema: reasonSchema() },
        update: rejectReturnUpdate,
      },
      receive: {
        summary: 'Receive the goods with their condition: sellable back to stock, damaged written off',
        body: { name: 'ReceiveReturn', schema: receiveReturnSchema },
        update: receiveReturnUpdate,
      },
    },
  );

  return router;
}
