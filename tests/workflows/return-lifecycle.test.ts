import type { WorkflowHandle } from '@temporalio/client';
import { getLevels } from '../../db/inventory';
import { modelsOf } from '../../db/models';
import { returnsOfOrder } from '../../db/returns';
import type { OrderView } from '../../domain/orders/status';
import type { ReturnStatus, ReturnView } from '../../domain/returns/return';
import type { TenantConfig } from '../../platform/config/schema';
import type { ReturnOutcome, ReturnRequest } from '../../intake/returns';
import type { orderLifecycle } from '../../workflows';
import { getOrderQuery } from '../../workflows/orders/contract';
import { trackingSignal } from '../../workflows/shared/contract';
import {
  approveReturnUpdate,
  getReturnQuery,
  receiveReturnUpdate,
  rejectReturnUpdate,
} from '../../workflows/returns/contract';
import { eventually, restOrder, seedStock, uniqueId } from '../support/fixtures';
import { sleepInSteps, timeSkippingHubForTests, updateRefusal } from '../support/time-skipping';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Returns on the time-skipping server with their real activities: return windows, approval
 * deadlines and scan timeouts of days pass in moments; stock, labels and postings are real.
 */
describe('returnLifecycle workflow (time-skipping server)', () => {
  const hub = timeSkippingHubForTests();
  let acme: TenantConfig;

  beforeAll(async () => {
    acme = hub().config.tenants.find((t) => t.id === 'acme')!;
  });

  /** An order of `quantity` units of a new SKU, shipped and delivered through its workflow. */
  async function deliveredOrder(
    quantity: number,
  ): Promise<{ sku: string; externalId: string; view: OrderView }> {
    const sku = uniqueId('RET');
    await seedStock(hub().sequelize, 'acme', { [sku]: { 'lc-r': 10 } });
    const externalId = uniqueId('rt');
    const handle: WorkflowHandle<typeof orderLifecycle> = await hub().env.client.workflow.start(
      'orderLifecycle',
      {
        workflowId: `order:acme:rest:${externalId}`,
        taskQueue: hub().config.temporal.orchestrationTaskQueue,
        args: [
          {
            tenantId: 'acme',
            candidate: {
              ...restOrder(externalId, [{ sku, quantity }]),
              shippingPrice: '6.00',
              shippingTax: '0.50',
            },
            policy: hub().intake.policyFor(acme, 'rest'),
            receivedAt: new Date().toISOString(),
            origin: 'api',
          },
        ],
      },
    );
    const labelled = await eventually('a label', async () => {
      const view = await handle.query(getOrderQuery);
      return view.status === 'label_purchased' ? view : undefined;
    });
    for (const status of ['in_transit', 'delivered'] as const) {
      await handle.signal(trackingSignal, {
        trackingCode: labelled.labels![0]!.trackingCode,
        status,
        at: new Date(Date.now() + (status === 'delivered' ? 2 : 1) * DAY).toISOString(),
      });
    }
    // Polled, not awaited with result(): with nothing left to run, the test server would jump years.
    const view = await eventually('delivery', async () => {
      const current = await handle.query(getOrderQuery);
      return current.status === 'delivered' ? current : undefined;
    });
    return { sku, externalId, view };
  }

  async function request(
    externalId: string,
    body: ReturnRequest,
    tenant: TenantConfig = acme,
  ): Promise<ReturnOutcome> {
    return hub().returns.request(tenant, { channel: 'rest', externalId }, body, 'api');
  }

  function accepted(outcome: ReturnOutcome): WorkflowHandle {
    if (outcome.kind !== 'created') throw new Error(`expected a new return, got ${JSON.stringify(outcome)}`);
    return hub().env.client.workflow.getHandle(`return:acme:${outcome.view.id}`);
  }

  /** The return once it is `status` (and, when approved, once its label is issued). */
  async function until(handle: WorkflowHandle, status: ReturnStatus): Promise<ReturnView> {
    return eventually(`return to be ${status}`, async () => {
      const view = await handle.query(getReturnQuery);
      const settled = status !== 'approved' || view.label !== undefined;
      return view.status === status && settled && view.timeline.at(-1)?.status === status ? view : undefined;
    });
  }

  const manual = (): TenantConfig => ({ ...acme, returns: { ...acme.returns, approval: 'manual' } });

  it('refuses a return once the window after delivery has closed, and admits one inside it', async () => {
    const late = await deliveredOrder(1);
    await sleepInSteps(hub().env, 31 * DAY);
    const refused = await request(late.externalId, { lines: [{ sku: late.sku, quantity: 1 }] });
    // The caller's clock is real time; the workflow's is the server's, 31 days on: the workflow decides.
    expect(refused.kind).toBe('ineligible');
    if (refused.kind !== 'ineligible') return;
    expect(refused.reasons.join(' ')).toMatch(/return window of 30 days closed/);
    expect(refused.view?.status).toBe('rejected');
    expect(await returnsOfOrder(hub().sequelize, 'acme', `order:acme:rest:${late.externalId}`)).toEqual([]);

    const inTime = await deliveredOrder(1);
    await sleepInSteps(hub().env, 29 * DAY);
    const handle = accepted(await request(inTime.externalId, { lines: [{ sku: inTime.sku, quantity: 1 }] }));
    const view = await until(handle, 'approved');
    expect(view.label?.trackingCode).toBeTruthy();
  });

  it('expires a return nobody decided on by the approval deadline and gives its units back', async () => {
    const order = await deliveredOrder(2);
    const orderKey = `order:acme:rest:${order.externalId}`;
    const handle = accepted(
      await request(order.externalId, { lines: [{ sku: order.sku, quantity: 2 }] }, manual()),
    );
    // Both units are held: a second return finds nothing left to return.
    const second = await request(order.externalId, { lines: [{ sku: order.sku, quantity: 1 }] });
    expect(second).toMatchObject({ kind: 'ineligible' });

    await hub().env.sleep(73 * HOUR);
    const expired = await until(handle, 'expired');
    expect(expired.status).toBe('expired');
    expect(expired.timeline.at(-1)?.note).toBe('no decision within 72 hours');
    expect(expired.label).toBeUndefined();
    expect((await returnsOfOrder(hub().sequelize, 'acme', orderKey)).map((r) => r.status)).toEqual(['void']);
    const again = await request(order.externalId, { lines: [{ sku: order.sku, quantity: 2 }] });
    expect(again.kind).toBe('created');
  });

  it('takes a decision before the deadline: a rejection names its reason, an approval issues the label', async () => {
    const order = await deliveredOrder(2);
    const rejected = accepted(
      await request(order.externalId, { lines: [{ sku: order.sku, quantity: 1 }] }, manual()),
    );
    await hub().env.sleep(10 * HOUR);
    expect(
      await updateRefusal(rejected.executeUpdate(rejectReturnUpdate, { args: [{ reason: '' }] })),
    ).toMatch(/a rejection needs a reason/);
    const refused = await rejected.executeUpdate(rejectReturnUpdate, {
      args: [{ reason: 'worn, not eligible' }],
    });
    expect(refused.status).toBe('rejected');
    expect(refused.rejection).toEqual({ type: 'Refused', reasons: ['worn, not eligible'] });

    const approved = accepted(
      await request(order.externalId, { lines: [{ sku: order.sku, quantity: 2 }] }, manual()),
    );
    const view = await approved.executeUpdate(approveReturnUpdate, { args: [{ note: 'ok by support' }] });
    expect(view.status).toBe('approved');
    expect(view.label?.labelKey).toMatch(/^tenants\/acme\/labels\//);
    expect(await hub().storage.exists(view.label!.labelKey)).toBe(true);
    expect(await updateRefusal(approved.executeUpdate(approveReturnUpdate, { args: [{}] }))).toMatch(
      /only a requested return awaits a decision/,
    );
  });

  it('expires an approved return when no carrier scan arrives in time, voiding its label', async () => {
    const order = await deliveredOrder(1);
    const handle = accepted(await request(order.externalId, { lines: [{ sku: order.sku, quantity: 1 }] }));
    const approved = await until(handle, 'approved');
    await hub().env.sleep(15 * DAY);
    const expired = await until(handle, 'expired');
    expect(expired.status).toBe('expired');
    expect(expired.label?.voided).toBe(true);
    const shipment = await modelsOf(hub().sequelize).Shipment.findOne({
      where: { tenantId: 'acme', shipmentKey: approved.label!.shipmentKey },
    });
    expect(shipment?.status).toBe('voided');
  });

  it('receives a scanned return: restocks the sellable unit, writes off the damaged one, refunds what policy pays', async () => {
    const order = await deliveredOrder(3);
    const handle = accepted(
      await request(order.externalId, { lines: [{ sku: order.sku, quantity: 2, reason: 'too big' }] }),
    );
    const approved = await until(handle, 'approved');
    await hub().env.sleep(3 * DAY);
    await handle.signal(trackingSignal, {
      trackingCode: approved.label!.trackingCode,
      status: 'in_transit',
      at: new Date(Date.now() + 3 * DAY).toISOString(),
    });
    await until(handle, 'in_transit');
    expect(
      await updateRefusal(
        handle.executeUpdate(receiveReturnUpdate, {
          args: [{ lines: [{ sku: order.sku, quantity: 3, condition: 'sellable' }] }],
        }),
      ),
    ).toMatch(/quantity must be a whole number from 0 to 2/);
    expect(
      await updateRefusal(
        handle.executeUpdate(receiveReturnUpdate, {
          args: [{ locationId: 'nowhere', lines: [{ sku: order.sku, quantity: 1, condition: 'sellable' }] }],
        }),
      ),
    ).toMatch(/location nowhere does not exist/);
    const received = await handle.executeUpdate(receiveReturnUpdate, {
      args: [
        {
          lines: [{ sku: order.sku, quantity: 1, condition: 'sellable' }],
        },
      ],
    });
    expect(received.status).toBe('received');
    const done = await until(handle, 'refunded');
    // 19.99 a unit, no tax, no restocking fee; shipping stays (one unit is still with the customer).
    expect(done.refund).toMatchObject({ total: '19.99', paid: '19.99', shipping: '0.00' });
    expect(done.refund?.creditNoteId).toBeTruthy();
    const levels = (await getLevels(hub().sequelize, 'acme', order.sku)).map((l) => [
      l.locationId,
      l.onHand,
      l.reserved,
    ]);
    expect(levels).toEqual([['lc-r', 8, 0]]); // 10 − 3 shipped + 1 back
    const ledger = await modelsOf(hub().sequelize).InventoryMovement.findAll({
      where: { tenantId: 'acme', sku: order.sku, kind: 'return_restock' },
    });
    expect(ledger.map((m) => [m.onHandDelta, m.reference])).toEqual([[1, done.id]]);

    // The unit that did not come back can still be returned; the rest of the order with it.
    const last = accepted(await request(order.externalId, { lines: [{ sku: order.sku, quantity: 2 }] }));
    await until(last, 'approved');
    const lastReceived = await last.executeUpdate(receiveReturnUpdate, {
      args: [{ lines: [{ sku: order.sku, quantity: 2, condition: 'damaged', note: 'crushed box' }] }],
    });
    expect(lastReceived.status).toBe('received');
    const closed = await until(last, 'closed');
    // Damaged goods are written off and, by this policy, not refunded.
    expect(closed.status).toBe('closed');
    expect(closed.refund?.total).toBe('0.00');
    const writeOffs = await modelsOf(hub().sequelize).InventoryMovement.findAll({
      where: { tenantId: 'acme', sku: order.sku, kind: 'write_off' },
    });
    expect(writeOffs.map((m) => [m.onHandDelta, m.reason])).toEqual([
      [0, `damaged, 2 written off on ${closed.id}: crushed box`],
    ]);
  });

  it('ships an exchange at once when policy says so, linked both ways, and keeps its value from the refund', async () => {
    const order = await deliveredOrder(2);
    const swap = uniqueId('SWP');
    await seedStock(hub().sequelize, 'acme', { [swap]: { 'lc-r': 5 } });
    const outcome = await request(order.externalId, {
      lines: [{ sku: order.sku, quantity: 1, reason: 'wrong size' }],
      exchange: { lines: [{ sku: swap, quantity: 1, unitPrice: '15.00' }], ships: 'immediately' },
    });
    const handle = accepted(outcome);
    const approved = await until(handle, 'approved');
    expect(approved.exchange?.orderId).toBe(`rest:${approved.id}-X`);
    const replacement = hub().env.client.workflow.getHandle(`order:acme:rest:${approved.id}-X`);
    const shipping = await eventually('the replacement to ship', async () => {
      const view = await replacement.query(getOrderQuery);
      return view.status === 'label_purchased' ? view : undefined;
    });
    expect(shipping.exchangeFor).toEqual({ rmaId: approved.id, orderId: `rest:${order.externalId}` });
    expect(shipping.totals?.total).toBe('0.00');

    await handle.executeUpdate(receiveReturnUpdate, {
      args: [{ lines: [{ sku: order.sku, quantity: 1, condition: 'sellable' }] }],
    });
    const done = await until(handle, 'refunded');
    expect(done.refund).toMatchObject({ total: '19.99', exchangeCredit: '15.00', paid: '4.99' });

    const tooDear = await request(order.externalId, {
      lines: [{ sku: order.sku, quantity: 1 }],
      exchange: { lines: [{ sku: swap, quantity: 2, unitPrice: '15.00' }] },
    });
    expect(tooDear.kind).toBe('ineligible');
    if (tooDear.kind === 'ineligible')
      expect(tooDear.reasons.join(' ')).toMatch(/place a new order for the difference/);
  });
});
