import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Fault knobs of one emulated partner. Rates are probabilities per call; `failNext` makes the next
 * N calls fail with a given status, for tests that need an exact sequence.
 */
export interface FaultSettings {
  errorRate: number;
  rateLimitRate: number;
  retryAfterSeconds: number;
  timeoutRate: number;
  /** The call is carried out, then the connection drops before the answer: the caller cannot know. */
  lostResponseRate: number;
  /** How long a "timeout" hangs before the connection is dropped. */
  timeoutMs: number;
  latencyMs: number;
  failNext: { count: number; status: number };
}

export const NO_FAULTS: FaultSettings = {
  errorRate: 0,
  rateLimitRate: 0,
  retryAfterSeconds: 1,
  timeoutRate: 0,
  lostResponseRate: 0,
  timeoutMs: 30_000,
  latencyMs: 0,
  failNext: { count: 0, status: 503 },
};

export class FaultInjector {
  settings: FaultSettings = structuredClone(NO_FAULTS);

  constructor(private readonly random: () => number = Math.random) {}

  configure(patch: Partial<FaultSettings>): FaultSettings {
    this.settings = {
      ...this.settings,
      ...patch,
      failNext: { ...this.settings.failNext, ...patch.failNext },
    };
    return this.settings;
  }

  reset(): void {
    this.settings = structuredClone(NO_FAULTS);
  }

  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const s = this.settings;
      const proceed = () => {
        if (s.failNext.count > 0) {
          s.failNext.count -= 1;
          return this.fail(res, s.failNext.status);
        }
        const roll = this.random();
        if (roll < s.errorRate) return this.fail(res, 503);
        if (roll < s.errorRate + s.rateLimitRate) return this.fail(res, 429);
        if (roll < s.errorRate + s.rateLimitRate + s.timeoutRate) {
          setTimeout(() => req.socket.destroy(), s.timeoutMs);
          return;
        }
        if (roll < s.errorRate + s.rateLimitRate + s.timeoutRate + s.lostResponseRate) {
          const drop = (() => {
            req.socket.destroy();
            return res;
          }) as typeof res.end;
          res.end = drop;
          res.write = (() => (req.socket.destroy(), true)) as typeof res.write;
        }
        next();
      };
      if (s.latencyMs > 0) setTimeout(proceed, s.latencyMs);
      else proceed();
    };
  }

  private fail(res: Response, status: number): void {
    if (status === 429) res.setHeader('Retry-After', String(this.settings.retryAfterSeconds));
    res.status(status).json({
      error: {
        code: status === 429 ? 'RATE_LIMITED' : 'INTERNAL_SERVER_ERROR',
        message: `injected ${status}`,
      },
    });
  }
}
