import { Router, type RequestHandler } from 'express';
import type { ParamsDictionary } from 'express-serve-static-core';
import type { ParsedQs } from 'qs';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** An OpenAPI operation as a route declares it; schemas may be `SchemaRef`s (see `openapi-parts.ts`). */
export interface OperationDoc {
  summary: string;
  description?: string;
  /** `[]` for routes that authenticate otherwise (a partner's signature, AlpineBits credentials). */
  security?: unknown[];
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}

/** One route: where it is mounted (Express path) and what the document says of it. */
export interface DeclaredRoute {
  method: HttpMethod;
  path: string;
  operation: OperationDoc;
}

/**
 * The one place a route is both mounted and documented: every route of the API goes through
 * `route` (or its shorthands), so the OpenAPI document (`openapi.ts`) is built from exactly the
 * routes that run, and a route cannot be mounted without saying what it takes and answers.
 */
/** Routes as the app takes them: the router to mount and what it declared. */
export interface MountableRoutes {
  readonly router: Router;
  readonly declared: readonly DeclaredRoute[];
}

/** A route's handler; `L` is what the middleware before it leaves in `res.locals` (the tenant). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Express's own bound for locals
export type Handler<L extends Record<string, any>> = RequestHandler<
  ParamsDictionary,
  unknown,
  unknown,
  ParsedQs,
  L
>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Express's own bound for locals
export class ApiRoutes<L extends Record<string, any> = Record<string, unknown>> implements MountableRoutes {
  readonly router: Router = Router();
  readonly declared: DeclaredRoute[] = [];

  route(method: HttpMethod, path: string, operation: OperationDoc, ...handlers: Handler<L>[]): this {
    this.declared.push({ method, path, operation });
    this.router[method](path, ...(handlers as RequestHandler[]));
    return this;
  }

  get(path: string, operation: OperationDoc, ...handlers: Handler<L>[]): this {
    return this.route('get', path, operation, ...handlers);
  }

  post(path: string, operation: OperationDoc, ...handlers: Handler<L>[]): this {
    return this.route('post', path, operation, ...handlers);
  }

  put(path: string, operation: OperationDoc, ...handlers: Handler<L>[]): this {
    return this.route('put', path, operation, ...handlers);
  }

  patch(path: string, operation: OperationDoc, ...handlers: Handler<L>[]): this {
    return this.route('patch', path, operation, ...handlers);
  }

  delete(path: string, operation: OperationDoc, ...handlers: Handler<L>[]): this {
    return this.route('delete', path, operation, ...handlers);
  }

  /** Middleware for a path prefix (a raw-body parser), mounted but not an operation. */
  use(path: string, ...handlers: Handler<L>[]): this {
    this.router.use(path, ...(handlers as RequestHandler[]));
    return this;
  }
}
