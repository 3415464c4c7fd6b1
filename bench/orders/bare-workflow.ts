import { proxyActivities } from '@temporalio/workflow';
import type { createNoopActivities } from './noop-activities';

const noop = proxyActivities<ReturnType<typeof createNoopActivities>>({ startToCloseTimeout: '30 seconds' });

/**
 * The baseline: an order's shape up to `shipped` with activities that do nothing. Eight activities
 * as the order runs them (event, reserve, two quotes in parallel, buy and archive the label, fulfil,
 * invoice, event), so the difference to a real order is the work, not the orchestration. (Until
 * orders bought and archived a label in one step, so did this baseline in two.)
 */
export async function bareOrder(): Promise<void> {
  await noop.step('record-created');
  await noop.step('reserve');
  await Promise.all([noop.step('quote-a'), noop.step('quote-b')]);
  await noop.step('buy-and-archive');
  await noop.step('fulfil');
  await noop.step('invoice');
  await noop.step('record-shipped');
}
