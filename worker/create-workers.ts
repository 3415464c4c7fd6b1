import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createConnectorActivities, createCoreActivities, type ActivityDeps } from '../activities';
import { connectorTaskQueue } from '../domain/task-queues';
import type { ConnectorKind, HubConfig } from '../platform/config/schema';

/** Connector kinds whose calls run as activities on the connector's own, rate-limited queue. */
const PARTNER_KINDS_WITH_WORKERS: ConnectorKind[] = [
  'carrier',
  'marketplace',
  'accounting',
  'pos',
  'lock',
  'ota',
];

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  config: HubConfig;
  deps: ActivityDeps;
  /** A prebuilt workflow bundle (tests build it once); otherwise workflows are bundled from source. */
  workflowBundle?: { codePath: string } | { code: string };
}

/**
 * One orchestration worker (workflows and the activities that touch only our infrastructure) and
 * one activity worker per connector instance, rate-limited by that instance's configuration so a
 * partner never sees more than it allows, however many workflows run.
 */
export async function createWorkers(setup: WorkerSetup): Promise<Worker[]> {
  const workflowSource: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = setup.workflowBundle
    ? { workflowBundle: setup.workflowBundle }
    : { workflowsPath: require.resolve('../workflows') };
  const workers = [
    await Worker.create({
      connection: setup.connection,
      namespace: setup.namespace,
      taskQueue: setup.config.temporal.orchestrationTaskQueue,
      ...workflowSource,
      activities: createCoreActivities(setup.deps),
    }),
  ];
  for (const connector of setup.config.connectors) {
    if (!PARTNER_KINDS_WITH_WORKERS.includes(connector.kind)) continue;
    workers.push(
      await Worker.create({
        connection: setup.connection,
        namespace: setup.namespace,
        taskQueue: connectorTaskQueue(connector.id),
        activities: createConnectorActivities(setup.deps),
        maxTaskQueueActivitiesPerSecond: connector.rateLimit.requestsPerSecond,
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
