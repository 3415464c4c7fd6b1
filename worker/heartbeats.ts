import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/**
 * Partner calls heartbeat while they wait on the partner, four times per heartbeat timeout: a
 * worker killed in the middle of a call is then noticed within that timeout (seconds), and another
 * worker retries the call (each is idempotent), instead of after its whole start-to-close timeout.
 * Activities started without a heartbeat timeout are left as they are.
 */
export const heartbeatWhileRunning: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const timeoutMs = ctx.info.heartbeatTimeoutMs;
      if (!timeoutMs) return next(input);
      const beat = setInterval(() => ctx.heartbeat(), Math.max(250, Math.floor(timeoutMs / 4)));
      try {
        return await next(input);
      } finally {
        clearInterval(beat);
      }
    },
  },
});
