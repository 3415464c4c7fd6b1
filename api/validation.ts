import type { z } from 'zod';

/** Validation problems as `{ path, message }`, with paths like `lines[0].quantity`. */
export function zodIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({
    path: issue.path.reduce<string>(
      (out, part) =>
        typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part),
      '',
    ),
    message: issue.message,
  }));
}
