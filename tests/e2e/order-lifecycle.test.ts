import { createHmac } from 'node:crypto';
import { getLevels } from '../../db/inventory';
import type { OrderView } from '../../domain/orders/status';
import { modelsOf } from '../../db/models';
import {
  acmeHeaders,
  DELIVERED_TIMELINE,
  eventually,
  globexHeaders,
  http,
  postRestOrder,
  restOrder,
  seedStock,
  uniqueId,
  waitForOrder,
} from '../support/fixtures';
import { MAX_AMOUNT } from '../../domain/shared/money';
import { recordHistoryIfAsked } from '../support/histories';
import { hubForTests, QUICK_DELIVERY } from '../support/hub-lifecycle';
import { serveWorkerHealth, type WorkerProgress } from '../../worker/health';

/**
 * Through every layer: REST → order workflow on the real dev server → stock routed and reserved
 * in PostgreSQL → parcels quoted by both sandbox carriers and the cheapest label bought over HTTP
 * → label PDF in S3 → carrier tracker webhooks signalled into the workflow → delivered.
 */
describe('order lifecycle end to end', () => {
  const hub = hubForTests({ tracking: QUICK_DELIVERY });
  let sku: string;
  const acme = acmeHeaders;

  beforeAll(async () => {
    sku = uniqueId('E2E');
    await seedStock(hub().services.sequelize, 'acme', { [sku]: { 'e2e-main': 10 } });
  });

  const waitForStatus = (id: string, statuses: string[], headers = acme()) =>
    waitForOrder(hub().apiUrl, id, statuses, headers);

  it('takes an order from REST to a delivered parcel: cheapest label, stored PDF, committed stock', async () => {
    const externalId = uniqueId('ord');
    const res = await postRestOrder(hub().apiUrl, externalId, [{ sku, quantity: 3 }]);
    expect(res.status).toBe(202);
    expect(res.data).toMatchObject({
      id: `rest:${externalId}`,
      workflowId: `order:acme:rest:${externalId}`,
      duplicate: false,
    });

    const order = await waitForStatus(`rest:${externalId}`, ['delivered', 'failed', 'rejected', 'exception']);
    expect(order.status).toBe('delivered');
    expect(order.timeline.map((t) => t.status)).toEqual(DELIVERED_TIMELINE);
    expect(order.allocations).toEqual([{ sku, locationId: 'e2e-main', quantity: 3 }]);
    expect(order.labels).toHaveLength(1);
    const label = order.labels![0]!;
    expect(label.trackingCode).toMatch(/^9400\d{18}$/);
    // Rate shopping: the second carrier account's ground service is the cheapest for this parcel.
    expect(label.rate.service).toBe('FEDEX_GROUND');
    expect(label.connectorId).toBe('acme-parcelhub');
    expect(label.tracking?.status).toBe('delivered');
    // The invoice and its payment went to the tenant's QuickBooks.
    expect(order.accounting).toMatchObject({ connectorId: 'acme-quickbooks' });

    const pdf = await hub().services.storage.get(label.labelKey);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString()).toContain(label.trackingCode);

    const [level] = await getLevels(hub().services.sequelize, 'acme', sku);
    expect({ onHand: level!.onHand, reserved: level!.reserved }).toEqual({ onHand: 7, reserved: 0 });

    const shipment = await modelsOf(hub().services.sequelize).Shipment.findOne({
      where: { tenantId: 'acme', orderKey: `order:acme:rest:${externalId}` },
    });
    expect(shipment?.status).toBe('purchased');
    const calls = (
      await http.get<Array<{ path: string; status: number }>>(
        `${hub().sandboxUrl}/__sandbox/calls?partner=easypost-b`,
      )
    ).data;
    const buys = calls.filter(
      (c) => c.path === `/easypost-b/v2/shipments/${shipment!.carrierShipmentId}/buy` && c.status === 200,
    );
    expect(buys).toHaveLength(1);
    await recordHistoryIfAsked(
      hub().services.client,
      `order:acme:rest:${externalId}`,
      'order-delivered-patch-set-2',
    );
  });

  it('makes the order findable by its search attributes', async () => {
    const externalId = uniqueId('ord');
    await postRestOrder(hub().apiUrl, externalId, [{ sku, quantity: 1 }]);
    await waitForStatus(`rest:${externalId}`, ['delivered']);
    const query = `CrossdockTenant = "acme" AND CrossdockOrderId = "rest:${externalId}" AND CrossdockStatus = "delivered"`;
    const found = await eventually('visibility to index the order', async () => {
      const ids: string[] = [];
      for await (const execution of hub().services.client.workflow.list({ query }))
        ids.push(execution.workflowId);
      return ids.length > 0 ? ids : undefined;
    });
    expect(found).toEqual([`order:acme:rest:${externalId}`]);
    const listed = await http.get<{ orders: Array<{ id: string; status: string }> }>(
      `${hub().apiUrl}/v1/orders?status=delivered&limit=500`,
      { headers: acme() },
    );
    expect(listed.data.orders).toContainEqual(
      expect.objectContaining({ id: `rest:${externalId}`, status: 'delivered' }),
    );
    expect((await http.get(`${hub().apiUrl}/v1/orders?status=lost`, { headers: acme() })).status).toBe(400);
  });

  it('treats the same order posted twice at once as one order with one label', async () => {
    const externalId = uniqueId('dup');
    const body = restOrder(externalId, [{ sku, quantity: 1 }]);
    const responses = await Promise.all(
      [1, 2, 3].map(() => http.post(`${hub().apiUrl}/v1/orders`, body, { headers: acme() })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 202]);
    expect(new Set(responses.map((r) => (r.data as { workflowId: string }).workflowId)).size).toBe(1);
    await waitForStatus(`rest:${externalId}`, ['delivered']);
    const again = await http.post(`${hub().apiUrl}/v1/orders`, body, { headers: acme() });
    expect(again.status).toBe(200);
    expect(again.data).toMatchObject({ duplicate: true });
    const shipments = await modelsOf(hub().services.sequelize).Shipment.count({
      where: { tenantId: 'acme', orderKey: `order:acme:rest:${externalId}` },
    });
    expect(shipments).toBe(1);
  });

  it('rejects an order for an unknown SKU with the reason, visible through the API', async () => {
    const externalId = uniqueId('bad');
    const res = await http.post(
      `${hub().apiUrl}/v1/orders`,
      restOrder(externalId, [{ sku: 'NO-SUCH-SKU', quantity: 1 }]),
      // The caller's request id travels to the workflow as a Temporal header (its log lines name it).
      { headers: { ...acme(), 'X-Request-Id': `test-${externalId}` } },
    );
    expect(res.status).toBe(202);
    expect(res.headers['x-request-id']).toBe(`test-${externalId}`);
    const order = await waitForStatus(`rest:${externalId}`, ['rejected', 'delivered', 'failed']);
    expect(order.status).toBe('rejected');
    expect(order.rejection).toEqual({ type: 'UnknownSku', reasons: ['unknown SKU NO-SUCH-SKU'] });
    await recordHistoryIfAsked(
      hub().services.client,
      `order:acme:rest:${externalId}`,
      'lifecycle-rejected-unknown-sku',
    );
    // The same path, recorded with the request-id header its start now carries.
    await recordHistoryIfAsked(
      hub().services.client,
      `order:acme:rest:${externalId}`,
      'lifecycle-rejected-with-request-id',
    );
  });

  it('answers invalid input with 400 and the reasons', async () => {
    const res = await http.post(
      `${hub().apiUrl}/v1/orders`,
      { externalId: 'x y', currency: 'usd', lines: [{ sku: 'A', quantity: 0, unitPrice: 'free' }] },
      { headers: acme() },
    );
    expect(res.status).toBe(400);
    const paths = (res.data as { error: { details: Array<{ path: string }> } }).error.details.map(
      (d) => d.path,
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        'externalId',
        'currency',
        'shippingAddress',
        'lines[0].quantity',
        'lines[0].unitPrice',
      ]),
    );
    // Money past the documented maximum is refused, naming the field, before any arithmetic.
    const tooDear = await http.post(
      `${hub().apiUrl}/v1/orders`,
      {
        ...restOrder(`dear-${Date.now()}`, [{ sku: 'MUG-TI', quantity: 1 }]),
        lines: [{ sku: 'MUG-TI', quantity: 10_000, unitPrice: '99999999999.99' }],
      },
      { headers: acme() },
    );
    expect(tooDear.status).toBe(400);
    expect(
      (tooDear.data as { error: { details: Array<{ path: string; message: string }> } }).error.details,
    ).toEqual([
      expect.objectContaining({ path: 'lines[0].unitPrice', message: expect.stringContaining(MAX_AMOUNT) }),
    ]);
    const notJson = await http.post(`${hub().apiUrl}/v1/orders`, '{"broken', {
      headers: { ...acme(), 'Content-Type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
  });

  it('keeps tenants apart and requires an API key', async () => {
    const externalId = uniqueId('iso');
    await postRestOrder(hub().apiUrl, externalId, [{ sku, quantity: 1 }]);
    await waitForStatus(`rest:${externalId}`, ['delivered']);
    const globex = globexHeaders();
    expect((await http.get(`${hub().apiUrl}/v1/orders/rest:${externalId}`, { headers: globex })).status).toBe(
      404,
    );
    expect((await http.get(`${hub().apiUrl}/v1/orders/rest:${externalId}`)).status).toBe(401);
    expect(
      (await http.get(`${hub().apiUrl}/v1/orders/rest:${externalId}`, { headers: { 'X-Api-Key': 'wrong' } }))
        .status,
    ).toBe(401);
  });

  it('reports health of Temporal, database and storage, and serves its OpenAPI document', async () => {
    const health = await http.get(`${hub().apiUrl}/health`);
    expect(health.status).toBe(200);
    expect(health.data).toMatchObject({
      status: 'ok',
      checks: { temporal: { status: 'up' }, database: { status: 'up' }, storage: { status: 'up' } },
    });
    const doc = await http.get(`${hub().apiUrl}/openapi.json`);
    expect(Object.keys(doc.data.paths)).toEqual(
      expect.arrayContaining(['/v1/orders', '/v1/orders/{id}', '/health']),
    );
    expect(doc.data.components.schemas.CanonicalOrder.properties.lines).toBeDefined();
  });

  it("serves a worker's health on its own port: ready only once its workers poll and start-up work is done", async () => {
    const progress: WorkerProgress = { workers: [], backgroundStarted: false };
    const { server, port } = await serveWorkerHealth(hub().services, progress, 0, '127.0.0.1');
    const get = (path: string) => http.get(`http://127.0.0.1:${port}${path}`);
    try {
      expect((await get('/health/live')).status).toBe(200);
      const starting = await get('/health/ready');
      expect(starting.status).toBe(503);
      expect(starting.data.checks).toMatchObject({
        database: { status: 'up' },
        workers: { status: 'down', error: 'workers not created yet' },
        background: { status: 'down' },
      });
      progress.workers = hub().workers;
      progress.backgroundStarted = true;
      const ready = await get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.data.checks).toMatchObject({ workers: { status: 'up' }, background: { status: 'up' } });
    } finally {
      server.close();
    }
  });
});

/**
 * One carrier account holds the tracking webhooks of several connectors, of several tenants
 * (the sandbox's `easypost` account serves acme-carrier and globex-carrier), and sends every scan
 * to each of them. A webhook must reach only the parcels its own connector bought for its tenant.
 */
describe('carrier webhooks keep tenants apart', () => {
  // Scans reach the parcels only as the test posts them.
  const hub = hubForTests({ tracking: null });
  const globex = globexHeaders;

  /** A tracker event as the carrier signs it, posted straight to one connector's webhook. */
  async function scan(connectorId: string, trackingCode: string, carrierShipmentId: string, status: string) {
    const body = JSON.stringify({
      object: 'Event',
      id: uniqueId('evt'),
      description: 'tracker.updated',
      result: {
        object: 'Tracker',
        tracking_code: trackingCode,
        shipment_id: carrierShipmentId,
        status,
        tracking_details: [{ status, message: status, datetime: new Date().toISOString() }],
      },
    });
    const secret = process.env.CROSSDOCK_CARRIER_WEBHOOK_SECRET!.normalize('NFKD');
    const signature = `hmac-sha256-hex=${createHmac('sha256', secret).update(body).digest('hex')}`;
    return http.post<{ received: boolean; orders: string[] }>(
      `${hub().apiUrl}/webhooks/carriers/${connectorId}`,
      body,
      { headers: { 'Content-Type': 'application/json', 'X-Hmac-Signature': signature } },
    );
  }

  it("signals a parcel's order only from the webhook of the connector and tenant that bought it", async () => {
    const sku = uniqueId('ISO');
    await seedStock(hub().services.sequelize, 'globex', { [sku]: { 'iso-globex': 5 } });
    const externalId = uniqueId('iso');
    const created = await postRestOrder(hub().apiUrl, externalId, [{ sku, quantity: 1 }], globex());
    expect(created.status).toBe(202);
    const order = await waitForOrder(hub().apiUrl, `rest:${externalId}`, ['label_purchased'], globex());
    const label = order.labels![0]!;
    expect(label.connectorId).toBe('globex-carrier');
    const shipment = (await modelsOf(hub().services.sequelize).Shipment.findOne({
      where: { tenantId: 'globex', orderKey: `order:globex:rest:${externalId}` },
    }))!;

    // acme's webhook on the same carrier account is sent the same scan: it reaches no order.
    for (const other of ['acme-carrier', 'acme-parcelhub']) {
      const res = await scan(other, label.trackingCode, shipment.carrierShipmentId!, 'delivered');
      expect(res.status).toBe(200);
      expect(res.data.orders).toEqual([]);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const untouched = (
      await http.get<OrderView>(`${hub().apiUrl}/v1/orders/rest:${externalId}`, { headers: globex() })
    ).data;
    expect(untouched.status).toBe('label_purchased');
    expect(untouched.labels![0]!.tracking).toBeUndefined();
    expect(
      (await modelsOf(hub().services.sequelize).Shipment.findOne({
        where: { shipmentKey: shipment.shipmentKey },
      }))!.trackingStatus,
    ).toBeNull();

    // Its own connector's webhook moves it on.
    const own = await scan('globex-carrier', label.trackingCode, shipment.carrierShipmentId!, 'delivered');
    expect(own.data.orders).toEqual([`order:globex:rest:${externalId}`]);
    const delivered = await waitForOrder(hub().apiUrl, `rest:${externalId}`, ['delivered'], globex());
    expect(delivered.labels![0]!.tracking?.status).toBe('delivered');
  });
});
