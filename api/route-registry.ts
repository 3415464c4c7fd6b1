import { Router, type RequestHandler } from 'express';
import type { ParamsDictionary } from 'express-serve-static-core';
import type { ParsedQs } from 'qs';
import type { z } from 'zod';
import type { HubServices } from '../platform/services';
import { sendError } from './errors';
import { errorResponse, inputSchema, jsonBody, requestSchema } from './openapi-parts';
import { validationStatus, zodIssues } from './validation';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** An OpenAPI operation as the document shows it; schemas may be `SchemaRef`s (`openapi-parts.ts`). */
export interface OperationDoc {
  summary: string;
  description?: string;
  /** `[]` for routes that authenticate otherwise (a partner's signature, AlpineBits credentials). */
  security?: unknown[];
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}

/**
 * A JSON body a route takes: validated before its handler runs (400 naming each field, or 422
 * when only rules across fields refused it), the parsed value in `res.locals.body`, and
 * documented from the same schema.
 */
export interface BodyDoc<S extends z.ZodType> {
  schema: S;
  /** Its name among the document's schemas; unnamed, it is written out in place. */
  name?: string;
  /** The error code of a body refused, as `invalid_return`. */
  refused: string;
  /** An absent body is `{}` either way; `false` documents it as optional. */
  required?: boolean;
}

/** What a route declares: its operation, and the body it takes (if any). */
export type RouteDoc<S extends z.ZodType> = OperationDoc & { body?: BodyDoc<S> };

/** One route: where it is mounted (Express path) and what the document says of it. */
export interface DeclaredRoute {
  method: HttpMethod;
  path: string;
  operation: OperationDoc;
}

/** Routes as the app takes them: the router to mount and what it declared. */
export interface MountableRoutes {
  readonly router: Router;
  readonly declared: readonly DeclaredRoute[];
}

/** The hub's services a router uses: the app hands every router all of them, each names its own. */
export type RouterServices<K extends keyof HubServices> = Pick<HubServices, K>;

/** A route's handler; `L` is what the middleware before it leaves in `res.locals` (the tenant). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Express's own bound for locals
export type Handler<L extends Record<string, any>> = RequestHandler<
  ParamsDictionary,
  unknown,
  unknown,
  ParsedQs,
  L
>;

/** A route that takes no body (`get`, `delete`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Express's own bound for locals
type PlainRoute<L extends Record<string, any>, R> = (
  path: string,
  doc: OperationDoc,
  ...handlers: Handler<L>[]
) => R;

/** A route that may take a body (`post`, `put`, `patch`): its handlers see it parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Express's own bound for locals
type BodyRoute<L extends Record<string, any>, R> = <S extends z.ZodType = z.ZodNever>(
  path: string,
  doc: RouteDoc<S>,
  ...handlers: Handler<L & { body: z.output<S> }>[]
) => R;

/** The body's 400 (and 422) as the document states them, unless the route words them itself. */
function withBody<S extends z.ZodType>({ body, ...operation }: RouteDoc<S>): OperationDoc {
  if (!body) return operation;
  const schema = body.name ? requestSchema(body.name, body.schema) : inputSchema(body.schema);
  return {
    ...operation,
    requestBody: jsonBody(schema, body.required ?? true),
    responses: {
      '400': errorResponse('Invalid request body, each field named'),
      ...operation.responses,
    },
  };
}

/** Parses the body the route declared, or answers why not. */
function bodyParser<S extends z.ZodType>(body: BodyDoc<S>): RequestHandler {
  return (req, res, next) => {
    const parsed = body.schema.safeParse(req.body ?? {});
    if (parsed.success) {
      res.locals.body = parsed.data;
      return next();
    }
    sendError(
      res,
      validationStatus(parsed.error),
      body.refused,
      'the request body failed validation',
      zodIssues(parsed.error),
    );
  };
}

/**
 * The one place a route is both mounted and documented: every route of the API goes through
 * `route` (or its shorthands), so the OpenAPI document (`openapi.ts`) is built from exactly the
 * routes that run, and a route cannot be mounted without saying what it takes and answers.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Express's own bound for locals
export class ApiRoutes<L extends Record<string, any> = Record<string, unknown>> implements MountableRoutes {
  readonly router: Router = Router();
  readonly declared: DeclaredRoute[] = [];

  route<S extends z.ZodType = z.ZodNever>(
    method: HttpMethod,
    path: string,
    doc: RouteDoc<S>,
    ...handlers: Handler<L & { body: z.output<S> }>[]
  ): this {
    this.declared.push({ method, path, operation: withBody(doc) });
    const parse = doc.body ? [bodyParser(doc.body)] : [];
    this.router[method](path, ...parse, ...(handlers as RequestHandler[]));
    return this;
  }

  readonly get: PlainRoute<L, this> = (path, doc, ...handlers) => this.route('get', path, doc, ...handlers);
  readonly delete: PlainRoute<L, this> = (path, doc, ...handlers) =>
    this.route('delete', path, doc, ...handlers);
  readonly post: BodyRoute<L, this> = (path, doc, ...handlers) => this.route('post', path, doc, ...handlers);
  readonly put: BodyRoute<L, this> = (path, doc, ...handlers) => this.route('put', path, doc, ...handlers);
  readonly patch: BodyRoute<L, this> = (path, doc, ...handlers) =>
    this.route('patch', path, doc, ...handlers);

  /** Middleware for a path prefix (a raw-body parser), mounted but not an operation. */
  use(path: string, ...handlers: RequestHandler[]): this {
    this.router.use(path, ...handlers);
    return this;
  }
}
