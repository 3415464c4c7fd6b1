import axios from 'axios';
import { WorkflowFailedError } from '@temporalio/client';
import { getLevels } from '../../db/inventory';
import { modelsOf } from '../../db/models';
import { canonicalOrderSchema } from '../../domain/orders/order';
import type { orderFulfillment } from '../../workflows';
import { type OrderWorkflowInput, getOrderQuery } from '../../workflows/orders/contract';
import { restOrder, seedStock, uniqueId } from '../support/fixtures';
import { clearFaults, injectFaults } from '../support/sandbox-faults';
import { timeSkippingHubForTests } from '../support/time-skipping';

/**
 * The first order workflow, kept registered for orders that started on it, on the time-skipping test server, with its real activities: stock in
 * PostgreSQL, labels from the sandbox carrier over HTTP, documents in S3.
 */
describe('orderFulfillment workflow (time-skipping server)', () => {
  const hub = timeSkippingHubForTests();
  const sandbox = axios.create({ baseURL: process.env.CROSSDOCK_SANDBOX_URL, validateStatus: () => true });

  afterEach(() => clearFaults(process.env.CROSSDOCK_SANDBOX_URL!));

  function input(externalId: string, lines: Array<{ sku: string; quantity: number }>): OrderWorkflowInput {
    return {
      tenantId: 'acme',
      order: canonicalOrderSchema().parse(restOrder(externalId, lines)),
      carrierConnectorId: 'acme-carrier',
      receivedAt: '2026-01-01T00:00:00.000Z',
    };
  }

  function start(externalId: string, lines: Array<{ sku: string; quantity: number }>) {
    return hub().env.client.workflow.start<typeof orderFulfillment>('orderFulfillment', {
      workflowId: `order:acme:rest:${externalId}`,
      taskQueue: hub().config.temporal.orchestrationTaskQueue,
      args: [input(externalId, lines)],
    });
  }

  async function run(externalId: string, lines: Array<{ sku: string; quantity: number }>) {
    return (await start(externalId, lines)).result();
  }

  /** A new SKU of this test's own, with the stock given at the test's locations. */
  async function stockedSku(prefix: string, levels: Record<string, number>): Promise<string> {
    const sku = uniqueId(prefix);
    await seedStock(hub().sequelize, 'acme', { [sku]: levels });
    return sku;
  }

  /** The sandbox carrier answers its next calls as given (the faults are cleared after each test). */
  const carrierFaults = (faults: Record<string, unknown>) =>
    injectFaults(process.env.CROSSDOCK_SANDBOX_URL!, ['easypost'], faults);

  async function heldFor(externalId: string): Promise<number> {
    return modelsOf(hub().sequelize).StockReservation.count({
      where: { tenantId: 'acme', orderKey: `order:acme:rest:${externalId}`, status: 'held' },
    });
  }

  it('ships one parcel per location when stock has to be split', async () => {
    const sku = await stockedSku('SPLIT', { 'wf-a': 2, 'wf-b': 3 });
    const view = await run(uniqueId('split'), [{ sku, quantity: 4 }]);
    expect(view.status).toBe('completed');
    expect(view.allocations).toEqual([
      { sku, locationId: 'wf-a', quantity: 2 },
      { sku, locationId: 'wf-b', quantity: 2 },
    ]);
    expect(view.labels?.map((l) => l.locationId)).toEqual(['wf-a', 'wf-b']);
    const levels = await getLevels(hub().sequelize, 'acme', sku);
    expect(levels.map((l) => [l.locationId, l.onHand, l.reserved])).toEqual([
      ['wf-a', 0, 0],
      ['wf-b', 1, 0],
    ]);
  });

  it('ends in rejected with the shortage when stock is insufficient, holding nothing', async () => {
    const sku = await stockedSku('SHORT', { 'wf-a': 1 });
    const externalId = uniqueId('short');
    const view = await run(externalId, [{ sku, quantity: 3 }]);
    expect(view.status).toBe('rejected');
    expect(view.rejection).toEqual({
      type: 'InsufficientStock',
      reasons: [`${sku}: 3 requested, 1 available`],
    });
    expect(await heldFor(externalId)).toBe(0);
    const [level] = await getLevels(hub().sequelize, 'acme', sku);
    expect(level!.reserved).toBe(0);
  });

  it('rides out carrier 5xx and 429 responses and still buys exactly one label', async () => {
    const sku = await stockedSku('RETRY', { 'wf-a': 3 });
    await carrierFaults({ failNext: { count: 2, status: 503 } });
    const externalId = uniqueId('retry');
    const handle = await start(externalId, [{ sku, quantity: 1 }]);
    const view = await handle.result();
    expect(view.status).toBe('completed');

    // A 429 asks for two minutes; the retry waits that long in workflow time, not in wall time.
    await carrierFaults({
      failNext: { count: 1, status: 429 },
      retryAfterSeconds: 120,
    });
    const secondId = uniqueId('retry');
    const wallStart = Date.now();
    const second = await run(secondId, [{ sku, quantity: 1 }]);
    expect(second.status).toBe('completed');
    expect(Date.now() - wallStart).toBeLessThan(30_000);
    const history = await hub().env.client.workflow.getHandle(`order:acme:rest:${secondId}`).fetchHistory();
    const events = history.events ?? [];
    const scheduled = events.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'purchaseLabel',
    );
    const started = events.find(
      (e) =>
        e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === scheduled?.eventId?.toString(),
    );
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(2);
    const waitedSeconds = Number(started!.eventTime!.seconds) - Number(scheduled!.eventTime!.seconds);
    expect(waitedSeconds).toBeGreaterThanOrEqual(120);

    const calls = (
      await sandbox.get<Array<{ path: string; status: number; method: string }>>(
        '/__sandbox/calls?partner=easypost',
      )
    ).data;
    const failed = calls.filter((c) => c.status === 503 || c.status === 429);
    expect(failed.length).toBeGreaterThanOrEqual(3);
    const trackingCodes = [...view.labels!, ...second.labels!].map((l) => l.trackingCode);
    expect(new Set(trackingCodes).size).toBe(2);
  });

  it('gives the stock back and fails when the carrier refuses the shipment', async () => {
    const sku = await stockedSku('REFUSE', { 'wf-a': 4 });
    await carrierFaults({ failNext: { count: 1, status: 422 } });
    const externalId = uniqueId('refused');
    const handle = await start(externalId, [{ sku, quantity: 2 }]);
    const failure = await handle.result().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.message).toMatch(
      /failed: carrier acme-carrier rejected the request \(422\)/,
    );
    const view = await handle.query(getOrderQuery);
    expect(view.status).toBe('failed');
    expect(view.timeline.map((t) => t.status)).toEqual(['received', 'stock_reserved', 'failed']);
    expect(await heldFor(externalId)).toBe(0);
    const [level] = await getLevels(hub().sequelize, 'acme', sku);
    expect({ onHand: level!.onHand, reserved: level!.reserved }).toEqual({ onHand: 4, reserved: 0 });
  });
});
