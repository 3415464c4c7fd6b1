import { setHandler } from '@temporalio/workflow';
import type { ReturnView } from '../../domain/returns/return';
import { SA_RMA_ID } from '../../domain/search-attributes';
import { trackingSignal } from '../shared/contract';
import { openProcess } from '../shared/lifecycle';
import {
  approveReturnUpdate,
  getReturnQuery,
  receiveReturnUpdate,
  rejectReturnUpdate,
  returnRegisteredUpdate,
  type ReturnLifecycleInput,
} from './contract';
import { ReturnProcess } from './return-process';

/**
 * One return (RMA) of a delivered order, from request to money back:
 *
 *   requested → approved (by policy, or Update `approveReturn` before a deadline) → label issued
 *   → in_transit (carrier scans) → received (Update `receiveReturn`: restock or write off)
 *   → refunded (channel refund and credit note, once each) | closed (nothing to pay back)
 *
 * An ineligible or refused request ends `rejected`; no decision or no scan in time ends
 * `expired`, giving back the units it held and voiding its label. An exchange starts a
 * replacement order, linked both ways, on approval or on receipt as the policy says. The state
 * and steps are `ReturnProcess`'s; this function wires the process's messages to it.
 */
export async function returnLifecycle(input: ReturnLifecycleInput): Promise<ReturnView> {
  const rma = openProcess((workflowId) => new ReturnProcess(input, workflowId), getReturnQuery, SA_RMA_ID);
  setHandler(returnRegisteredUpdate, () => rma.registeredAnswer());
  setHandler(approveReturnUpdate, (r) => rma.approve(r), { validator: (r) => rma.checkApprove(r) });
  setHandler(rejectReturnUpdate, (r) => rma.reject(r), { validator: (r) => rma.checkReject(r) });
  setHandler(trackingSignal, (update) => rma.tracking(update));
  setHandler(receiveReturnUpdate, (r) => rma.receive(r), { validator: (r) => rma.checkReceive(r) });
  return rma.run();
}
