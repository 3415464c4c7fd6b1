import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import axios from 'axios';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listSecretRefs, loadConfigFile } from '../../platform/config/load';
import { CUSTOMER_ADDRESS, eventually, restOrder } from '../support/fixtures';
import { Client, Connection } from '@temporalio/client';
import { ENCRYPTED_ENCODING, EncryptionCodec } from '../../platform/payload-codec';
import { parseExposition, total, type Sample } from '../support/prometheus';

const SKU = 'MUG-TI';
const EMAIL = `ada.${randomBytes(3).toString('hex')}@example.org`;
const CUSTOMER_NAME = 'Ada Byron King';
const REQUEST_ID = `obs-${randomBytes(4).toString('hex')}`;
const CODEC_TOKEN = `codec_${randomBytes(12).toString('hex')}`;
/** The order that ships in the first test, read again by later ones. */
let shippedOrderId = '';

/**
 * What ops see of the hub's processes as a deployment runs them (an API and a worker process,
 * each its own Node process): their `/metrics`, and their output, which must be one JSON log
 * stream with no secret and no personal data in it.
 */
interface StoredPayload {
  path: string;
  metadata?: Record<string, Uint8Array>;
  data?: Uint8Array;
}

/** Every payload of a history event, wherever the event holds one, with where it is. */
function payloadsOf(value: unknown, path = ''): StoredPayload[] {
  if (!value || typeof value !== 'object') return [];
  if ('data' in value && value.data instanceof Uint8Array && 'metadata' in value)
    return [{ ...(value as Omit<StoredPayload, 'path'>), path }];
  return Object.entries(value).flatMap(([key, item]) => payloadsOf(item, `${path}.${key}`));
}
const utf8 = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? []).toString('utf8');

/** A span as an OTLP/JSON export carries it, with the service that made it. */
interface ExportedSpan {
  service: string;
  traceId: string;
  name: string;
  attributes: Record<string, unknown>;
}

/** An OTLP/HTTP trace receiver (JSON), as a collector would be: what the hub's processes export. */
async function startTraceReceiver(): Promise<{ url: string; spans: ExportedSpan[]; close(): void }> {
  const spans: ExportedSpan[] = [];
  type Value = { stringValue?: string; intValue?: string | number };
  type Attribute = { key: string; value: Value };
  const flat = (attributes: Attribute[] = []) =>
    Object.fromEntries(attributes.map(({ key, value }) => [key, value.stringValue ?? value.intValue]));
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const exported = JSON.parse(body || '{}') as {
        resourceSpans?: Array<{
          resource: { attributes: Attribute[] };
          scopeSpans: Array<{ spans: Array<{ traceId: string; name: string; attributes: Attribute[] }> }>;
        }>;
      };
      for (const resource of exported.resourceSpans ?? [])
        for (const scope of resource.scopeSpans)
          for (const span of scope.spans)
            spans.push({
              service: String(flat(resource.resource.attributes)['service.name']),
              traceId: span.traceId,
              name: span.name,
              attributes: flat(span.attributes),
            });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, spans, close: () => server.close() };
}

interface Cluster {
  dir: string;
  env: NodeJS.ProcessEnv;
  frontUrl: string;
  sandboxUrl: string;
  temporalAddress: string;
  workerHealthUrls: string[];
  temporalMetricsPorts: number[];
}

/** The cluster in a process of its own (`tests/support/cluster-process.ts`), once it is ready. */
function startCluster(
  options: object,
  env: NodeJS.ProcessEnv,
): Promise<{ cluster: Cluster; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, '..', 'support', 'cluster-process.ts'), JSON.stringify(options)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{"dir"'));
      if (line) resolve({ cluster: JSON.parse(line) as Cluster, child });
    });
    child.once('exit', (code) => reject(new Error(`the cluster exited (${code}):\n${output.slice(-4000)}`)));
  });
}

describe('the hub as ops observe it', () => {
  let cluster: Cluster;
  let child: ChildProcess | undefined;
  let traces: Awaited<ReturnType<typeof startTraceReceiver>>;
  beforeAll(async () => {
    traces = await startTraceReceiver();
    ({ cluster, child } = await startCluster(
      { apis: 1, workers: 1, extraRooms: 0, logLevel: 'info', temporalMetrics: true },
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: traces.url,
        // Payloads encrypted, with two keys: new payloads take the first (the second is being rotated out).
        CROSSDOCK_PAYLOAD_KEYS: `${EncryptionCodec.newKeyEntry('k2')},${EncryptionCodec.newKeyEntry('k1')}`,
        CROSSDOCK_CODEC_TOKEN: CODEC_TOKEN,
      },
    ));
  }, 240_000);
  afterAll(async () => {
    traces?.close();
    if (!child) return;
    if (child.exitCode !== null) return void child.stdout?.destroy();
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    child.stdout?.destroy();
    child.stderr?.destroy();
  }, 60_000);

  const scrape = async (url: string): Promise<Sample[]> =>
    parseExposition((await axios.get<string>(url, { responseType: 'text' })).data);
  const apiMetrics = () => scrape(`${cluster.frontUrl}/metrics`);
  const workerMetrics = () => scrape(cluster.workerHealthUrls[0]!.replace('/health/ready', '/metrics'));

  it('counts an order, a refusal and a channel push in /metrics, and the SDK serves its own', async () => {
    const api = axios.create({
      baseURL: cluster.frontUrl,
      headers: { Authorization: `Bearer ${cluster.env.CROSSDOCK_API_KEY_ACME}` },
      validateStatus: () => true,
    });
    for (const [location, set] of [
      ['reno', 5],
      ['newark', 0],
    ] as const)
      expect((await api.put(`/v1/inventory/${SKU}/${location}`, { set, reason: 'count' })).status).toBe(200);
    await axios.put(`${cluster.sandboxUrl}/__sandbox/easypost/tracking`, {
      inTransitAfterMs: 300,
      deliveredAfterMs: 3_600_000,
    });
    const beforeApi = await apiMetrics();
    const beforeWorker = await workerMetrics();

    const order = (quantity: number) => {
      const id = `obs-${randomBytes(4).toString('hex')}`;
      return {
        id: `rest:${id}`,
        body: {
          ...restOrder(id, [{ sku: SKU, quantity }]),
          customer: { email: EMAIL, name: CUSTOMER_NAME },
        },
      };
    };
    const shipped = order(1);
    shippedOrderId = shipped.id;
    const refused = order(50);
    const refusedPost = await api.post('/v1/orders', refused.body, {
      headers: { 'X-Request-Id': REQUEST_ID },
    });
    const accepted = [(await api.post('/v1/orders', shipped.body)).status, refusedPost.status];
    expect(accepted[0]).toBe(accepted[1]);
    expect(refusedPost.headers['x-request-id']).toBe(REQUEST_ID);
    const statusOf = async (id: string) =>
      (await api.get<{ status: string }>(`/v1/orders/${id}`)).data.status;
    await eventually(
      'the order shipped',
      async () => ((await statusOf(shipped.id)) === 'shipped' ? true : undefined),
      60_000,
    );
    expect(await eventually('the refusal', async () => (await statusOf(refused.id)) ?? undefined)).toBe(
      'rejected',
    );
    // The order's payment is posted after its label; the store hears of the stock it took.
    const worker = await eventually(
      'the payment posted and the store told',
      async () => {
        const samples = await workerMetrics();
        const paid = total(samples, 'crossdock_partner_postings_total', {
          connector: 'acme-quickbooks',
          kind: 'payment',
        });
        const pushed = total(samples, 'crossdock_partner_calls_total', {
          connector: 'acme-shopify',
          operation: 'pushStock',
          outcome: 'ok',
        });
        return paid >
          total(beforeWorker, 'crossdock_partner_postings_total', {
            connector: 'acme-quickbooks',
            kind: 'payment',
          }) && pushed > 0
          ? samples
          : undefined;
      },
      60_000,
    );
    // The hub's state is read at scrape time from the visibility store, at most every 5 s.
    const ordersMoved = (after: Sample[], status: string) =>
      total(after, 'crossdock_processes', { process: 'order', status }) -
      total(beforeApi, 'crossdock_processes', { process: 'order', status });
    const afterApi = await eventually(
      'the orders counted by status',
      async () => {
        const samples = await apiMetrics();
        return ordersMoved(samples, 'shipped') >= 1 && ordersMoved(samples, 'rejected') >= 1
          ? samples
          : undefined;
      },
      30_000,
      1_000,
    );

    const moved = (before: Sample[], after: Sample[], name: string, labels: Record<string, string>) =>
      total(after, name, labels) - total(before, name, labels);
    // The API: two order requests answered, by route; the hub's state by status.
    expect(
      moved(beforeApi, afterApi, 'crossdock_http_requests_total', {
        method: 'POST',
        route: '/v1/orders',
        status: String(accepted[0]),
      }),
    ).toBe(2);
    expect(moved(beforeApi, afterApi, 'crossdock_processes', { process: 'order', status: 'shipped' })).toBe(
      1,
    );
    expect(moved(beforeApi, afterApi, 'crossdock_processes', { process: 'order', status: 'rejected' })).toBe(
      1,
    );
    expect(
      total(afterApi, 'crossdock_http_request_duration_seconds_count', { route: '/v1/orders/:id' }),
    ).toBeGreaterThan(0);
    expect(afterApi.some((s) => s.name === 'crossdock_event_deliveries')).toBe(true);
    // The worker: one label, one invoice and one payment (the refusal made none), each partner call counted.
    expect(moved(beforeWorker, worker, 'crossdock_labels_bought_total', { tenant: 'acme' })).toBe(1);
    expect(
      moved(beforeWorker, worker, 'crossdock_partner_postings_total', {
        connector: 'acme-quickbooks',
        kind: 'invoice',
      }),
    ).toBe(1);
    expect(
      moved(beforeWorker, worker, 'crossdock_partner_postings_total', {
        connector: 'acme-quickbooks',
        kind: 'payment',
      }),
    ).toBe(1);
    expect(
      moved(beforeWorker, worker, 'crossdock_partner_calls_total', {
        operation: 'buyAndArchiveLabel',
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(
      total(worker, 'crossdock_partner_call_duration_seconds_count', {
        connector: 'acme-shopify',
        operation: 'pushStock',
      }),
    ).toBeGreaterThan(0);
    // The Temporal SDK's own metrics, on the worker's port for them.
    const sdk = await scrape(`http://127.0.0.1:${cluster.temporalMetricsPorts[0]}/metrics`);
    expect(sdk.some((s) => s.name.startsWith('temporal_'))).toBe(true);
  }, 180_000);

  it('writes every process line as JSON, one line per refusal, and no secret or personal data', () => {
    const secrets = listSecretRefs(loadConfigFile(cluster.env.CROSSDOCK_CONFIG!, { env: cluster.env }))
      .map(({ ref }) => cluster.env[ref.env]!)
      .filter(Boolean);
    const personal = [EMAIL, CUSTOMER_NAME, CUSTOMER_ADDRESS.line1];
    let refusals = 0;
    const logs: Record<string, Array<Record<string, unknown>>> = {};
    for (const name of ['api-1', 'worker-1']) {
      const lines = readFileSync(join(cluster.dir, `${name}.log`), 'utf8')
        .split('\n')
        .filter(Boolean);
      logs[name] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(() => JSON.parse(line)).not.toThrow();
        for (const secret of secrets) expect(line).not.toContain(secret);
        for (const datum of personal) expect(line).not.toContain(datum);
      }
      refusals += lines.filter((line) => line.includes('InsufficientStock')).length;
    }
    expect(refusals).toBe(1);
    // The refused order's request: one access line in the API, and its id on the workflow's line.
    expect(logs['api-1']!.filter((l) => l.requestId === REQUEST_ID)).toEqual([
      expect.objectContaining({ msg: 'request', method: 'POST', route: '/v1/orders', tenant: 'acme' }),
    ]);
    expect(logs['worker-1']!.find((l) => l.msg === 'order rejected')).toMatchObject({
      requestId: REQUEST_ID,
      type: 'InsufficientStock',
    });
  });

  it('traces a request through its workflow to the partner call, across the processes', async () => {
    // The shipped order's POST: its trace holds the API's spans, the workflow's, the label's
    // activity and the carrier call it made, from both processes.
    const trace = await eventually(
      'the order traced from the API to the carrier',
      async () => {
        const byTrace = new Map<string, ExportedSpan[]>();
        for (const span of traces.spans)
          byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
        return [...byTrace.values()].find(
          (spans) =>
            spans.some((s) => s.name === 'RunActivity:buyAndArchiveLabel') &&
            spans.some((s) => s.service === 'crossdock-api' && s.attributes['http.target'] === '/v1/orders'),
        );
      },
      30_000,
      500,
    );
    const names = trace.map((s) => `${s.service} ${s.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'crossdock-api POST',
        'crossdock-api StartWorkflow:orderLifecycle',
        // The workflow's span of scheduling the step (its RunWorkflow span ends with the order).
        'crossdock-worker StartActivity:buyAndArchiveLabel',
        'crossdock-worker RunActivity:buyAndArchiveLabel',
      ]),
    );
    // The carrier call itself, as an HTTP client span of the worker in the same trace.
    expect(
      trace.some(
        (s) =>
          s.service === 'crossdock-worker' && String(s.attributes['http.url'] ?? '').includes('/easypost'),
      ),
    ).toBe(true);
  });

  it('keeps personal data out of the stored history, and decodes it for ops with the codec token', async () => {
    // The history as the Temporal server stores it, read without the codec.
    const connection = await Connection.connect({ address: cluster.temporalAddress });
    try {
      const raw = new Client({ connection, namespace: cluster.env.TEMPORAL_NAMESPACE ?? 'default' });
      const handle = raw.workflow.getHandle(`order:acme:${shippedOrderId}`);
      const history = await handle.fetchHistory();
      const payloads = payloadsOf(history.events);
      expect(payloads.length).toBeGreaterThan(5);
      for (const payload of payloads) {
        // Search attributes are indexed, headers are the hub's own (a request id) and a marker's
        // `data` and `patch-data` are the SDK's bookkeeping (a local activity's type and attempt,
        // a patch's id), so none goes through a codec; none carries personal data (checked below).
        if (
          !/\.(searchAttributes|header)\.|markerRecordedEventAttributes\.details\.(data|patch-data)\./.test(
            payload.path,
          )
        )
          expect({ path: payload.path, encoding: utf8(payload.metadata?.encoding) }).toEqual({
            path: payload.path,
            encoding: ENCRYPTED_ENCODING,
          });
        for (const secret of [EMAIL, CUSTOMER_ADDRESS.line1, CUSTOMER_NAME])
          expect(utf8(payload.data)).not.toContain(secret);
      }
      expect(JSON.stringify(history)).not.toContain(EMAIL);

      // The codec endpoint decodes the start's input for a holder of the token.
      const input = payloadsOf(history.events![0]!.workflowExecutionStartedEventAttributes!.input)[0]!;
      const wire = {
        payloads: [
          {
            metadata: Object.fromEntries(
              Object.entries(input.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
            ),
            data: Buffer.from(input.data!).toString('base64'),
          },
        ],
      };
      const refused = await axios.post(`${cluster.frontUrl}/codec/decode`, wire, {
        validateStatus: () => true,
      });
      expect(refused.status).toBe(401);
      const decoded = await axios.post<{
        payloads: Array<{ metadata: Record<string, string>; data: string }>;
      }>(`${cluster.frontUrl}/codec/decode`, wire, { headers: { Authorization: `Bearer ${CODEC_TOKEN}` } });
      const clear = decoded.data.payloads[0]!;
      expect(Buffer.from(clear.metadata.encoding!, 'base64').toString()).toBe('json/plain');
      expect(Buffer.from(clear.data, 'base64').toString()).toContain(EMAIL);
    } finally {
      await connection.close();
    }
  });
});
