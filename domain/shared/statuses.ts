import { z } from 'zod';

/** One entry of a process's timeline: when, the status the process was then in, and what happened. */
export function timelineEntrySchema<const S extends readonly [string, ...string[]]>(statuses: S) {
  return z.object({
    at: z.string().describe('ISO 8601 date-time'),
    status: z.enum(statuses),
    note: z.string().optional(),
  });
}
