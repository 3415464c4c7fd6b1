import { z } from 'zod';

/**
 * The states a process ends in, for a process whose states are listed as its lifecycle runs: the
 * ones it is under way in first, then, from `firstEnding` on, the ones it ends in. Derived from
 * the one list, the end states cannot disagree with it.
 */
export function endingStatuses<S extends string>(statuses: readonly S[], firstEnding: S): readonly S[] {
  return statuses.slice(statuses.indexOf(firstEnding));
}

/** One entry of a process's timeline: when, the status the process was then in, and what happened. */
export function timelineEntrySchema<const S extends readonly [string, ...string[]]>(statuses: S) {
  return z.object({
    at: z.string().describe('ISO 8601 date-time'),
    status: z.enum(statuses),
    note: z.string().optional(),
  });
}
