import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { CALLER_REQUEST_ID } from '../domain/request-id';
import type { Logger } from '../platform/logger';
import { requestContext } from '../platform/request-context';

/**
 * The route that answered a request, as mounted (`/v1/orders/:id`, not the URL), so logs and
 * metrics name a handful of routes rather than every id; undefined when no route took it.
 */
export function mountedRouteOf(req: Request): string | undefined {
  return req.route ? `${req.baseUrl}${String(req.route.path)}` : undefined;
}

/** Probes and scrapes come every few seconds: logged at debug, not as access lines. */
const QUIET = /^\/(health|metrics)/;

/**
 * The access log: one line per request when it is answered, with its id, route, status, time and
 * tenant (never its body or headers). The id is the caller's `X-Request-Id` when it is a sensible
 * one, else the hub's; it is answered in `X-Request-Id` and carried to Temporal with every call
 * the request makes, so the workflow's lines name it too.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const requestId = given && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const started = performance.now();
    res.once('finish', () => {
      const line = {
        requestId,
        method: req.method,
        route: mountedRouteOf(req),
        path: req.path,
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
        tenant: (res.locals.tenant as { id?: string } | undefined)?.id,
      };
      if (QUIET.test(req.path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    });
    requestContext.run({ requestId }, next);
  };
}
