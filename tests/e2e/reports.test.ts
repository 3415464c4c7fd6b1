import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { OrderReportRow, InventoryReportRow } from '../../domain/orders/report';
import { acmeHeaders, http, restOrder, seedStock, uniqueId, waitForOrder } from '../support/fixtures';
import { hubForTests, QUICK_DELIVERY } from '../support/hub-lifecycle';

/**
 * Order and inventory reports from what the orders did: a single-parcel and a split order
 * delivered, one returned, one cancelled while waiting for payment, one rejected; grouped by this
 * test's own locations, so other tests' orders of the tenant do not count.
 */
describe('order and inventory reports', () => {
  const hub = hubForTests({ tracking: QUICK_DELIVERY });
  const today = new Date().toISOString().slice(0, 10);

  const order = async (body: ReturnType<typeof restOrder>) =>
    expect((await http.post(`${hub().apiUrl}/v1/orders`, body, { headers: acmeHeaders() })).status).toBe(202);

  it('counts volume, revenue, times, splits, returns, cancellations and rejections per location', async () => {
    const [a, b] = [uniqueId('RPA'), uniqueId('RPB')];
    const [east, west] = [uniqueId('rep-east'), uniqueId('rep-west')];
    await seedStock(hub().services.sequelize, 'acme', { [a]: { [east]: 10 }, [b]: { [west]: 10 } });
    const [single, split, unpaid, unknown] = ['single', 'split', 'unpaid', 'unknown'].map(uniqueId);
    await order(restOrder(single!, [{ sku: a, quantity: 1 }]));
    await order(
      restOrder(split!, [
        { sku: a, quantity: 1 },
        { sku: b, quantity: 2 },
      ]),
    );
    await order({ ...restOrder(unpaid!, [{ sku: a, quantity: 3 }]), paymentStatus: 'pending' });
    await order(restOrder(unknown!, [{ sku: uniqueId('NOSUCH'), quantity: 1 }]));
    for (const id of [single, split]) await waitForOrder(hub().apiUrl, `rest:${id}`, ['delivered']);
    await waitForOrder(hub().apiUrl, `rest:${unpaid}`, ['awaiting_payment']);
    expect(
      (
        await http.post(
          `${hub().apiUrl}/v1/orders/rest:${unpaid}/cancel`,
          { reason: 'customer changed their mind' },
          { headers: acmeHeaders() },
        )
      ).status,
    ).toBe(200);
    expect((await waitForOrder(hub().apiUrl, `rest:${unknown}`, ['rejected'])).rejection?.type).toBe(
      'UnknownSku',
    );
    const returned = await http.post(
      `${hub().apiUrl}/v1/orders/rest:${single}/returns`,
      { lines: [{ sku: a, quantity: 1 }] },
      { headers: acmeHeaders() },
    );
    expect(returned.status).toBe(201);

    const report = await http.get<{ groups: OrderReportRow[] }>(
      `${hub().apiUrl}/v1/reports/orders?from=${today}&to=${today}&groupBy=location`,
      { headers: acmeHeaders() },
    );
    expect(report.status).toBe(200);
    const row = (group: string) => report.data.groups.find((g) => g.group === group)!;
    // 19.99 a unit (restOrder): single 19.99, split 59.97; the cancelled order is not revenue.
    expect(row(east)).toMatchObject({
      orders: 3,
      revenue: [{ currency: 'USD', amount: '79.96' }],
      splitRate: 0.5,
      cancellations: 1,
      returnRate: 0.5,
      exceptions: 0,
      rejections: {},
    });
    expect(row(west)).toMatchObject({
      orders: 1,
      splitRate: 1,
      revenue: [{ currency: 'USD', amount: '59.97' }],
    });
    for (const spread of [row(east).orderToShipSeconds, row(east).shipToDeliverSeconds]) {
      expect(spread.p50).not.toBeNull();
      expect(spread.p90!).toBeGreaterThanOrEqual(spread.p50!);
    }
    const byChannel = await http.get<{ groups: OrderReportRow[] }>(
      `${hub().apiUrl}/v1/reports/orders?from=${today}&to=${today}&groupBy=channel`,
      { headers: acmeHeaders() },
    );
    expect(
      byChannel.data.groups.find((g) => g.group === 'rest')!.rejections.UnknownSku,
    ).toBeGreaterThanOrEqual(1);

    // The same as CSV, and exported to storage.
    const csv = await http.get<string>(
      `${hub().apiUrl}/v1/reports/orders?from=${today}&to=${today}&groupBy=location&format=csv`,
      { headers: acmeHeaders(), responseType: 'text' },
    );
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.data).toContain(`${east},3,USD 79.96,`);
    const exported = await http.post<{ key: string }>(
      `${hub().apiUrl}/v1/reports/orders/export?from=${today}&to=${today}&groupBy=location`,
      undefined,
      { headers: acmeHeaders() },
    );
    expect(exported.status).toBe(201);
    const stored = await hub().services.storage.client.send(
      new GetObjectCommand({ Bucket: hub().services.storage.bucket, Key: exported.data.key }),
    );
    expect(await stored.Body!.transformToString()).toContain(`${east},3,USD 79.96,`);

    // A range the API cannot report on, named.
    const backwards = await http.get(`${hub().apiUrl}/v1/reports/orders?from=${today}&to=2020-01-01`, {
      headers: acmeHeaders(),
    });
    expect(backwards.status).toBe(422);

    // Inventory: what is left, and how long it lasts at the last 30 days' pace.
    const levels = await http.get<{ levels: InventoryReportRow[] }>(`${hub().apiUrl}/v1/reports/inventory`, {
      headers: acmeHeaders(),
    });
    expect(levels.data.levels.find((l) => l.sku === a && l.locationId === east)).toEqual({
      sku: a,
      locationId: east,
      onHand: 8,
      reserved: 0,
      available: 8,
      shipped30d: 2,
      daysOfCover: 120,
    });
  }, 120_000);
});
