import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  setHandler,
  setCurrentDetails,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  channelSyncCurrentDetails,
  channelSyncDetails,
  channelSyncSummary,
} from '../../domain/channels/describe';
import { spend, waitMs, type Bucket, type Pace } from '../../domain/channels/pacing';
import { SA_NEEDS_ATTENTION } from '../../domain/search-attributes';
import { localSteps, partners } from '../shared/activities';
import { OPS_ATTRIBUTES } from '../shared/progress';
import {
  channelDirtySignal,
  channelResyncSignal,
  channelSyncWorkflowId,
  getChannelSyncQuery,
  resolveMappingsUpdate,
  type ChannelSyncInput,
  type ChannelSyncView,
} from './contract';

/** Changes arriving this close together go out in one push. */
const COALESCE_MS = 200;
/** Without a notification (one lost, a listener down), the marks are still looked at this often. */
const POLL = '1 minute';
const PUSHES_PER_RUN = 500;
/**
 * Pushes are paced by a token bucket (the channel's burst) instead of one even slot after
 * another, and a wake-up's settle moves from a workflow timer into the push.
 */
const TOKEN_BUCKET = 'channel-token-bucket';

/**
 * One channel connection's synchronisation (an entity workflow, continued as new): it sleeps until
 * nights are marked dirty, lets a burst settle, then pushes the changed nights as ranges, never
 * faster than the channel's requests-per-minute, until nothing is dirty. A store's connection
 * (`kind: 'stock'`) goes the same way with its SKU-locations. A complete set goes out
 * when asked for (nightly schedule, ops). An OTA that is down only delays the push: the marks stay
 * until a push succeeds, and the push always reads the current values.
 */
export async function channelSync(input: ChannelSyncInput): Promise<void> {
  const { tenantId, connectorId, kind } = input;
  // A store's stock goes to its marketplace queue, an OTA's free rooms to the OTA's. A complete
  // set reads the whole catalogue at the partner's pace first, so it may take far longer.
  const senderFor = (profile: 'channelPush' | 'channelCompleteSet', summary: string) =>
    kind === 'stock'
      ? partners.marketplace(connectorId, { profile, summary }).pushStock
      : partners.ota(connectorId, { profile, summary }).pushAri;
  const what = kind === 'stock' ? 'stock' : 'free rooms, restrictions and rates';
  const sendChanges = senderFor('channelPush', `push changed ${what} to ${connectorId}`);
  const sendCompleteSet = senderFor('channelCompleteSet', `complete set of ${what} to ${connectorId}`);
  const view: ChannelSyncView = { tenantId, connectorId, pushes: 0, ranges: 0, nights: 0 };
  let dirty = true;
  // A connection's first run starts the channel from a complete set; later runs carry the flag.
  let resync = input.resyncPending ?? true;
  let nextPushAt = 0;
  const bucketed = patched(TOKEN_BUCKET);
  // Unknown until the first push answers with the channel's pace: the first push goes at once.
  let pace: Pace | undefined;
  let bucket: Bucket = { tokens: 1, at: 0 };
  /** Whether ops were told this connection needs them (set-aside mappings); carried over continue-as-new. */
  let flagged = workflowInfo().typedSearchAttributes.get(SA_NEEDS_ATTENTION) ?? false;
  const showDetails = () => setCurrentDetails(channelSyncCurrentDetails(input, view));
  setHandler(getChannelSyncQuery, () => view);
  setHandler(channelDirtySignal, () => {
    dirty = true;
  });
  setHandler(channelResyncSignal, () => {
    resync = true;
  });
  setHandler(resolveMappingsUpdate, async () => {
    const resolved = await localSteps.resolveChannelMappings({
      tenantId,
      connectorId,
      ...(kind ? { kind } : {}),
    });
    if (resolved === 0)
      throw ApplicationFailure.nonRetryable(`no mapping of ${connectorId} is set aside`, 'NothingSetAside');
    view.setAside = 0;
    resync = true;
    return { resolved, resync: 'requested' as const };
  });

  for (let pushes = 0; pushes < PUSHES_PER_RUN && !workflowInfo().continueAsNewSuggested;) {
    showDetails();
    await condition(() => dirty || resync, POLL, { summary: 'poll for changes the listener missed' });
    dirty = false;
    // Bucketed, the burst settles in the push itself: a 200 ms server timer fires up to a second late.
    if (!bucketed) await sleep(COALESCE_MS, { summary: 'let a burst of changes settle' });
    for (let more = true, first = true; more; pushes++, first = false) {
      const wait = bucketed
        ? pace
          ? waitMs(bucket, pace, new Date().getTime())
          : 0
        : nextPushAt - new Date().getTime();
      if (wait > 0) await sleep(wait, { summary: `${connectorId}'s pace: the next request it takes` });
      const complete = resync;
      resync = false;
      try {
        const push = await (complete ? sendCompleteSet : sendChanges)({
          tenantId,
          connectorId,
          complete,
          // Waiting for a token let the burst settle already; so did the push before this one.
          ...(bucketed && first && wait <= 0 ? { settleMs: COALESCE_MS } : {}),
        });
        more = push.remaining;
        if (push.requests > 0) {
          const now = new Date().getTime();
          nextPushAt = now + push.spacingMs * push.requests;
          pace = { burst: push.burst ?? 1, intervalMs: push.spacingMs };
          bucket = spend(bucket, pace, now, push.requests);
          view.pushes += 1;
          view.ranges += push.ranges;
          view.nights += push.nights;
          view.lastPushAt = new Date().toISOString();
          if (complete) view.lastCompleteSetAt = view.lastPushAt;
          if (push.warnings?.length) view.lastWarnings = { at: view.lastPushAt, messages: push.warnings };
        }
        if (push.setAside !== undefined) {
          view.setAside = push.setAside;
          if (push.setAside > 0 !== flagged && patched(OPS_ATTRIBUTES)) {
            flagged = push.setAside > 0;
            upsertSearchAttributes([{ key: SA_NEEDS_ATTENTION, value: flagged }]);
          }
        }
      } catch (error) {
        // Refused for good: the marks stay for the next change or complete set; the channel goes on.
        if (!(error instanceof ActivityFailure && error.cause instanceof ApplicationFailure)) throw error;
        view.lastRefusal = { at: new Date().toISOString(), message: error.cause.message };
        more = false;
      }
    }
  }
  // An Update (ops resolving mappings) still running finishes in this run, not lost to the next.
  await condition(allHandlersFinished);
  await continueAsNew<typeof channelSync>({
    tenantId,
    connectorId,
    ...(kind ? { kind } : {}),
    resyncPending: resync,
  });
}

/**
 * The nightly complete set (a Temporal Schedule per connection): asks the connection's sync for
 * one, and starts the sync again (with the complete set asked for) if it was stopped by hand.
 */
export async function channelResync(input: ChannelSyncInput): Promise<void> {
  const workflowId = channelSyncWorkflowId(input.tenantId, input.connectorId);
  try {
    await getExternalWorkflowHandle(workflowId).signal(channelResyncSignal);
  } catch (error) {
    if (!(error instanceof ApplicationFailure && error.type === 'ExternalWorkflowExecutionNotFound'))
      throw error;
    try {
      await startChild(channelSync, {
        workflowId,
        args: [{ ...input, resyncPending: true }],
        staticSummary: channelSyncSummary(input),
        staticDetails: channelSyncDetails(input),
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (raced) {
      // Started meanwhile (the listener's nudge): a signal reaches it now.
      if (!(raced instanceof WorkflowExecutionAlreadyStartedError)) throw raced;
      await getExternalWorkflowHandle(workflowId).signal(channelResyncSignal);
    }
  }
}
