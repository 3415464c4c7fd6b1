import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type QueryDefinition,
  type UpdateDefinition,
  type WorkflowHandle,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';

/**
 * Starts a process unless one with its id ever ran (running or finished), so a request that
 * arrives twice starts it once. True when this call started it.
 */
export async function startOnce<T extends Workflow>(
  client: Client,
  workflowType: string,
  options: WorkflowStartOptions<T>,
): Promise<boolean> {
  try {
    await client.workflow.start<T>(workflowType, {
      ...options,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
    });
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}

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
