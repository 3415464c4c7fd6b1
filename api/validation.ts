import type { z } from 'zod';
import { formatIssuePath } from '../platform/config/load';

/** Validation problems as `{ path, message }`, with paths like `lines[0].quantity`. */
export function zodIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }));
}
