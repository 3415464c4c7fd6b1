import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type QueryDefinition,
  type UpdateDefinition,
  type WorkflowHandle,
} from '@temporalio/client';

/**
 * A process's view once it has settled its first step (an Update that waits for it); a workflow
 * already closed answers the query with its final state; none at all is undefined.
 */
export async function settledView<T>(
  handle: WorkflowHandle,
  settled: UpdateDefinition<T, []>,
  current: QueryDefinition<T>,
): Promise<T | undefined> {
  try {
    return await handle.executeUpdate(settled);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError || error instanceof WorkflowUpdateFailedError)) throw error;
    try {
      return await handle.query(current);
    } catch (queryError) {
      if (queryError instanceof WorkflowNotFoundError) return undefined;
      throw queryError;
    }
  }
}
