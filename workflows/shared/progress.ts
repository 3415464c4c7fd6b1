import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { orderEventId, type EventType, type HubEvent } from '../../domain/events';
import { SA_STATUS } from '../../domain/search-attributes';
import { decidePatchesAtStart, hasPatch } from './patches';

interface Tracked<S extends string> {
  status: S;
  timeline: Array<{ at: string; status: S; note?: string }>;
}

/**
 * Runs that record this marker keep ops' search attributes (`CrossdockNeedsAttention`,
 * `CrossdockConnector`, `CrossdockWaitingSince`, …) up to date with each status; runs from before
 * it upsert the status alone, as their histories hold.
 */
export const OPS_ATTRIBUTES = 'ops-search-attributes';

/** What a process shows ops beside its status: its current details and its changing attributes. */
export interface OpsView {
  /** Markdown: what the process waits for, since and until when (the Temporal UI's current details). */
  details(): string;
  /** The attributes that move with the status. */
  attributes(): SearchAttributeUpdatePair[];
}

/** Upserts ops' attributes of a process now (after a change that is not a status), in runs that keep them. */
export function refreshAttributes(ops: OpsView): void {
  if (hasPatch(OPS_ATTRIBUTES)) upsertSearchAttributes(ops.attributes());
}

/**
 * State changes of a process view: the timeline, the `CrossdockStatus` search attribute (with
 * ops' attributes) and the current details move together. Made in the process's first activation,
 * where it decides the ops-attributes patch.
 */
export function progressOf<S extends string>(view: Tracked<S>, ops?: OpsView) {
  if (ops) decidePatchesAtStart(OPS_ATTRIBUTES);
  const show = () => {
    if (ops) setCurrentDetails(ops.details());
  };
  show();
  return {
    moveTo(status: S, note?: string): void {
      view.status = status;
      view.timeline.push({ at: new Date().toISOString(), status, ...(note ? { note } : {}) });
      const attributes = ops && hasPatch(OPS_ATTRIBUTES) ? ops.attributes() : [];
      upsertSearchAttributes([{ key: SA_STATUS, value: status }, ...attributes]);
      show();
    },
    note(text: string): void {
      view.timeline.push({ at: new Date().toISOString(), status: view.status, note: text });
      show();
    },
    /** The current details again, after a change the view does not record (a wait began). */
    show,
  };
}

/**
 * Events of one workflow, one per type. Each is scheduled in the same workflow task as the state
 * it announces, so it is written only once that state is durable; `settled` waits for all.
 */
export function announcerOf(
  record: (event: HubEvent) => Promise<void>,
  workflowId: string,
  tenantId: string,
  about: () => Record<string, unknown>,
) {
  const pending: Array<Promise<void>> = [];
  return {
    announce(type: EventType, data: Record<string, unknown> = {}): void {
      pending.push(
        record({
          id: orderEventId(workflowId, type),
          type,
          tenantId,
          occurredAt: new Date().toISOString(),
          data: { ...about(), ...data },
        }),
      );
    },
    async settled(): Promise<void> {
      await Promise.all(pending);
    },
  };
}
