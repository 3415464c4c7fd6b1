import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { sendError } from './errors';
import { formatIssuePath } from '../domain/shared/issues';

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

/** Where in a parsed JSON body text carries the NUL character, as `lines[0].name`. */
function nulPaths(value: unknown, path: Array<string | number> = []): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [formatIssuePath(path) || '(body)'] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => nulPaths(item, [...path, index]));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key.includes('\u0000') ? [formatIssuePath([...path, key])] : nulPaths(item, [...path, key]),
  );
}

/**
 * Text with the NUL character (U+0000) is well-formed JSON, and any string the document allows
 * may hold it, but PostgreSQL can store it in neither text nor JSON: such a request is refused
 * with 422 naming each field (in the body, the query or the path), before it reaches storage.
 */
export const refuseUnstorableText: RequestHandler = (req, res, next) => {
  let path = req.path;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    // A malformed escape is the routes' to answer (404).
  }
  const fields = [
    ...nulPaths(req.body),
    ...Object.entries(req.query).flatMap(([name, value]) => (nulPaths(value).length > 0 ? [name] : [])),
    ...(path.includes('\u0000') ? ['(path)'] : []),
  ];
  if (fields.length === 0) return next();
  sendError(
    res,
    422,
    'unstorable_text',
    `text must not contain the NUL character (U+0000): ${fields.join(', ')}`,
    fields.map((field) => ({ path: field, message: 'must not contain the NUL character (U+0000)' })),
  );
};
