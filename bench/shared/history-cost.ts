import type { temporal } from '@temporalio/proto';
import { temporal as proto } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;
const EventType = proto.api.enums.v1.EventType;
const FailedCause = proto.api.enums.v1.WorkflowTaskFailedCause;

/** What one workflow run costs the server, read from its history. */
export interface HistoryCost {
  events: number;
  /** Workflow tasks the server or the worker failed, by cause (`UNHANDLED_COMMAND`…). */
  failedTasks: Record<string, number>;
  /**
   * Temporal Cloud actions the history shows, counted by the published rules: the start, each
   * activity attempt, the local activities of one workflow task as one, each timer, each signal,
   * each accepted Update, each search-attribute upsert but the SDK's own `TemporalChangeVersion`.
   * Queries (an API read of a running process, the UI's stack trace) are actions the history
   * does not show.
   */
  actions: number;
}

export function historyCost(history: History): HistoryCost {
  const events = history.events ?? [];
  const failedTasks: Record<string, number> = {};
  let actions = 0;
  let localActivitiesInTask = false;
  for (const event of events) {
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
      case EventType.EVENT_TYPE_TIMER_STARTED:
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        actions++;
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        actions += Math.max(1, event.activityTaskStartedEventAttributes?.attempt ?? 1);
        break;
      case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const fields =
          event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {};
        if (Object.keys(fields).some((name) => name !== 'TemporalChangeVersion')) actions++;
        break;
      }
      case EventType.EVENT_TYPE_MARKER_RECORDED:
        if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity')
          localActivitiesInTask = true;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        // A task's markers follow its completion: they are counted when the next task (or the end) comes.
        if (localActivitiesInTask) actions++;
        localActivitiesInTask = false;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED: {
        const cause = FailedCause[event.workflowTaskFailedEventAttributes?.cause ?? 0] ?? 'UNKNOWN';
        const name = cause.replace('WORKFLOW_TASK_FAILED_CAUSE_', '');
        failedTasks[name] = (failedTasks[name] ?? 0) + 1;
        break;
      }
    }
  }
  if (localActivitiesInTask) actions++;
  return { events: events.length, failedTasks, actions };
}
