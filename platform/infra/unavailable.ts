import type { Logger } from '../logger';

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P01',
  '57P03',
]);
const UNREACHABLE_NAMES =
  /^Sequelize(Connection|ConnectionRefused|ConnectionTimedOut|HostNotFound|HostNotReachable|ConnectionAcquireTimeout)Error$|^TransportError$/;
const UNREACHABLE_MESSAGES =
  /Connection terminated|ECONNREFUSED|connect ETIMEDOUT|the database system is (starting up|shutting down)|terminating connection due to administrator command|tcp connect error|Failed to connect/i;

/**
 * Whether an error says a piece of our own infrastructure (PostgreSQL, Temporal, S3) cannot be
 * reached right now, as opposed to a request or a configuration that is wrong. The first is
 * waited out (start-up retries, a 503 the caller retries); the second is reported as it is.
 */
export function isInfrastructureUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const { name, code, message, parent, original, cause } = error as {
    name?: string;
    code?: unknown;
    message?: string;
    parent?: unknown;
    original?: unknown;
    cause?: unknown;
  };
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  if (code === 14) return true; // gRPC UNAVAILABLE
  if (name && UNREACHABLE_NAMES.test(name)) return true;
  if (message && UNREACHABLE_MESSAGES.test(message)) return true;
  return [parent, original, cause].some((inner) => isInfrastructureUnavailable(inner, depth + 1));
}

/**
 * Runs a start-up step until the infrastructure it needs answers: an outage is logged once when
 * it begins and once when it ends, retried with backoff (1 s doubling to 30 s), and never ends the
 * process. Any other failure (a wrong setting, a refused setup file) is thrown at once.
 */
export async function untilReachable<T>(
  what: string,
  step: () => Promise<T>,
  logger: Logger,
  options: { initialDelayMs?: number; maxDelayMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let delay = options.initialDelayMs ?? 1_000;
  let waitingSince: number | undefined;
  for (;;) {
    try {
      const result = await step();
      if (waitingSince !== undefined)
        logger.info({ step: what, waitedMs: Date.now() - waitingSince }, 'infrastructure reachable again');
      return result;
    } catch (error) {
      if (!isInfrastructureUnavailable(error)) throw error;
      if (waitingSince === undefined) {
        waitingSince = Date.now();
        logger.warn({ step: what, reason: (error as Error).message }, 'infrastructure unreachable; waiting');
      }
      await sleep(delay);
      delay = Math.min(delay * 2, options.maxDelayMs ?? 30_000);
    }
  }
}
