import {
  WithStartWorkflowOperation,
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
import { processView } from './process-view';

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
 * already closed answers with the view it completed with (`processView`); none at all is undefined.
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
      return await processView(handle, current);
    } catch (queryError) {
      if (queryError instanceof WorkflowNotFoundError) return undefined;
      throw queryError;
    }
  }
}

/**
 * Starts a process and waits for its first answer in one call (Update-with-Start): the start
 * carries the Update that waits for the first step. A process with its id that already ran is not
 * started again; its view is read as `settledView` does. `started` says whether this call started it.
 */
export async function startSettled<T extends Workflow, V>(
  client: Client,
  workflowType: string,
  options: WorkflowStartOptions<T>,
  settled: UpdateDefinition<V, []>,
  current: QueryDefinition<V>,
): Promise<{ view: V | undefined; started: boolean }> {
  try {
    const view = await client.workflow.executeUpdateWithStart(settled, {
      startWorkflowOperation: new WithStartWorkflowOperation<T>(workflowType, {
        ...options,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'FAIL',
      } as WorkflowStartOptions<T> & { workflowIdConflictPolicy: 'FAIL' }),
    });
    return { view, started: true };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    const handle = client.workflow.getHandle(options.workflowId);
    return { view: await settledView(handle, settled, current), started: false };
  }
}
