import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Fields whose values never reach a log line, at any depth: credentials, and the personal data
 * of customers and guests. Matched on the field's name without case, dashes or underscores.
 */
const REDACTED_FIELDS = new Set(
  [
    'authorization',
    'cookie',
    'token',
    'accessToken',
    'refreshToken',
    'apiKey',
    'xApiKey',
    'xShopifyAccessToken',
    'password',
    'secret',
    'webhookSecret',
    'clientSecret',
    'email',
    'customerEmail',
    'guestEmail',
    'phone',
    'address',
    'shippingAddress',
    'billingAddress',
    'toAddress',
    'customer',
    'customerName',
    'guest',
    'guestName',
    'firstName',
    'lastName',
    'card',
    'cardNumber',
    'pan',
    'cvv',
  ].map((name) => name.toLowerCase()),
);
const fieldKey = (name: string) => name.replace(/[-_]/g, '').toLowerCase();
export const REDACTED = '[redacted]';

/**
 * A copy of `value` fit for a log line: redacted fields replaced, errors serialized (with their
 * cause and own fields, such as an HTTP client's request config and its headers) so those are
 * redacted too. Bounded in depth; cycles are cut.
 */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8 || seen.has(value)) return '[…]';
  seen.add(value);
  const source = value instanceof Error ? pino.stdSerializers.err(value) : value;
  if (Array.isArray(source)) return source.map((item) => redact(item, depth + 1, seen));
  if (Buffer.isBuffer(source) || source instanceof Date) return source;
  return Object.fromEntries(
    Object.entries(source).map(([key, item]) => [
      key,
      REDACTED_FIELDS.has(fieldKey(key)) ? REDACTED : redact(item, depth + 1, seen),
    ]),
  );
}

/** The hub's logger: JSON lines, redacted, to stdout (or `destination`). */
export function createLogger(
  level = process.env.LOG_LEVEL ?? 'info',
  name = 'crossdock',
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    base: { service: name },
    formatters: { log: (object) => redact(object) as Record<string, unknown> },
    // Errors are serialized by `redact` already; a second pass would call them `Object`.
    serializers: { err: (value: unknown) => value },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * The process's warnings (deprecations, a library's notice) as lines of the same JSON stream,
 * instead of Node's multi-line text on stderr. For the main module of a process.
 */
export function logProcessWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.warn({ err: warning }, 'process warning'));
}
