import {
  ApplicationFailure,
  log,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { firstOrderSteps, partners } from '../shared/activities';
import { publicOrderId, shipmentKey } from '../../domain/orders/ids';
import type { OrderStatus, OrderView } from '../../domain/orders/status';
import { SA_STATUS, searchIdentity } from '../../domain/search-attributes';
import { describeAllocations, groupByLocation } from '../../domain/orders/allocation';
import { asRejection, failureMessage } from '../shared/failures';
import { getOrderQuery, type OrderWorkflowInput } from './contract';

const core = firstOrderSteps;

/**
 * One order from intake to a shipped parcel: reserve stock, buy one label per ship-from
 * location, archive the labels, commit the stock. A refusal (unknown SKU, no stock) ends the
 * order in `rejected` with its reasons; any later failure gives the stock back before failing.
 */
export async function orderFulfillment(input: OrderWorkflowInput): Promise<OrderView> {
  const { tenantId, order } = input;
  const orderKey = workflowInfo().workflowId;
  const view: OrderView = {
    id: publicOrderId(order.channel, order.externalId),
    tenantId,
    channel: order.channel,
    externalId: order.externalId,
    status: 'received',
    allocations: [],
    timeline: [{ at: input.receivedAt, status: 'received' }],
  };
  setHandler(getOrderQuery, () => view);
  upsertSearchAttributes(searchIdentity('order', view));

  function moveTo(status: OrderStatus, note?: string): void {
    view.status = status;
    view.timeline.push({ at: new Date().toISOString(), status, ...(note ? { note } : {}) });
    upsertSearchAttributes([{ key: SA_STATUS, value: status }]);
  }

  const lines = order.lines.map(({ sku, quantity }) => ({ sku, quantity }));
  try {
    view.allocations = await core.reserveStock({ tenantId, orderKey, lines });
  } catch (error) {
    const rejection = asRejection(error);
    if (!rejection) throw error;
    view.rejection = rejection;
    moveTo('rejected', rejection.reasons.join('; '));
    return view;
  }
  moveTo('stock_reserved', describeAllocations(view.allocations));

  try {
    const carrier = partners.carrier(input.carrierConnectorId, 'firstCarrierCall');
    for (const [locationId, parcelLines] of groupByLocation(view.allocations)) {
      const key = shipmentKey(tenantId, order.channel, order.externalId) + `:${locationId}`;
      const label = await carrier.purchaseLabel({
        tenantId,
        orderKey,
        shipmentKey: key,
        connectorId: input.carrierConnectorId,
        fromLocationId: locationId,
        to: order.shippingAddress,
        service: order.shippingService,
        lines: parcelLines,
      });
      const labelKey = await carrier.archiveLabel({
        tenantId,
        shipmentKey: key,
        connectorId: input.carrierConnectorId,
      });
      view.labels = [
        ...(view.labels ?? []),
        { carrier: label.carrier, trackingCode: label.trackingCode, labelKey, rate: label.rate, locationId },
      ];
    }
    moveTo('label_purchased', view.labels?.map((l) => `${l.carrier} ${l.trackingCode}`).join(', '));
    await core.fulfilStock({ tenantId, orderKey });
  } catch (error) {
    log.warn('order failed after stock was reserved; releasing it', { orderKey, error: String(error) });
    await core.releaseStock({ tenantId, orderKey });
    moveTo('failed', failureMessage(error));
    throw ApplicationFailure.create({
      message: `order ${view.id} failed: ${failureMessage(error)}`,
      type: 'OrderFailed',
      nonRetryable: true,
      cause: error as Error,
    });
  }
  moveTo('completed');
  return view;
}
