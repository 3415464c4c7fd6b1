import type { Response } from 'express';

/** Every error the API returns has one shape: a stable code, a sentence, and optional details. */
export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  details?: unknown,
): void {
  res.status(status).json({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}
