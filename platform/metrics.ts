import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The hub's own metrics, one set per process as Prometheus expects (it sums over processes): what
 * the API answered, what partners were asked and how it went, and the effects the hub made at
 * partners. What the hub holds (orders by status, backlogs, lag) is read at scrape time instead,
 * by the API (`api/metrics.ts`), since every process would report the same figures.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'crossdock_' });

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const httpRequests = new Counter({
  name: 'crossdock_http_requests_total',
  help: 'HTTP requests answered, by method, route (the mounted path, not the URL) and status.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'crossdock_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method and route.',
  labelNames: ['method', 'route'] as const,
  buckets: SECONDS,
  registers: [registry],
});

/** `ok`; `failed` (retried by Temporal); `rejected` (the partner refused: not retried); `cancelled`. */
export type PartnerCallOutcome = 'ok' | 'failed' | 'rejected' | 'cancelled';

export const partnerCalls = new Counter({
  name: 'crossdock_partner_calls_total',
  help: 'Partner operations (one activity attempt each), by connector, operation and outcome.',
  labelNames: ['connector', 'operation', 'outcome'] as const,
  registers: [registry],
});

export const partnerDuration = new Histogram({
  name: 'crossdock_partner_call_duration_seconds',
  help: 'Time of a partner operation attempt, by connector and operation.',
  labelNames: ['connector', 'operation'] as const,
  buckets: SECONDS,
  registers: [registry],
});

export const labelsBought = new Counter({
  name: 'crossdock_labels_bought_total',
  help: 'Shipping labels bought (each once, however often the step ran), by tenant and carrier connector.',
  labelNames: ['tenant', 'connector'] as const,
  registers: [registry],
});

export const partnerPostings = new Counter({
  name: 'crossdock_partner_postings_total',
  help:
    'Documents posted to partners once each, by tenant, connector and kind: invoice, payment, ' +
    'credit-note, fulfilment, and the refunds cancel-refund and return-refund.',
  labelNames: ['tenant', 'connector', 'kind'] as const,
  registers: [registry],
});

/** The exposition of this process's metrics and `more` (a scrape-time registry), as Prometheus reads it. */
export async function exposition(more: Registry[] = []): Promise<{ contentType: string; body: string }> {
  const merged = more.length ? Registry.merge([registry, ...more]) : registry;
  return { contentType: merged.contentType, body: await merged.metrics() };
}
