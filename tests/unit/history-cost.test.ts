import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { historyCost } from '../../bench/shared/history-cost';
import { HISTORIES_DIR } from '../support/histories';

const recorded = (file: string) =>
  historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')));

describe('what a run costs the server, read from its history', () => {
  it('counts a delivered order: start, five activities, four tasks with local activities, two timers, two signals, four status upserts', () => {
    expect(historyCost(recorded('order-delivered-patches-at-start.json'))).toEqual({
      events: 57,
      failedTasks: {},
      // The two upserts of TemporalChangeVersion (the patches) are not actions.
      actions: 1 + 5 + 4 + 2 + 2 + 4,
    });
  });

  it('counts a new delivered order: its patches under one marker, so one TemporalChangeVersion upsert', () => {
    const history = recorded('order-delivered-patch-set.json');
    const patchMarkers = history.events!.filter(
      (e) => e.markerRecordedEventAttributes?.markerName === 'core_patch',
    );
    const versionUpserts = history.events!.filter(
      (e) =>
        e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields
          ?.TemporalChangeVersion,
    );
    expect({ patchMarkers: patchMarkers.length, versionUpserts: versionUpserts.length }).toEqual({
      patchMarkers: 1,
      versionUpserts: 1,
    });
    // Four events fewer than the same order with a marker a patch (53).
    expect(historyCost(history)).toEqual({ events: 49, failedTasks: {}, actions: 17 });
  });

  it('counts a delivered order of the second set: one silence timer across its scans, none cancelled', () => {
    const { EventType } = temporal.api.enums.v1;
    const events = recorded('order-delivered-patch-set-2.json').events!;
    const count = (type: number) => events.filter((e) => e.eventType === type).length;
    expect({
      started: count(EventType.EVENT_TYPE_TIMER_STARTED),
      cancelled: count(EventType.EVENT_TYPE_TIMER_CANCELED),
    }).toEqual({ started: 1, cancelled: 0 });
    const first = recorded('order-delivered-patch-set.json').events!;
    expect(first.filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_CANCELED)).toHaveLength(2);
  });

  it('names failed workflow tasks by cause', () => {
    const { EventType, WorkflowTaskFailedCause } = temporal.api.enums.v1;
    const failed = {
      eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
      workflowTaskFailedEventAttributes: {
        cause: WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
      },
    };
    expect(historyCost({ events: [failed, failed] }).failedTasks).toEqual({ UNHANDLED_COMMAND: 2 });
  });
});
