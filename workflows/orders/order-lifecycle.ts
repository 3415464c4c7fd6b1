import { setHandler } from '@temporalio/workflow';
import type { OrderView } from '../../domain/orders/status';
import { SA_ORDER_ID } from '../../domain/search-attributes';
import { trackingSignal } from '../shared/contract';
import { openProcess } from '../shared/lifecycle';
import {
  cancelOrderUpdate,
  channelOrderUpdatedSignal,
  editOrderUpdate,
  getOrderQuery,
  type OrderLifecycleInput,
} from './contract';
import { OrderProcess } from './order-process';

/**
 * One order from intake to the customer's door, or to a named end:
 *
 *   received → [awaiting_payment] → stock_reserved → label_purchased → shipped → delivered
 *   any of the first four → cancelled (Update `cancelOrder`; compensation in reverse)
 *   awaiting_payment → expired (no payment in time) · received → rejected (validation, stock)
 *   label_purchased | shipped → exception (no carrier movement for N days, or carrier trouble)
 *
 * Edits (Update `editOrder`) apply until labels are bought. Tracking arrives as signals from
 * carrier webhooks. Each announced event is recorded only after its state is. The state and
 * steps are `OrderProcess`'s; this function wires the process's messages to it.
 */
export async function orderLifecycle(input: OrderLifecycleInput): Promise<OrderView> {
  const order = openProcess((workflowId) => new OrderProcess(input, workflowId), getOrderQuery, SA_ORDER_ID);
  setHandler(channelOrderUpdatedSignal, (update) => order.channelOrderUpdated(update));
  setHandler(trackingSignal, (update) => order.tracking(update));
  setHandler(cancelOrderUpdate, (r) => order.requestCancel(r), { validator: (r) => order.checkCancel(r) });
  setHandler(editOrderUpdate, (r) => order.edit(r), { validator: (r) => order.checkEdit(r) });
  return order.run();
}
