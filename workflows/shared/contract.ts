import { defineSignal } from '@temporalio/workflow';
import { z } from 'zod';
import { nonBlank } from '../../domain/shared/text';
import { lazily } from '../../domain/shared/lazily';
import type { TrackingUpdate } from '../../domain/orders/tracking';

/** The hub's daily upkeep (the `crossdock-housekeeping` schedule's arguments). */
export interface HousekeepingInput {
  olderThanDays: number;
}

/**
 * A person's reason for an action: cancelling an order or a stay, rejecting a return. One body
 * for all three, checked by the API before it sends the Update and by the Update's validator.
 */
export const reasonSchema = lazily(() => z.object({ reason: nonBlank(500) }).strict());
export type ReasonRequest = z.infer<ReturnType<typeof reasonSchema>>;

/**
 * An Update validator's check of its argument against the contract's schema: the API checked
 * the same before sending, so this refuses what reaches the workflow another way (the Temporal
 * CLI or UI), with the fields named.
 */
export function checkArgument(schema: z.ZodType, value: unknown, what: string): void {
  const parsed = schema.safeParse(value);
  if (parsed.success) return;
  const issues = parsed.error.issues.map(
    (i) => `${i.path.map(String).join('.') || '(argument)'}: ${i.message}`,
  );
  throw new Error(`invalid ${what}: ${issues.join('; ')}`);
}

/** A carrier scan of a parcel: orders and returns alike are signalled by the tracker webhook. */
export const trackingSignal = defineSignal<[TrackingUpdate]>('tracking');
