import { NativeConnection, type Worker } from '@temporalio/worker';
import type { HubServices } from '../platform/services';
import { createWorkers, runWorkers, type WorkerSetup } from './create-workers';

export interface HubWorkers {
  connection: NativeConnection;
  workers: Worker[];
  /** Settles when every worker has stopped; rejects when one of them failed. */
  running: Promise<void>;
}

/**
 * The workers of a hub whose services are connected, on the Temporal cluster and namespace the
 * services use, already running. The caller stops them and then closes the connection.
 */
export async function startHubWorkers(
  services: HubServices,
  options: Pick<WorkerSetup, 'workflowBundle' | 'shutdownGrace'> = {},
): Promise<HubWorkers> {
  const connection = await NativeConnection.connect({ address: services.endpoints.temporalAddress });
  const workers = await createWorkers({
    connection,
    namespace: services.endpoints.temporalNamespace,
    config: services.config,
    deps: services,
    ...options,
  });
  return { connection, workers, running: runWorkers(workers) };
}
