import { randomUUID } from 'node:crypto';
import axios from 'axios';
import { SquareClient, SquareError } from 'square';
import { SquareConnector } from '../../connectors/pos/square';
import { canonicalFromSquare } from '../../domain/orders/channels/square';
import { expectRefusedForGood, sandboxConnectorConfig } from '../support/contract-connectors';

/**
 * The sandbox Square driven by Square's official SDK through the operations the hub uses
 * (orders, catalog variations), with Square computing every order's money, and its refusals in
 * Square's `errors[]` shape.
 */
describe('sandbox Square under the official client', () => {
  const sandbox = process.env.CROSSDOCK_SANDBOX_URL!;
  const square = new SquareClient({
    token: process.env.CROSSDOCK_SANDBOX_SQUARE_TOKEN,
    baseUrl: `${sandbox}/square`,
  });
  const variation = `VAR-${randomUUID().slice(0, 8).toUpperCase()}`;

  beforeAll(async () => {
    await axios.post(`${sandbox}/__sandbox/square/catalog`, {
      id: variation,
      sku: 'WIDGET-CT',
      name: 'Regular',
      itemName: 'Widget',
      price: { amount: 1250, currency: 'USD' },
    });
  });

  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SquareError);
    return { status: (error as SquareError).statusCode, errors: (error as SquareError).errors };
  };

  it('creates and reads orders and catalog variations, Square computing totals, taxes and what is due', async () => {
    const created = await square.orders.create({
      idempotencyKey: randomUUID(),
      order: {
        locationId: 'L1',
        lineItems: [{ quantity: '3', catalogObjectId: variation }],
        taxes: [{ uid: 'tax', name: 'Sales tax', percentage: '8', scope: 'ORDER' }],
      },
    });
    const order = created.order!;
    expect(order.totalMoney).toEqual({ amount: BigInt(4050), currency: 'USD' });
    expect(order.totalTaxMoney).toEqual({ amount: BigInt(300), currency: 'USD' });
    expect(order.netAmountDueMoney).toEqual({ amount: BigInt(4050), currency: 'USD' });
    const read = await square.orders.get({ orderId: order.id! });
    expect(read.order!.lineItems![0]).toMatchObject({
      catalogObjectId: variation,
      totalMoney: { amount: BigInt(4050) },
    });
    const objects = await square.catalog.batchGet({ objectIds: [variation, 'NO-SUCH-ID'] });
    expect(
      objects.objects!.map((o) => (o as { itemVariationData?: { sku?: string } }).itemVariationData?.sku),
    ).toEqual(['WIDGET-CT']);
    const listed: string[] = [];
    for await (const object of await square.catalog.list({ types: 'ITEM_VARIATION' }))
      listed.push(object.id!);
    expect(listed).toContain(variation);
  });

  it('refuses what Square refuses, naming the field, and never answers a page', async () => {
    expect(await refusal(square.orders.get({ orderId: 'NO-SUCH-ORDER' }))).toMatchObject({
      status: 404,
      errors: [expect.objectContaining({ code: 'NOT_FOUND' })],
    });
    expect(
      await refusal(
        square.orders.create({
          idempotencyKey: randomUUID(),
          order: { locationId: 'L1', lineItems: [{ quantity: '1', name: 'Ad hoc' }] },
        }),
      ),
    ).toMatchObject({
      status: 400,
      errors: [
        expect.objectContaining({
          code: 'MISSING_REQUIRED_PARAMETER',
          field: 'order.line_items[0].base_price_money',
        }),
      ],
    });
    expect(
      await refusal(
        square.orders.create({
          idempotencyKey: randomUUID(),
          order: { locationId: 'L1', lineItems: [{ quantity: 'three', catalogObjectId: variation }] },
        }),
      ),
    ).toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ field: 'order.line_items[0].quantity' })],
    });
    const unknown = await axios.get(`${sandbox}/square/v2/nothing`, {
      headers: { Authorization: `Bearer ${process.env.CROSSDOCK_SANDBOX_SQUARE_TOKEN}` },
      validateStatus: () => true,
    });
    expect({ status: unknown.status, code: unknown.data.errors[0].code }).toEqual({
      status: 404,
      code: 'NOT_FOUND',
    });
  });

  it('reads through the hub’s connector an order as paid only once its tenders cover it', async () => {
    process.env.CONTRACT_SQUARE_SIGNATURE = 'contract';
    const config = sandboxConnectorConfig('square', {
      tenant: 'globex',
      kind: 'pos',
      credentials: {
        accessToken: { env: 'CROSSDOCK_SANDBOX_SQUARE_TOKEN' },
        signatureKey: { env: 'CONTRACT_SQUARE_SIGNATURE' },
      },
      options: { notificationUrl: 'http://127.0.0.1/webhooks/square/contract-square' },
    });
    const connector = new SquareConnector(config);
    const ring = (tenders: unknown[]) =>
      axios.post<{ order: { id: string } }>(`${sandbox}/__sandbox/square/orders`, {
        location_id: 'L1',
        line_items: [{ quantity: '2', catalog_object_id: variation }],
        tenders,
      });
    const open = await connector.getOrder((await ring([])).data.order.id);
    const skus = await connector.skusFor([variation]);
    expect(canonicalFromSquare(open, skus)).toMatchObject({
      paymentStatus: 'pending',
      lines: [{ sku: 'WIDGET-CT', quantity: 2, unitPrice: '12.50' }],
    });
    const paid = await connector.getOrder(
      (await ring([{ type: 'CARD', amount_money: { amount: 2500, currency: 'USD' } }])).data.order.id,
    );
    expect(canonicalFromSquare(paid, skus).paymentStatus).toBe('paid');
    const missing = await connector.getOrder('NO-SUCH-ORDER').catch((e: unknown) => e);
    expectRefusedForGood(missing, 'Order NO-SUCH-ORDER not found (NOT_FOUND)');
  });
});
