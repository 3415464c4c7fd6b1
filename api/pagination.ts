import type { Request, Response } from 'express';
import { sendError } from './errors';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1_000;

export interface Page<K> {
  /** The last key of the previous page, from the cursor. */
  after?: K;
  limit: number;
  /** The cursor of the page after the one ending at `last` (null when there is none). */
  cursorAfter(last: K | undefined): string | null;
}

/** An opaque cursor: the last key of a page, base64url-encoded JSON. */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify({ after: key })).toString('base64url');
}

export function decodeCursor<K>(cursor: string): K | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: K };
    return parsed && typeof parsed === 'object' && 'after' in parsed ? parsed.after : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `?limit=&cursor=` of a listing: the page size (1 to 1,000, default 100) and where the last page
 * ended. Answers 400 naming the parameter and returns undefined when either is invalid.
 */
export function pageOf<K = string>(
  req: Request,
  res: Response,
  isKey: (key: unknown) => key is K = (k): k is K => typeof k === 'string',
): Page<K> | undefined {
  const rawLimit = req.query.limit;
  const limit = rawLimit === undefined ? DEFAULT_PAGE : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    sendError(res, 400, 'invalid_limit', `limit must be a whole number from 1 to ${MAX_PAGE}`, [
      { path: 'limit', message: `must be a whole number from 1 to ${MAX_PAGE}` },
    ]);
    return undefined;
  }
  let after: K | undefined;
  if (req.query.cursor !== undefined) {
    const decoded =
      typeof req.query.cursor === 'string' ? decodeCursor<unknown>(req.query.cursor) : undefined;
    if (!isKey(decoded)) {
      sendError(res, 400, 'invalid_cursor', 'cursor is not one this API handed out', [
        { path: 'cursor', message: 'must be the nextCursor of an earlier page' },
      ]);
      return undefined;
    }
    after = decoded;
  }
  return { after, limit, cursorAfter: (last) => (last === undefined ? null : encodeCursor(last)) };
}
