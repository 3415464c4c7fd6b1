import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import type { Request } from 'express';
import type { z } from 'zod';
import { refusalMessage } from '../intake/orders';
import type { TenantLocals, TenantResponse } from './auth';
import { sendError } from './errors';
import type { ApiRoutes } from './route-registry';
import { errorResponse, jsonResponse, type SchemaRef } from './openapi-parts';
import { processView } from '../intake/process-view';

/** A kind of long-running process as the API shows it: `GET <base>/:id` and its actions. */
export interface ProcessTarget<V extends { id: string; status: string }> {
  base: string;
  /** What one is called in messages. */
  what: string;
  /** Its Query, which answers the view. */
  query: QueryDefinition<V>;
  /** The view's schema in the document. */
  view: SchemaRef;
  /** The process the path names, or undefined after answering 404. */
  handleOf: (req: Request, res: TenantResponse) => WorkflowHandle | undefined;
}

/** One action on a running process: a body, and the workflow's Update it goes to. */
export interface ProcessAction<S extends z.ZodType> {
  summary: string;
  /** The body's schema and its name in the document. */
  body: { name: string; schema: S };
  update: UpdateDefinition<unknown, [z.output<S>]>;
}

/** An action of a table of them, whatever its body (each keeps its own schema and Update). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table of actions with different bodies
type AnyAction = ProcessAction<any>;

/**
 * `GET <base>/:id` answers the process's view (`processView`: its Query while it runs, never
 * behind it; its result once closed), and each `POST <base>/:id/<action>` goes to its Update:
 * the body is validated first, the answer is the process after the action, and a refusal is 409
 * with the reason (a process already closed is refused with the state it ended in).
 */
export function processRoutes<V extends { id: string; status: string }>(
  router: ApiRoutes<TenantLocals>,
  target: ProcessTarget<V>,
  doc: { summary: string },
  actions: Record<string, AnyAction>,
): void {
  router.get(
    `${target.base}/:id`,
    {
      summary: doc.summary,
      responses: {
        '200': jsonResponse(`The ${target.what}`, target.view),
        '404': errorResponse(`No such ${target.what}`),
      },
    },
    async (req, res: TenantResponse) => {
      const handle = target.handleOf(req, res);
      if (!handle) return;
      try {
        res.json(await processView(handle, target.query));
      } catch (error) {
        if (error instanceof WorkflowNotFoundError)
          return sendError(res, 404, 'not_found', `no ${target.what} ${String(req.params.id)}`);
        throw error;
      }
    },
  );
  for (const [action, { summary, body, update }] of Object.entries(actions))
    router.post(
      `${target.base}/:id/${action}`,
      {
        summary,
        body: { ...body, refused: `invalid_${action}` },
        responses: {
          '200': jsonResponse('After the action', target.view),
          '404': errorResponse('Not found'),
          '409': errorResponse('Not possible in this state, with the reason'),
          '422': errorResponse('A rule across fields refused it (a departure before its arrival…), named'),
        },
      },
      async (req, res) => {
        const handle = target.handleOf(req, res);
        if (!handle) return;
        try {
          res.json(await handle.executeUpdate(update, { args: [res.locals.body] }));
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) {
            try {
              const view = await processView(handle, target.query);
              return sendError(res, 409, `${action}_refused`, `${target.what} ${view.id} is ${view.status}`);
            } catch {
              return sendError(res, 404, 'not_found', `no ${target.what} ${String(req.params.id)}`);
            }
          }
          if (error instanceof WorkflowUpdateFailedError)
            return sendError(res, 409, `${action}_refused`, refusalMessage(error));
          throw error;
        }
      },
    );
}
