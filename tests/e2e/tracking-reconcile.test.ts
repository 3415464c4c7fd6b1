import type { OrderView } from '../../domain/orders/status';
import { recordHistoryIfAsked } from '../support/histories';
import {
  acmeHeaders,
  globexHeaders,
  http,
  postRestOrder,
  seedStock,
  uniqueId,
  waitForOrder,
} from '../support/fixtures';
import { hubForTests } from '../support/hub-lifecycle';

/**
 * Scans whose webhooks never reached the hub (it could not take them for longer than the carrier
 * retried) are fetched from the carrier by the tracker reconcile, and the order moves on.
 */
describe('carrier tracking reconciled end to end', () => {
  const hub = hubForTests();

  test('an order whose scans were all lost is shipped and delivered by the reconcile, once', async () => {
    const sku = uniqueId('LOST');
    await seedStock(hub().services.sequelize, 'acme', { [sku]: { 'e2e-main': 3 } });
    const externalId = uniqueId('ord');
    const res = await postRestOrder(hub().apiUrl, externalId, [{ sku, quantity: 1 }]);
    expect(res.status).toBe(202);
    const labelled = await waitForOrder(
      hub().apiUrl,
      `rest:${externalId}`,
      ['label_purchased'],
      acmeHeaders(),
    );
    const [label] = labelled.labels ?? [];
    // The carrier scans the parcel twice; neither webhook is ever delivered.
    for (const status of ['in_transit', 'delivered'])
      await http.post(`${hub().sandboxUrl}/__sandbox/easypost/track`, {
        trackingCode: label!.trackingCode,
        status,
        silent: true,
      });
    const run = async (quietMinutes: number, record?: string) => {
      const workflowId = uniqueId('tracker-reconcile');
      const result = await hub().services.client.workflow.execute('trackerReconcile', {
        taskQueue: hub().services.config.temporal.orchestrationTaskQueue,
        workflowId,
        args: [{ tenantId: 'acme', connectorId: label!.connectorId!, quietMinutes }],
      });
      if (record) await recordHistoryIfAsked(hub().services.client, workflowId, record);
      return result;
    };
    // Ops reconcile on demand (the same pass as the schedule's): a parcel heard from within the
    // quiet period is not asked about.
    const onDemand = async (quietMinutes: number) => {
      const answer = await http.post(
        `${hub().apiUrl}/v1/carriers/${label!.connectorId}/reconcile?quietMinutes=${quietMinutes}`,
        undefined,
        { headers: acmeHeaders() },
      );
      expect(answer.status).toBe(200);
      return (answer.data as { found: unknown }).found;
    };
    expect(await onDemand(60)).toEqual({ signalled: 0 });
    expect(await run(0, 'tracker-reconcile-signalled')).toEqual({ signalled: 1 });
    const delivered = (await waitForOrder(
      hub().apiUrl,
      `rest:${externalId}`,
      ['delivered'],
      acmeHeaders(),
    )) as OrderView;
    expect(delivered.timeline.map((t) => t.status)).toEqual(expect.arrayContaining(['shipped', 'delivered']));
    // The next pass finds it at the end of its tracking: nothing signalled twice.
    expect(await onDemand(0)).toEqual({ signalled: 0 });
    // Another tenant's key does not reach this carrier; a bad quiet period is named.
    const globex = globexHeaders();
    expect(
      (
        await http.post(`${hub().apiUrl}/v1/carriers/${label!.connectorId}/reconcile`, undefined, {
          headers: globex,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await http.post(
          `${hub().apiUrl}/v1/carriers/${label!.connectorId}/reconcile?quietMinutes=-1`,
          undefined,
          {
            headers: acmeHeaders(),
          },
        )
      ).status,
    ).toBe(400);
  });
});
