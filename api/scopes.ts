import type { NextFunction, Request, Response } from 'express';
import type { ApiScope } from '../platform/config/schema';
import type { TenantLocals } from './auth';
import { sendError } from './errors';

/**
 * The scope a write needs, by path: the first rule that matches. Master data (locations, items,
 * a property and its room types, rooms and rate plans) and anything not listed need `admin`, so
 * a route added without a rule is closed, not open.
 */
const WRITE_RULES: Array<[RegExp, ApiScope]> = [
  [/^\/v1\/orders\/[^/]+\/returns$/, 'returns'],
  [/^\/v1\/returns(\/|$)/, 'returns'],
  [/^\/v1\/(orders|inventory)(\/|$)/, 'orders'],
  [/^\/v1\/properties\/[^/]+\/(rates|night-audit|reports|charge-reviews)(\/|$)/, 'stays'],
  [/^\/v1\/(reservations|rooms)(\/|$)/, 'stays'],
  [/^\/v1\/channels(\/|$)/, 'channels'],
  [/^\/v1\/carriers\/[^/]+\/reconcile$/, 'orders'],
  [/^\/v1\/reports\//, 'read'],
];

/** The scope a request to the REST API needs: `read` for reads, else its area's. */
export function scopeOf(method: string, path: string): ApiScope {
  if (method === 'GET' || method === 'HEAD') return 'read';
  return WRITE_RULES.find(([pattern]) => pattern.test(path))?.[1] ?? 'admin';
}

/** Refuses with 403, naming the scope, a request its key's scopes do not cover (`admin` covers all). */
export function requireScope(
  req: Request,
  res: Response<unknown, Pick<TenantLocals, 'scopes'>>,
  next: NextFunction,
): void {
  const needed = scopeOf(req.method, req.baseUrl + req.path);
  const { scopes } = res.locals;
  if (scopes.includes('admin') || scopes.includes(needed)) return next();
  sendError(res, 403, 'forbidden', `this API key lacks the scope "${needed}"`, { scope: needed });
}
