import type { Request, Response } from 'express';

/**
 * A route's handler on the one thing its path names (an order, a channel): `find` looks it up and,
 * when it is not there, answers itself (404, or why not) and gives undefined; `handle` runs only
 * with what it found. The request and response types are the route's (its parsed body in
 * `res.locals`), not `find`'s, which needs only the tenant.
 */
export function onFound<T extends object, Req extends Request, Res extends Response>(
  find: (req: NoInfer<Req>, res: NoInfer<Res>) => T | undefined | Promise<T | undefined>,
  handle: (found: T, req: Req, res: Res) => unknown,
): (req: Req, res: Res) => Promise<void> {
  return async (req, res) => {
    const found = await find(req, res);
    if (found !== undefined) await handle(found, req, res);
  };
}
