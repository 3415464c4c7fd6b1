import type { LogLevel, LogMetadata } from '@temporalio/common';
import { DefaultLogger, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import type { Logger } from './logger';

/** Temporal's level for the hub's pino level: the SDK drops what pino would drop anyway. */
const SDK_LEVEL: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

const PINO_METHOD = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * Expected on every connector worker (they run activities only), so not worth a line each.
 */
const EXPECTED = /^No workflows registered/;

/**
 * The SDK's metadata as pino fields: an `error` goes under `err` so pino's serializer writes its
 * type, message and stack as fields of the one JSON line, not as text lines of their own.
 */
function fields(meta: LogMetadata | undefined): Record<string, unknown> {
  if (!meta) return {};
  const { error, ...rest } = meta as LogMetadata & { error?: unknown };
  return error === undefined ? rest : { ...rest, err: error };
}

/**
 * Installs the Temporal runtime of this process (once, before any connection): the SDK's own
 * logs (runtime, workers, workflows and activities, and Rust core's, forwarded) go into the hub's
 * pino stream as JSON lines, and with `prometheusPort` the SDK's metrics are served there.
 */
export function installTemporalRuntime(logger: Logger, options: { prometheusPort?: number } = {}): void {
  const sdk = logger.child({ component: 'temporal' });
  const level = SDK_LEVEL[logger.level] ?? 'INFO';
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: entryLevel, message, meta }) => {
      if (EXPECTED.test(message)) return;
      sdk[PINO_METHOD[entryLevel]](fields(meta), message);
    }),
    telemetryOptions: {
      logging: {
        forward: {},
        filter: makeTelemetryFilterString({ core: level === 'TRACE' ? 'DEBUG' : 'WARN' }),
      },
      ...(options.prometheusPort
        ? { metrics: { prometheus: { bindAddress: `0.0.0.0:${options.prometheusPort}` } } }
        : {}),
    },
  });
}
