import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import { refusalMessage } from '../intake/orders';
import type { TenantLocals } from './auth';
import { sendError } from './errors';
import { validationStatus, zodIssues } from './validation';

type TenantResponse = Response<unknown, TenantLocals>;

/**
 * `POST <base>/:id/<action>` on a running process: the body is validated, the workflow's Update
 * answers with the process after the action, and a refusal comes back as 409 with its reason
 * (a process already closed is refused with the state it ended in).
 */
export function workflowAction<S extends z.ZodType>(
  router: Router,
  target: {
    base: string;
    what: string;
    handleOf: (req: Request, res: TenantResponse) => WorkflowHandle | undefined;
    statusOf: (handle: WorkflowHandle) => Promise<{ id: string; status: string }>;
  },
  action: string,
  schema: S,
  run: (handle: WorkflowHandle, body: z.infer<S>) => Promise<unknown>,
): void {
  router.post(`${target.base}/:id/${action}`, async (req, res: TenantResponse) => {
    const parsed = schema.safeParse(req.body ?? {});
    if (!parsed.success)
      return sendError(
        res,
        validationStatus(parsed.error),
        `invalid_${action}`,
        `the ${action} request failed validation`,
        zodIssues(parsed.error),
      );
    const handle = target.handleOf(req, res);
    if (!handle) return;
    try {
      res.json(await run(handle, parsed.data));
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
