import type { z } from 'zod';
import { canonicalOrderSchema, type CanonicalOrder } from './order';

/** What a tenant accepts, from its config: orders in another currency are refused, never converted. */
export interface TenantOrderRules {
  currency: string;
  /** ISO countries the tenant ships to; empty means anywhere. */
  shipsTo: string[];
}

export type OrderValidation =
  { ok: true; order: CanonicalOrder } | { ok: false; type: OrderValidationFailure; reasons: string[] };

export type OrderValidationFailure =
  'InvalidOrder' | 'InvalidQuantity' | 'InvalidAddress' | 'CurrencyMismatch';

/**
 * The one check every incoming order passes, whatever its channel. Pure and deterministic, so the
 * order workflow runs it itself and a refusal becomes a named `rejected` state with its reasons.
 */
export function validateIncomingOrder(candidate: unknown, rules: TenantOrderRules): OrderValidation {
  const parsed = canonicalOrderSchema().safeParse(candidate);
  if (!parsed.success) {
    return {
      ok: false,
      type: classifyIssues(parsed.error.issues),
      reasons: describeIssues(parsed.error.issues),
    };
  }
  const order = parsed.data;
  if (order.currency !== rules.currency) {
    return {
      ok: false,
      type: 'CurrencyMismatch',
      reasons: [`order currency ${order.currency} differs from the tenant's currency ${rules.currency}`],
    };
  }
  if (rules.shipsTo.length > 0 && !rules.shipsTo.includes(order.shippingAddress.country)) {
    return {
      ok: false,
      type: 'InvalidAddress',
      reasons: [
        `shippingAddress.country: ${order.shippingAddress.country} is not a destination this store ships to`,
      ],
    };
  }
  return { ok: true, order };
}

export function describeIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${issue.path.map(String).join('.') || '(order)'}: ${issue.message}`);
}

/** The most specific name for what is wrong: an address problem outranks a quantity problem. */
function classifyIssues(issues: z.core.$ZodIssue[]): OrderValidationFailure {
  const paths = issues.map((issue) => issue.path.map(String));
  if (paths.some((path) => path[0] === 'shippingAddress')) return 'InvalidAddress';
  if (paths.some((path) => path[0] === 'lines' && path[2] === 'quantity')) return 'InvalidQuantity';
  return 'InvalidOrder';
}
