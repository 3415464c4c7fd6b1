import { trackingSignal } from '../../workflows/shared/contract';
import axios from 'axios';
import { temporal } from '@temporalio/proto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { getLevels } from '../../db/inventory';
import { modelsOf } from '../../db/models';
import type { CanonicalOrderInput } from '../../domain/orders/order';
import type { OrderStatus, OrderView } from '../../domain/orders/status';
import type { TrackingStatus } from '../../domain/orders/tracking';
import type { orderLifecycle } from '../../workflows';
import {
  getOrderQuery,
  cancelOrderUpdate,
  channelOrderUpdatedSignal,
  editOrderUpdate,
  type OrderLifecyclePolicy,
} from '../../workflows/orders/contract';
import {
  CUSTOMER_ADDRESS,
  DELIVERED_TIMELINE,
  eventually,
  quotedShipments,
  restOrder,
  seedStock,
  uniqueId,
} from '../support/fixtures';
import { recordHistoryIfAsked } from '../support/histories';
import { timeSkippingHubForTests } from '../support/time-skipping';

const DAY = 86_400_000;

/**
 * The order lifecycle on the time-skipping server with its real activities: days of carrier
 * silence, payment windows and edit windows pass in moments; stock, labels and postings are real.
 */
describe('orderLifecycle workflow (time-skipping server)', () => {
  const hub = timeSkippingHubForTests();
  const sandbox = axios.create({ baseURL: process.env.CROSSDOCK_SANDBOX_URL, validateStatus: () => true });
  let clock = Date.parse('2026-03-01T08:00:00Z');

  type Handle = WorkflowHandle<typeof orderLifecycle>;

  async function start(
    lines: Array<{ sku: string; quantity: number }>,
    options: { policy?: Partial<OrderLifecyclePolicy>; order?: Partial<CanonicalOrderInput> } = {},
  ): Promise<{ handle: Handle; orderKey: string }> {
    const externalId = uniqueId('wf');
    const tenant = hub().config.tenants.find((t) => t.id === 'acme')!;
    const orderKey = `order:acme:rest:${externalId}`;
    const handle = await hub().env.client.workflow.start<typeof orderLifecycle>('orderLifecycle', {
      workflowId: orderKey,
      taskQueue: hub().config.temporal.orchestrationTaskQueue,
      args: [
        {
          tenantId: 'acme',
          candidate: { ...restOrder(externalId, lines), ...options.order },
          policy: { ...hub().intake.policyFor(tenant, 'rest'), ...options.policy },
          receivedAt: new Date(clock).toISOString(),
          origin: 'api',
        },
      ],
    });
    return { handle, orderKey };
  }

  async function until(handle: Handle, status: OrderStatus): Promise<OrderView> {
    return eventually(`order to be ${status}`, async () => {
      const view = await handle.query(getOrderQuery);
      return view.status === status ? view : undefined;
    });
  }

  async function scan(handle: Handle, view: OrderView, status: TrackingStatus): Promise<void> {
    clock += 60_000;
    for (const label of view.labels ?? []) {
      await handle.signal(trackingSignal, {
        trackingCode: label.trackingCode,
        status,
        at: new Date(clock).toISOString(),
      });
    }
  }

  async function held(orderKey: string): Promise<number> {
    return modelsOf(hub().sequelize).StockReservation.count({
      where: { tenantId: 'acme', orderKey, status: 'held' },
    });
  }

  async function stock(sku: string) {
    return (await getLevels(hub().sequelize, 'acme', sku)).map((l) => [l.locationId, l.onHand, l.reserved]);
  }

  it('follows a parcel picked up two days after its label and delivered three days later', async () => {
    const sku = uniqueId('DLV');
    await seedStock(hub().sequelize, 'acme', { [sku]: { 'lc-a': 5 } });
    const { handle } = await start([{ sku, quantity: 2 }]);
    const labelled = await until(handle, 'label_purchased');
    expect(labelled.labels).toHaveLength(1);

    await hub().env.sleep(2 * DAY);
    await scan(handle, labelled, 'in_transit');
    const shipped = await until(handle, 'shipped');
    expect(shipped.accounting).toMatchObject({ connectorId: 'acme-quickbooks' });
    expect(await stock(sku)).toEqual([['lc-a', 3, 0]]);

    await hub().env.sleep(3 * DAY);
    await scan(handle, labelled, 'delivered');
    const done = await handle.result();
    expect(done.status).toBe('delivered');
    expect(done.timeline.map((t) => t.status)).toEqual(DELIVERED_TIMELINE);
  });

  it('cancels while the stock is reserved and gives back only what the order took', async () => {
    const sku = uniqueId('CXR');
    await seedStock(hub().sequelize, 'acme', { [sku]: { 'lc-a': 2, 'lc-b': 4 } });
    const { handle, orderKey } = await start([{ sku, quantity: 3 }], { policy: { editWindowSeconds: 3600 } });
    await until(handle, 'stock_reserved');
    expect(await stock(sku)).toEqual([
      ['lc-a', 2, 0],
      ['lc-b', 4, 3],
    ]);
    // Sent past the API (the Temporal CLI or UI): the workflow checks the contract's schema too.
    const malformed = await handle
      .executeUpdate(cancelOrderUpdate, { args: [{ reason: ' ', origin: 'phone' } as never] })
      .catch((error: unknown) => error);
    expect((malformed as WorkflowUpdateFailedError).cause?.message).toMatch(
      /^invalid cancellation: reason: .+; origin: /,
    );
    const view = await handle.executeUpdate(cancelOrderUpdate, {
      args: [{ reason: 'customer changed mind', origin: 'api' }],
    });
    expect(view.status).toBe('cancelled');
    expect(view.labels).toEqual([]);
    expect(await held(orderKey)).toBe(0);
    expect(await stock(sku)).toEqual([
      ['lc-a', 2, 0],
      ['lc-b', 4, 0],
    ]);
    expect(await modelsOf(hub().sequelize).Shipment.count({ where: { tenantId: 'acme', orderKey } })).toBe(0);
  });

  it('cancels while awaiting payment', async () => {
    const sku = uniqueId('CXP');
    await seedStock(hub().sequelize, 'acme', { [sku]: { 'lc-a': 3 } });
    const { handle, orderKey } = await start([{ sku, quantity: 1 }], { order: { paymentStatus: 'pending' } });
    await until(handle, 'awaiting_payment');
    const view = await handle.executeUpdate(cancelOrderUpdate, {
      args: [{ reason: 'fraud check failed', origin: 'ops' }],
    });
    expect(view.status).toBe('cancelled');
    expect(view.cancellation).toEqual({ reason: 'fraud check failed', origin: 'ops' });
    expect(await held(orderKey)).toBe(0);
  });

  it('expires an unpaid order when the payment window closes, and ships a paid one', async () => {
    const sku = uniqueId('PAY');
    await seedStock(hub().sequelize, 'acme', { [sku]: { 'lc-a': 3 } });
    const unpaid = await start([{ sku, quantity: 2 }], {
      order: { paymentStatus: 'pending' },
      policy: { paymentTimeoutMinutes: 90 },
    });
    const expired = await unpaid.handle.result();
    expect(expired.status).toBe('expired');
    expect(await held(unpaid.orderKey)).toBe(0);
    expect(await stock(sku)).toEqual([['lc-a', 3, 0]]);

    const paid = await start([{ sku, quantity: 2 }], { order: { paymentStatus: 'pending' } });
    await until(paid.handle, 'awaiting_payment');
    await paid.handle.signal(channelOrderUpdatedSignal, { paymentStatus: 'paid' });
    const labelled = await until(paid.handle, 'label_purchased');
    expect(labelled.timeline.some((t) => t.note === 'payment confirmed by the channel')).toBe(true);
  });

  it('cancels after the label was bought: voids the label at the carrier, then releases the stock', async () => {
    const sku = uniqueId('CXL');
    await seedStock(hub().sequelize, 'acme', { [sku]: { 'lc-a': 3 } });
    const { handle, orderKey } = await start([{ sku, quantity: 1 }]);
    await until(handle, 'label_purchased');
    const view = await handle.executeUpdate(cancelOrderUpdate, {
      args: [{ reason: 'address is a PO box', origin: 'api' }],
    });
    expect(view.status).toBe('cancelled');
    expect(view.labels?.map((l) => l.voided)).toEqual([true]);
    const shipment = await modelsOf(hub().sequelize).Shipment.findOne({
      where: { tenantId: 'acme', orderKey },
    });
    expect(shipment?.status).toBe('voided');
    const calls = (await sandbox.get<Array<{ path: string; status: number }>>('/__sandbox/calls')).data;
    expect(
      calls.filter(
        (c) => c.path.endsWith(`/shipments/${shipment!.carrierShipmentId}/refund`) && c.status === 200,
      ),
    ).toHaveLength(1);
    expect(await stock(sku)).toEqual([['lc-a', 3, 0]]);
    const timeline = view.timeline.map((t) => t.status);
    expect(timeline).toEqual(['received', 'stock_reserved', 'label_purchased', 'cancelled']);
  });

  it('refuses a cancel once the carrier has the parcel, saying why', async () => {
    const sku = uniqueId('CXS');
    await seedStock(hub().sequelize, 'acme', { [sku]: { 'lc-a': 3 } });
    const { handle } = await start([{ sku, quantity: 1 }]);
    const labelled = await until(handle, 'label_purchased');
    await scan(handle, labelled, 'in_transit');
    await until(handle, 'shipped');
    const refused = await handle
      .executeUpdate(cancelOrderUpdate, { args: [{ reason: 'too late', origin: 'api' }] })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause?.message).toMatch(
      /shipped and has left the warehouse/,
    );
    await scan(handle, labelled, 'delivered');
    expect((await handle.result()).status).toBe('delivered');
  });

  it('applies edits before labels are bought, re-checking stock, and refuses them afterwards', async () => {
    const sku = uniqueId('EDT');
    await seedStock(hub().sequelize, 'acme', { [sku]: { 'lc-a': 5 } });
    const { handle } = await start([{ sku, quantity: 2 }], { policy: { editWindowSeconds: 1800 } });
    await until(handle, 'stock_reserved');

    const more = await handle.executeUpdate(editOrderUpdate, { args: [{ lines: [{ sku, quantity: 4 }] }] });
    expect(more.allocations).toEqual([{ sku, locationId: 'lc-a', quantity: 4 }]);
    expect(more.totals?.subtotal).toBe('79.96');

    const tooMany = await handle
      .executeUpdate(editOrderUpdate, { args: [{ lines: [{ sku, quantity: 9 }] }] })
      .catch((error: unknown) => error);
    expect((tooMany as WorkflowUpdateFailedError).cause?.message).toMatch(
      /InsufficientStock: .*9 requested, 5 available/,
    );
    expect(await stock(sku)).toEqual([['lc-a', 5, 4]]); // the reservation of the last good edit stands

    const moved = await handle.executeUpdate(editOrderUpdate, {
      args: [
        {
          shippingAddress: {
            ...CUSTOMER_ADDRESS,
            line1: '99 Relocated Ave',
            city: 'Salem',
            postalCode: '97301',
          },
        },
      ],
    });
    expect(moved.timeline.at(-1)?.note).toBe('edited: shipping address');

    await hub().env.sleep(1800 * 1000);
    const labelled = await until(handle, 'label_purchased');
    const created = await quotedShipments(
      process.env.CROSSDOCK_SANDBOX_URL!,
      labelled.labels![0]!.shipmentKey!,
    );
    expect(created.length).toBeGreaterThanOrEqual(2); // quoted by both carriers
    expect(created.every((c) => c.to_address?.city === 'Salem')).toBe(true);

    const late = await handle
      .executeUpdate(editOrderUpdate, { args: [{ lines: [{ sku, quantity: 1 }] }] })
      .catch((error: unknown) => error);
    expect((late as WorkflowUpdateFailedError).cause?.message).toMatch(
      /edits are possible only until labels are bought/,
    );
  });

  it('takes an address changed on the channel before labels, and only notes one changed after', async () => {
    const sku = uniqueId('ADR');
    await seedStock(hub().sequelize, 'acme', { [sku]: { 'lc-a': 3 } });
    const { handle } = await start([{ sku, quantity: 1 }], { policy: { editWindowSeconds: 600 } });
    await until(handle, 'stock_reserved');
    // The channel reports the order again with the address it has (as after a payment): no change.
    await handle.signal(channelOrderUpdatedSignal, { shippingAddress: CUSTOMER_ADDRESS });
    const moved = { ...CUSTOMER_ADDRESS, line1: '7 Harbour Rd', city: 'Astoria', postalCode: '97103' };
    await handle.signal(channelOrderUpdatedSignal, { shippingAddress: moved });
    // The new address again, with stray spaces the intake's rules trim: the same address, no change.
    await handle.signal(channelOrderUpdatedSignal, { shippingAddress: { ...moved, city: ' Astoria ' } });
    await hub().env.sleep(600 * 1000);
    const labelled = await until(handle, 'label_purchased');
    expect(
      labelled.timeline.filter((t) => t.note === 'shipping address changed on the channel'),
    ).toHaveLength(1);
    const quotes = await quotedShipments(
      process.env.CROSSDOCK_SANDBOX_URL!,
      labelled.labels![0]!.shipmentKey!,
    );
    expect(quotes.map((c) => c.to_address?.city)).toEqual(['Astoria', 'Astoria']);

    await handle.signal(channelOrderUpdatedSignal, { shippingAddress: { ...moved, city: 'Seaside' } });
    const noted = await eventually('the late change to be noted', async () => {
      const view = await handle.query(getOrderQuery);
      return view.timeline.some((t) => t.note?.includes('after labels were bought')) ? view : undefined;
    });
    expect(noted.status).toBe('label_purchased');
    await recordHistoryIfAsked(hub().env.client, handle.workflowId, 'order-channel-address-updates');
  });

  it('raises an exception after days without carrier movement and recovers when the parcel moves', async () => {
    const sku = uniqueId('STK');
    await seedStock(hub().sequelize, 'acme', { [sku]: { 'lc-a': 2 } });
    const { handle } = await start([{ sku, quantity: 1 }], { policy: { stuckAfterDays: 3 } });
    const labelled = await until(handle, 'label_purchased');
    await hub().env.sleep(3 * DAY + 60_000);
    const stuck = await until(handle, 'exception');
    expect(stuck.exception?.reason).toBe('no carrier movement for 3 days');
    await scan(handle, labelled, 'in_transit');
    const moving = await until(handle, 'shipped');
    expect(moving.exception).toBeUndefined();
    await scan(handle, labelled, 'return_to_sender');
    const returned = await until(handle, 'exception');
    expect(returned.exception?.reason).toMatch(/carrier reports return_to_sender/);
  });

  it('counts the silence from the last scan with one timer: a scan moves the deadline and cancels no timer', async () => {
    const sku = uniqueId('STK');
    await seedStock(hub().sequelize, 'acme', { [sku]: { 'lc-a': 2 } });
    const { handle } = await start([{ sku, quantity: 1 }], { policy: { stuckAfterDays: 3 } });
    const labelled = await until(handle, 'label_purchased');
    await hub().env.sleep(2 * DAY);
    await scan(handle, labelled, 'in_transit');
    await until(handle, 'shipped');
    // Three days after the label, one after the scan: the timer started with the label fires, finds
    // the order silent for a day only, and waits for the rest.
    await hub().env.sleep(DAY + 60_000);
    expect((await handle.query(getOrderQuery)).status).toBe('shipped');
    await hub().env.sleep(2 * DAY);
    const stuck = await until(handle, 'exception');
    expect(stuck.exception?.reason).toBe('no carrier movement for 3 days');
    const { events } = await handle.fetchHistory();
    const { EventType } = temporal.api.enums.v1;
    const count = (type: number) => events!.filter((e) => e.eventType === type).length;
    // Started with the label, again for the rest of the silence, again after the exception.
    expect({
      started: count(EventType.EVENT_TYPE_TIMER_STARTED),
      cancelled: count(EventType.EVENT_TYPE_TIMER_CANCELED),
    }).toEqual({ started: 3, cancelled: 0 });
    await recordHistoryIfAsked(hub().env.client, handle.workflowId, 'order-silence-counted-from-last-scan');
  });

  it.each([
    ['CurrencyMismatch', { currency: 'EUR' }, /order currency EUR differs from the tenant's currency USD/],
    [
      'InvalidAddress',
      { shippingAddress: { ...CUSTOMER_ADDRESS, postalCode: '' } },
      /shippingAddress.postalCode/,
    ],
    [
      'InvalidAddress',
      { shippingAddress: { ...CUSTOMER_ADDRESS, country: 'FR' } },
      /FR is not a destination/,
    ],
    ['InvalidQuantity', { lines: [{ sku: 'ANY', quantity: 0, unitPrice: '1.00' }] }, /lines.0.quantity/],
  ])(
    'ends a channel order that breaks a rule in rejected (%s) with its reason',
    async (type, patch, reason) => {
      const { handle } = await start([{ sku: 'ANY', quantity: 1 }], {
        order: patch as Partial<CanonicalOrderInput>,
      });
      const view = await handle.result();
      expect(view.status).toBe('rejected');
      expect(view.rejection?.type).toBe(type);
      expect(view.rejection?.reasons.join('; ')).toMatch(reason);
    },
  );
});
