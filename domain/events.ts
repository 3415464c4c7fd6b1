/** Events the hub announces to subscribers; each is sent only once the state it names is durable. */
export const EVENT_TYPES = [
  'order.created',
  'order.rejected',
  'order.shipped',
  'order.delivered',
  'order.cancelled',
  'order.exception',
  'inventory.low',
  'return.requested',
  'return.approved',
  'return.rejected',
  'return.received',
  'return.refunded',
  'return.expired',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface HubEvent {
  /** Stable across retries: a subscriber deduplicates on it. */
  id: string;
  type: EventType;
  tenantId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/**
 * Id of an order or return event: one per workflow and type (an order is shipped once, a return
 * refunded once).
 */
export function orderEventId(workflowId: string, type: EventType): string {
  return `${type}:${workflowId}`;
}

export interface ReorderSuggestion {
  sku: string;
  available: number;
  threshold: number;
  suggestedQuantity: number;
}

/**
 * The item's own reorder quantity when its catalogue entry has one; otherwise enough to reach
 * twice the threshold: a simple, explainable par level.
 */
export function reorderSuggestion(
  sku: string,
  available: number,
  threshold: number,
  reorderQuantity = 0,
): ReorderSuggestion {
  const suggestedQuantity = reorderQuantity > 0 ? reorderQuantity : Math.max(0, 2 * threshold - available);
  return { sku, available, threshold, suggestedQuantity };
}

/** Low stock is announced on the crossing, not on every movement below the line. */
export function crossedBelowThreshold(before: number, after: number, threshold: number): boolean {
  return threshold > 0 && before >= threshold && after < threshold;
}
