import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';
import { ORDER_REJECTION_TYPES, type OrderRejectionType } from '../../domain/orders/status';
import { checkArgument, reasonSchema } from './contract';

/** The business refusal inside a failed activity (unknown SKU, no stock…), if that is what it was. */
export function asRejection(error: unknown): { type: OrderRejectionType; reasons: string[] } | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (!(cause instanceof ApplicationFailure)) return undefined;
  const type = cause.type as OrderRejectionType;
  if (!ORDER_REJECTION_TYPES.includes(type)) return undefined;
  const detail = cause.details?.[0] as { reasons?: string[] } | undefined;
  return { type, reasons: detail?.reasons ?? [cause.message] };
}

/** The innermost message of a failure, without Temporal's activity wrapping. */
export function failureMessage(error: unknown): string {
  const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

/** Any business refusal inside a failed activity (its type and reasons), whatever process it ends. */
export function asBusinessRefusal(error: unknown): { type: string; reasons: string[] } | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (!(cause instanceof ApplicationFailure) || !cause.nonRetryable || !cause.type) return undefined;
  const detail = cause.details?.[0] as { reasons?: string[] } | undefined;
  return detail?.reasons ? { type: cause.type, reasons: detail.reasons } : undefined;
}

/** Why an Update could not apply: a business refusal's type and reasons, else the failure's message. */
export function updateRefused(
  error: unknown,
  fallbackType: string,
  recognise: (error: unknown) => { type: string; reasons: string[] } | undefined = asBusinessRefusal,
): ApplicationFailure {
  const refusal = recognise(error);
  return ApplicationFailure.nonRetryable(
    refusal ? `${refusal.type}: ${refusal.reasons.join('; ')}` : failureMessage(error),
    refusal?.type ?? fallbackType,
  );
}

/** An Update's validator refuses with the guard's reason, when the guard gives one. */
export function refuseIf(refusal: string | undefined): void {
  if (refusal) throw new Error(refusal);
}

/**
 * The validator of an Update that must say why (a cancellation, a rejection): a missing reason is
 * named first, then the guard's refusal, then the request's shape (`reasonSchema` unless it says more).
 */
export function checkReasoned(
  request: { reason?: string } | undefined,
  what: string,
  refusal: string | undefined,
  schema: z.ZodType = reasonSchema(),
): void {
  if (!request?.reason) throw new Error(`a ${what} needs a reason`);
  refuseIf(refusal);
  checkArgument(schema, request, what);
}
