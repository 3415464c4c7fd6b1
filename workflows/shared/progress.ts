import { upsertSearchAttributes } from '@temporalio/workflow';
import { orderEventId, type EventType, type HubEvent } from '../../domain/events';
import { SA_STATUS } from '../../domain/search-attributes';

interface Tracked<S extends string> {
  status: S;
  timeline: Array<{ at: string; status: S; note?: string }>;
}

/** State changes of a process view: the timeline and the `CrossdockStatus` search attribute move together. */
export function progressOf<S extends string>(view: Tracked<S>) {
  return {
    moveTo(status: S, note?: string): void {
      view.status = status;
      view.timeline.push({ at: new Date().toISOString(), status, ...(note ? { note } : {}) });
      upsertSearchAttributes([{ key: SA_STATUS, value: status }]);
    },
    note(text: string): void {
      view.timeline.push({ at: new Date().toISOString(), status: view.status, note: text });
    },
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
