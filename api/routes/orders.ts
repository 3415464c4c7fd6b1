import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Request } from 'express';
import { z } from 'zod';
import { parsePublicOrderId } from '../../domain/orders/ids';
import {
  editOrderUpdate,
  editRequestSchema,
  getOrderQuery,
  orderWorkflowId,
} from '../../workflows/orders/contract';
import { reasonSchema } from '../../workflows/shared/contract';
import { canonicalOrderSchema } from '../../domain/orders/order';
import { orderViewSchema } from '../../domain/orders/status';
import { ORDER_STATUSES } from '../../domain/orders/status';
import { tenantCarriers } from '../../platform/config/schema';
import { refusalMessage } from '../../intake/orders';
import type { TenantLocals, TenantResponse } from '../auth';
import { sendError } from '../errors';
import { validationStatus, zodIssues } from '../validation';
import { ApiRoutes, type RouterServices } from '../route-registry';
import {
  errorResponse,
  inputSchema,
  jsonBody,
  jsonResponse,
  orderIdParameter,
  queryParameter,
  SchemaRef,
  viewSchema,
} from '../openapi-parts';
import { processView } from '../../intake/process-view';
import { onFound } from '../path-target';

/** The canonical order as POST /v1/orders takes it: `channel` may be left out (then `rest`). */
const CANONICAL_ORDER = new SchemaRef('CanonicalOrder', () => {
  const order = inputSchema(canonicalOrderSchema());
  const properties = order.properties as Record<string, Record<string, unknown>>;
  return {
    ...order,
    required: (order.required as string[] | undefined)?.filter((field) => field !== 'channel'),
    properties: { ...properties, channel: { ...properties.channel, default: 'rest' } },
  };
});
const ORDER = viewSchema('Order', orderViewSchema());
const ORDER_ACCEPTED = viewSchema(
  'OrderAccepted',
  z.object({
    id: z.string().meta({ examples: ['rest:1001'] }),
    workflowId: z.string(),
    duplicate: z.boolean(),
    status: z.literal('received').optional().describe('a new order; a duplicate has none'),
    links: z.object({ self: z.string() }),
  }),
);
const ORDER_LIST = viewSchema(
  'OrderList',
  z.object({
    orders: z.array(
      z.object({
        id: z.string(),
        status: z.enum(ORDER_STATUSES),
        workflowId: z.string(),
        startTime: z.iso.datetime({ offset: true }),
      }),
    ),
  }),
);

export function ordersRouter(deps: RouterServices<'client' | 'config' | 'intake'>): ApiRoutes<TenantLocals> {
  const router = new ApiRoutes<TenantLocals>();

  /** The order the path names (`channel:externalId`), or undefined after answering 404. */
  function orderRef(req: Request, res: TenantResponse) {
    const ref = parsePublicOrderId(String(req.params.id));
    if (!ref) sendError(res, 404, 'not_found', `no order ${String(req.params.id)}`);
    return ref;
  }

  /** The workflow of the order the path names, or undefined after answering 404. */
  function orderHandle(req: Request, res: TenantResponse) {
    const ref = orderRef(req, res);
    if (!ref) return undefined;
    return deps.client.workflow.getHandle(orderWorkflowId(res.locals.tenant.id, ref.channel, ref.externalId));
  }

  /**
   * Accepts a canonical order. The same channel + external id is one order, however often and
   * by whichever route it arrives. Business rules (currency, SKUs, stock) are the workflow's:
   * an order that breaks them is accepted and ends `rejected` with its reasons.
   */
  router.post(
    '/v1/orders',
    {
      summary: 'Submit an order',
      description:
        'Starts the order workflow. Posting the same channel and externalId again returns the existing order.',
      requestBody: jsonBody(CANONICAL_ORDER),
      responses: {
        '202': jsonResponse('Accepted; processing started', ORDER_ACCEPTED),
        '200': jsonResponse('Already accepted earlier (duplicate)', ORDER_ACCEPTED),
        '400': errorResponse('Invalid order, with the reasons'),
        '422': errorResponse('A rule across lines refused it (a SKU on two lines), named'),
      },
    },
    async (req, res: TenantResponse) => {
      const tenant = res.locals.tenant;
      const body: unknown = req.body;
      const parsed = canonicalOrderSchema().safeParse(
        body && typeof body === 'object' ? { channel: 'rest', ...body } : body,
      );
      if (!parsed.success)
        return sendError(
          res,
          validationStatus(parsed.error),
          'invalid_order',
          'the order failed validation',
          zodIssues(parsed.error),
        );
      if (tenantCarriers(tenant).length === 0) {
        return sendError(res, 422, 'no_carrier', `tenant ${tenant.id} has no carrier connector configured`);
      }
      const submitted = await deps.intake.submit(tenant, parsed.data, 'api');
      const links = { self: `/v1/orders/${submitted.id}` };
      if (submitted.duplicate) return res.status(200).json({ ...submitted, links });
      res
        .status(202)
        .location(links.self)
        .json({ ...submitted, status: 'received', links });
    },
  );

  /** Orders of this tenant by status, newest first, from Temporal's visibility store. */
  router.get(
    '/v1/orders',
    {
      summary: 'Orders of this tenant, optionally by status',
      parameters: [
        queryParameter('status', { type: 'string', enum: [...ORDER_STATUSES] }),
        queryParameter('limit', { type: 'integer', minimum: 1, maximum: 500, default: 50 }),
      ],
      responses: {
        '200': jsonResponse('Order ids and statuses, newest first', ORDER_LIST),
        '400': errorResponse('Unknown status or invalid limit'),
      },
    },
    async (req, res: TenantResponse) => {
      const status = req.query.status as unknown;
      if (status !== undefined && !(ORDER_STATUSES as readonly unknown[]).includes(status)) {
        return sendError(res, 400, 'invalid_status', `status must be one of ${ORDER_STATUSES.join(', ')}`);
      }
      const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500)
        return sendError(res, 400, 'invalid_limit', 'limit must be a whole number from 1 to 500', [
          { path: 'limit', message: 'must be a whole number from 1 to 500' },
        ]);
      // Returns carry the order id too; they are listed under /v1/orders/:id/returns.
      const query = [
        `CrossdockTenant = "${res.locals.tenant.id}"`,
        `CrossdockOrderId IS NOT NULL`,
        `CrossdockRmaId IS NULL`,
      ];
      if (status) query.push(`CrossdockStatus = "${status as string}"`);
      const orders: Array<{ id: unknown; status: unknown; workflowId: string; startTime: string }> = [];
      for await (const execution of deps.client.workflow.list({ query: query.join(' AND ') })) {
        const attributes = execution.searchAttributes as Record<string, unknown[] | undefined>;
        orders.push({
          id: attributes.CrossdockOrderId?.[0],
          status: attributes.CrossdockStatus?.[0],
          workflowId: execution.workflowId,
          startTime: execution.startTime.toISOString(),
        });
        if (orders.length >= limit) break;
      }
      res.json({ orders });
    },
  );

  /** Answers from the order workflow itself, so it is never behind the process it describes. */
  router.get(
    '/v1/orders/:id',
    {
      summary: 'Order state and timeline',
      parameters: [orderIdParameter],
      responses: {
        '200': jsonResponse('The order', ORDER),
        '404': errorResponse('No such order for this tenant'),
      },
    },
    onFound(orderHandle, async (handle, req, res) => {
      try {
        res.json(await processView(handle, getOrderQuery));
      } catch (error) {
        if (error instanceof WorkflowNotFoundError)
          return sendError(res, 404, 'not_found', `no order ${String(req.params.id)}`);
        throw error;
      }
    }),
  );

  /** Cancels before anything left a warehouse; answers when the compensation has run. */
  router.post(
    '/v1/orders/:id/cancel',
    {
      summary: 'Cancel before anything left a warehouse',
      description: 'Voids labels, releases stock and refunds through the channel, in that order.',
      parameters: [orderIdParameter],
      body: { schema: reasonSchema(), name: 'Reason', refused: 'invalid_cancel' },
      responses: {
        '200': jsonResponse('The cancelled order', ORDER),
        '400': errorResponse('Invalid body (a reason is needed)'),
        '404': errorResponse('No such order for this tenant'),
        '409': errorResponse('Refused, with the reason (already shipped…)'),
      },
    },
    onFound(orderRef, async (ref, req, res) => {
      const result = await deps.intake.cancel(res.locals.tenant.id, ref.channel, ref.externalId, {
        reason: res.locals.body.reason,
        origin: 'api',
      });
      if (result.notFound) return sendError(res, 404, 'not_found', `no order ${String(req.params.id)}`);
      if (result.refused) return sendError(res, 409, 'cancel_refused', result.refused);
      res.json(result.view);
    }),
  );

  /** Changes lines (stock re-checked, all or nothing) or the address, until labels are bought. */
  router.patch(
    '/v1/orders/:id',
    {
      summary: 'Edit lines or shipping address until labels are bought',
      description: 'Line changes re-check stock in one transaction: all or nothing.',
      parameters: [orderIdParameter],
      body: { schema: editRequestSchema(), name: 'EditRequest', refused: 'invalid_edit' },
      responses: {
        '200': jsonResponse('The edited order', ORDER),
        '400': errorResponse('Invalid edit'),
        '404': errorResponse('No such order for this tenant'),
        '409': errorResponse('Refused, with the reason (too late, not enough stock…)'),
      },
    },
    onFound(orderHandle, async (handle, req, res) => {
      try {
        res.json(await handle.executeUpdate(editOrderUpdate, { args: [res.locals.body] }));
      } catch (error) {
        if (error instanceof WorkflowNotFoundError)
          return sendError(res, 404, 'not_found', `no order ${String(req.params.id)}`);
        if (error instanceof WorkflowUpdateFailedError)
          return sendError(res, 409, 'edit_refused', refusalMessage(error));
        throw error;
      }
    }),
  );

  return router;
}
