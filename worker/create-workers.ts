import type { Duration } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createCoreActivities, createPartnerActivities, type ActivityDeps } from '../activities';
import { connectorTaskQueue } from '../domain/task-queues';
import { payloadCodecsFromEnv } from '../platform/payload-codec';
import { temporalTracingPlugins } from '../platform/tracing';
import { heartbeatWhileRunning } from './heartbeats';
import { partnerCallMetrics } from './partner-call-metrics';
import { workflowCode } from './workflow-bundle';
import type { HubConfig } from '../platform/config/schema';

/**
 * On SIGTERM a worker stops polling and lets the activities it holds finish for this long (a
 * partner call is bounded by its own timeout); what is still running then is cancelled and
 * retried by another worker, each step being idempotent.
 */
const SHUTDOWN_GRACE = '20 seconds';

/**
 * Pollers of a connector's queue: one long poll while it is idle, scaled up on the server's
 * feedback when it has a backlog. A fixed number per queue (the SDK's default is 10) multiplies
 * with the connectors: 100 tenants' 211 queues held 2,110 polls open, past the Temporal frontend's
 * limit of concurrent polls per namespace (`frontend.namespaceCount`, 1,200 by default), and
 * polls refused there stalled the hub: 0.68 orders a second on an idle machine instead of 6.3.
 */
const CONNECTOR_POLLERS = { type: 'autoscaling', minimum: 1, initial: 1, maximum: 10 } as const;

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  config: HubConfig;
  deps: ActivityDeps;
  /** A prebuilt workflow bundle (tests build it once); otherwise workflows are bundled from source. */
  workflowBundle?: { codePath: string } | { code: string };
  /** How long activities in hand may finish on shutdown (tests stop their hubs at once). */
  shutdownGrace?: Duration;
}

/**
 * One orchestration worker (workflows and the activities that touch only our infrastructure) and
 * one activity worker per connector instance, rate-limited by that instance's configuration so a
 * partner never sees more than it allows, however many workflows run.
 */
export async function createWorkers(setup: WorkerSetup): Promise<Worker[]> {
  // Payloads encrypted as the API's client encrypts them (CROSSDOCK_PAYLOAD_KEYS).
  const dataConverter = { payloadCodecs: payloadCodecsFromEnv() };
  // A prebuilt bundle carries its interceptors (bundled with WORKFLOW_BUNDLE_OPTIONS).
  const tracing = temporalTracingPlugins();
  const workflowSource = setup.workflowBundle
    ? { workflowBundle: setup.workflowBundle }
    : workflowCode({ tracing: tracing.length > 0 });
  const workers = [
    await Worker.create({
      connection: setup.connection,
      namespace: setup.namespace,
      dataConverter,
      plugins: tracing,
      taskQueue: setup.config.temporal.orchestrationTaskQueue,
      shutdownGraceTime: setup.shutdownGrace ?? SHUTDOWN_GRACE,
      ...workflowSource,
      activities: createCoreActivities(setup.deps),
    }),
  ];
  const partners = createPartnerActivities(setup.deps);
  for (const connector of setup.config.connectors) {
    workers.push(
      await Worker.create({
        connection: setup.connection,
        namespace: setup.namespace,
        dataConverter,
        plugins: temporalTracingPlugins(),
        taskQueue: connectorTaskQueue(connector.id),
        shutdownGraceTime: setup.shutdownGrace ?? SHUTDOWN_GRACE,
        activities: partners[connector.kind], // its kind's activities only
        maxTaskQueueActivitiesPerSecond: connector.rateLimit.requestsPerSecond,
        activityTaskPollerBehavior: CONNECTOR_POLLERS,
        interceptors: { activity: [heartbeatWhileRunning, partnerCallMetrics(connector.id)] },
      }),
    );
  }
  return workers;
}

/** Runs all workers until `signal` aborts or one of them fails (which stops the rest). */
export async function runWorkers(workers: Worker[]): Promise<void> {
  try {
    await Promise.all(workers.map((worker) => worker.run()));
  } finally {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  }
}
