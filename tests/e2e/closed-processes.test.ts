import axios from 'axios';
import { acmeHeaders, eventually, postRestOrder, uniqueId, waitForOrder } from '../support/fixtures';
import { hubForTests } from '../support/hub-lifecycle';

/**
 * A closed process answers from the result it completed with, read from its history's last
 * event, not from a Query a worker must replay: it reads while no worker runs.
 */
describe('closed processes', () => {
  const hub = hubForTests();

  it('answers a closed order while no worker runs', async () => {
    const externalId = uniqueId('closed');
    const posted = await postRestOrder(hub().apiUrl, externalId, [{ sku: 'NO-SUCH-SKU', quantity: 1 }]);
    expect(posted.status).toBe(202);
    const rejected = await waitForOrder(hub().apiUrl, `rest:${externalId}`, ['rejected']);
    await eventually('the order run to close', async () => {
      const { status } = await hub()
        .services.client.workflow.getHandle(`order:acme:rest:${externalId}`)
        .describe();
      return status.name === 'COMPLETED' || undefined;
    });

    for (const worker of hub().workers) worker.shutdown();
    await eventually(
      'every worker to stop',
      async () => hub().workers.every((worker) => worker.getState() === 'STOPPED') || undefined,
    );
    // A Query would wait for a worker until the client gave up; the result needs none.
    const read = await axios.get(`${hub().apiUrl}/v1/orders/rest:${externalId}`, {
      headers: acmeHeaders(),
      timeout: 5_000,
    });
    expect(read.status).toBe(200);
    // The view the run completed with (a replayed Query may time its entries a few ms apart).
    expect(read.data).toMatchObject({ id: rejected.id, status: 'rejected', rejection: rejected.rejection });
    expect(read.data.timeline.map((t: { status: string }) => t.status)).toEqual(['received', 'rejected']);
  });
});
