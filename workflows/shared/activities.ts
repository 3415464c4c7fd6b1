import {
  proxyActivities,
  proxyLocalActivities,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type {
  AccountingActivities,
  CarrierActivities,
  CoreActivities,
  LockActivities,
  MarketplaceActivities,
  OtaActivities,
  PosActivities,
} from '../../activities';
import { ORDER_REJECTION_TYPES } from '../../domain/orders/status';
import { connectorTaskQueue } from '../../domain/task-queues';

/** A partner call heartbeats while it waits (worker/heartbeats.ts): a dead worker is noticed this soon. */
const NOTICED_DEAD_WITHIN = '10 seconds';

/**
 * The one place workflows reach activities: how long each kind of step may take and how it is
 * retried, by name. Options are not part of a recorded history, so a profile can be tuned
 * without breaking replay; the activity names and their order are what histories hold.
 */
export const PARTNER_PROFILES = {
  /**
   * A partner call: a minute per attempt, retried with backoff up to 30 seconds apart. A partner
   * failing one call in five fails a two-call attempt a third of the time, so a run of several
   * failed attempts is routine at volume; with a longer cap that tail kept orders waiting for
   * minutes after the partner was answering again.
   */
  partnerCall: {
    heartbeatTimeout: NOTICED_DEAD_WITHIN,
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
  },
  /** The first order workflow's carrier steps (kept for runs still open). */
  firstCarrierCall: {
    heartbeatTimeout: NOTICED_DEAD_WITHIN,
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  },
  /** A channel push: caught up soon after an outage ends, without hammering it meanwhile. */
  channelPush: {
    heartbeatTimeout: NOTICED_DEAD_WITHIN,
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
  },
  /**
   * A channel's complete set: the whole catalogue and its levels read at the partner's pace (a
   * store of 5,000 variants is 50 GraphQL pages, each asking up to 502 points of a bucket that
   * refills 50 a second on Shopify's standard plan), then sent. It heartbeats like any partner
   * call, so a lost worker is still noticed in seconds; only the whole attempt may take hours.
   */
  channelCompleteSet: {
    heartbeatTimeout: NOTICED_DEAD_WITHIN,
    startToCloseTimeout: '3 hours',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  },
  /** A store's reconcile pass: pages of orders, heartbeating, within the store's rate limit. */
  storeReconcile: {
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '5 seconds', maximumInterval: '2 minutes', maximumAttempts: 10 },
  },
  /** One pull of an OTA's reservations: a failed run leaves them unacknowledged for the next. */
  reservationPull: {
    heartbeatTimeout: NOTICED_DEAD_WITHIN,
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 5 },
  },
  /**
   * A catalogue read: many pages at the partner's pace; it heartbeats, so a worker lost midway is
   * noticed in minutes and the (idempotent) import runs again.
   */
  catalogueRead: {
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '5 minutes',
    retry: {
      initialInterval: '5 seconds',
      backoffCoefficient: 2,
      maximumInterval: '5 minutes',
      maximumAttempts: 10,
    },
  },
} satisfies Record<string, ActivityOptions>;
export type PartnerProfile = keyof typeof PARTNER_PROFILES;

/** How a partner step is called: its retry profile, and the one line the Temporal UI shows for it. */
export type PartnerCall = PartnerProfile | { profile?: PartnerProfile; summary?: string };

function on<A extends object>(connectorId: string, call: PartnerCall, fallback: PartnerProfile) {
  const { profile = fallback, summary } = typeof call === 'string' ? { profile: call } : call;
  return proxyActivities<A>({
    taskQueue: connectorTaskQueue(connectorId),
    ...PARTNER_PROFILES[profile],
    // A summary is metadata on the command: it names the step in the UI and does not affect replay.
    ...(summary ? { summary } : {}),
  });
}

/**
 * Partner steps, typed by the kind of connector they call, on that connector's own queue (where
 * its worker holds the partner's rate limit and offers only its kind's activities). A call names
 * its business object in `summary`, e.g. `partners.carrier(id, { summary: 'buy label …' })`.
 */
export const partners = {
  carrier: (connectorId: string, call: PartnerCall = {}) =>
    on<CarrierActivities>(connectorId, call, 'partnerCall'),
  marketplace: (connectorId: string, call: PartnerCall = {}) =>
    on<MarketplaceActivities>(connectorId, call, 'partnerCall'),
  accounting: (connectorId: string, call: PartnerCall = {}) =>
    on<AccountingActivities>(connectorId, call, 'partnerCall'),
  pos: (connectorId: string, call: PartnerCall = {}) => on<PosActivities>(connectorId, call, 'partnerCall'),
  lock: (connectorId: string, call: PartnerCall = {}) => on<LockActivities>(connectorId, call, 'partnerCall'),
  ota: (connectorId: string, call: PartnerCall = {}) => on<OtaActivities>(connectorId, call, 'partnerCall'),
  /** A store or a till: both kinds offer their catalogue to import. */
  catalogue: (connectorId: string, call: PartnerCall = {}) =>
    on<Pick<MarketplaceActivities, 'importCatalogue'> & Pick<PosActivities, 'importCatalogue'>>(
      connectorId,
      call,
      'catalogueRead',
    ),
};

const LOCAL_STEP = {
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
} satisfies LocalActivityOptions;

/**
 * Steps on our own database run as local activities on the orchestration worker: no task-queue
 * round trip per step, just a marker in the history. They keep their retries and stay idempotent.
 */
export const localSteps = proxyLocalActivities<CoreActivities>(LOCAL_STEP);

/** An order's own steps (reserve, fulfil, release, outbox): a business refusal is not retried. */
export const orderSteps = proxyLocalActivities<CoreActivities>({
  ...LOCAL_STEP,
  retry: { ...LOCAL_STEP.retry, nonRetryableErrorTypes: [...ORDER_REJECTION_TYPES] },
});

/** The night audit's reads and marks, local to the orchestration worker. */
export const auditSteps = proxyLocalActivities<CoreActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** The first order workflow's steps, as ordinary activities on the orchestration queue (runs still open). */
export const firstOrderSteps = proxyActivities<CoreActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: [...ORDER_REJECTION_TYPES],
  },
});

/** The hub's daily upkeep: long deletes, retried a few times. */
export const upkeepSteps = proxyActivities<CoreActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', maximumAttempts: 5 },
});
