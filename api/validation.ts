import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { sendError } from './errors';
import { formatIssuePath } from '../platform/config/load';

/**
 * 400 for a malformed body (a type, a pattern, a missing field: what the OpenAPI document
 * describes), 422 when only rules across fields refused it (a departure after its arrival, a
 * range of at most two years), which a document cannot express.
 */
export function validationStatus(error: z.ZodError): 400 | 422 {
  return error.issues.every((issue) => issue.code === 'custom') ? 422 : 400;
}

/** Validation problems as `{ path, message }`, with paths like `lines[0].quantity`. */
export function zodIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }));
}

/**
 * A query parameter sent empty (`?location=`) or more than once (`?status=a&status=b`) is
 * malformed, whatever the route: refused with 400 naming it, as the OpenAPI document says
 * (`minLength: 1` on each free string a query takes; every parameter is a single value).
 */
export const refuseMalformedQueryParameters: RequestHandler = (req, res, next) => {
  const problems = Object.entries(req.query).flatMap(([path, value]) =>
    typeof value === 'string'
      ? value === ''
        ? [{ path, message: 'must not be empty; leave it out instead' }]
        : []
      : [{ path, message: 'must be given once, as a single value' }],
  );
  if (problems.length === 0) return next();
  sendError(
    res,
    400,
    'invalid_query',
    `malformed query: ${problems.map((p) => p.path).join(', ')}`,
    problems,
  );
};
