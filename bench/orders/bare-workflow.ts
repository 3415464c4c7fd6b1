import { proxyActivities } from '@temporalio/workflow';
import type { createNoopActivities } from './noop-activities';

const noop = proxyActivities<ReturnType<typeof createNoopActivities>>({ startToCloseTimeout: '30 seconds' });

/**
 * The baseline: an order's shape up to `shipped` with activities that do nothing. Nine activities
 * as the order runs them (event, reserve, two quotes in parallel, buy, archive, fulfil, invoice,
 * event), so the difference to a real order is the work, not the orchestration.
 */
export async function bareOrder(): Promise<void> {
  await noop.step('record-created');
  await noop.step('reserve');
  await Promise.all([noop.step('quote-a'), noop.step('quote-b')]);
  await noop.step('buy');
  await noop.step('archive');
  await noop.step('fulfil');
  await noop.step('invoice');
  await noop.step('record-shipped');
}
