/**
 * A channel's pace as a token bucket: it holds up to `burst` requests, and one more comes back
 * every `intervalMs`. A change after a quiet spell goes out at once; under a steady stream the
 * pushes fall back to one per interval, and what arrives meanwhile coalesces into the next push.
 * For a limit of N requests in any 60 s, a bucket of B refilled every 60 s / (N − B + 1) never
 * sends more than N in a window (B at once, then N − B more before the window has passed).
 */
export interface Bucket {
  /** Requests it may send now; below zero after a push of several messages took more. */
  tokens: number;
  /** When `tokens` was counted (ms since the epoch, the workflow's clock). */
  at: number;
}

export interface Pace {
  burst: number;
  intervalMs: number;
}

/** The refill interval that keeps a bucket of `burst` within `perMinute` in any minute. */
export function intervalFor(perMinute: number, burst: number): number {
  return Math.ceil(60_000 / Math.max(1, perMinute - burst + 1));
}

/** The bucket as it stands at `now`, refilled up to its burst. */
export function refilled(bucket: Bucket, pace: Pace, now: number): Bucket {
  const gained = Math.max(0, now - bucket.at) / pace.intervalMs;
  return { tokens: Math.min(pace.burst, bucket.tokens + gained), at: now };
}

/** How long to wait at `now` before the next request may go: 0 while a token is left. */
export function waitMs(bucket: Bucket, pace: Pace, now: number): number {
  const { tokens } = refilled(bucket, pace, now);
  return tokens >= 1 ? 0 : Math.ceil((1 - tokens) * pace.intervalMs);
}

/** The bucket after `requests` went out at `now`. */
export function spend(bucket: Bucket, pace: Pace, now: number, requests: number): Bucket {
  const current = refilled(bucket, pace, now);
  return { tokens: current.tokens - requests, at: now };
}
