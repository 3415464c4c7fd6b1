import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { refusalMessage } from '../intake/orders';
import type { TenantLocals } from './auth';
import { sendError } from './errors';
import type { ApiRoutes } from './route-registry';
import { errorResponse, jsonResponse, type SchemaRef } from './openapi-parts';

type TenantResponse = Response<unknown, TenantLocals>;

/**
 * `POST <base>/:id/<action>` on a running process: the body is validated, the workflow's Update
 * answers with the process after the action, and a refusal comes back as 409 with its reason
 * (a process already closed is refused with the state it ended in).
 */
export function workflowAction<S extends z.ZodType>(
  router: ApiRoutes<TenantLocals>,
  target: {
    base: string;
    what: string;
    /** The process as the action answers it. */
    view: SchemaRef;
    handleOf: (req: Request, res: TenantResponse) => WorkflowHandle | undefined;
    statusOf: (handle: WorkflowHandle) => Promise<{ id: string; status: string }>;
  },
  action: string,
  /** What the document says: the summary, and the name of the body's schema. */
  doc: { summary: string; body: string },
  /** The body the action takes: validated before the process is asked (`route-registry.ts`). */
  schema: S,
  run: (handle: WorkflowHandle, body: z.infer<S>) => Promise<unknown>,
): void {
  const operation = {
    summary: doc.summary,
    body: { schema, name: doc.body, refused: `invalid_${action}` },
    responses: {
      '200': jsonResponse('After the action', target.view),
      '400': errorResponse('Invalid request body'),
      '404': errorResponse('Not found'),
      '409': errorResponse('Not possible in this state, with the reason'),
      '422': errorResponse('A rule across fields refused it (a departure before its arrival…), named'),
    },
  };
  router.post(`${target.base}/:id/${action}`, operation, async (req, res) => {
    const handle = target.handleOf(req, res);
    if (!handle) return;
    try {
      res.json(await run(handle, res.locals.body));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        try {
          const view = await target.statusOf(handle);
          return sendError(res, 409, `${action}_refused`, `${target.what} ${view.id} is ${view.status}`);
        } catch {
          return sendError(res, 404, 'not_found', `no ${target.what} ${String(req.params.id)}`);
        }
      }
      if (error instanceof WorkflowUpdateFailedError)
        return sendError(res, 409, `${action}_refused`, refusalMessage(error));
      throw error;
    }
  });
}
