import type { WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';

/**
 * A process's view (an order, a return, a reservation): its Query while it runs, the result it
 * completed with once it is closed (every process workflow returns its view). A closed run's
 * result is its last history event; a Query would have a worker replay the whole history on
 * every read, fail while no worker runs, and fail for good on a run today's code cannot replay.
 * A process that does not exist throws `WorkflowNotFoundError`, as a Query does.
 */
export async function processView<V>(handle: WorkflowHandle, query: QueryDefinition<V>): Promise<V> {
  const { status } = await handle.describe();
  if (status.name === 'COMPLETED') return (await handle.result()) as V;
  return handle.query(query);
}
