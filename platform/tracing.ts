import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { Resource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';

let plugin: OpenTelemetryPlugin | undefined;
let sdk: NodeSDK | undefined;

/**
 * Tracing, switched on by the standard OpenTelemetry variables (`OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, OTLP over HTTP): HTTP requests in and out (the API's
 * routes, partner calls) and Temporal's client, workflow and activity spans, one trace from a
 * request through its workflow to the partner call. Started first in a process's main module, so
 * `http` is instrumented before anything loads it.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (sdk || env.OTEL_SDK_DISABLED === 'true') return Boolean(sdk);
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return false;
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME ?? serviceName });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 1_000 });
  sdk = new NodeSDK({
    resource,
    spanProcessors: [spanProcessor],
    instrumentations: [new HttpInstrumentation()],
  });
  sdk.start();
  plugin = new OpenTelemetryPlugin({ resource, spanProcessor });
  return true;
}

/** Temporal's tracing plugin for clients and workers (none when tracing is off). */
export function temporalTracingPlugins(): OpenTelemetryPlugin[] {
  return plugin ? [plugin] : [];
}

/** Sends what is buffered; for a process stopping. */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
}
