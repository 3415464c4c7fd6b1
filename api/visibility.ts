import type { Client } from '@temporalio/client';
import { decodeSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';

export interface ListedExecution {
  workflowId: string;
  startTime?: string;
  attributes: Record<string, unknown>;
}

/**
 * One page of workflows matching a visibility query, newest first, with the page token of the
 * next (Temporal's own, handed to callers as their cursor).
 */
export async function visibilityPage(
  client: Client,
  query: string,
  page: { limit: number; token?: string },
): Promise<{ executions: ListedExecution[]; nextToken?: string }> {
  const response = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    query,
    pageSize: page.limit,
    ...(page.token ? { nextPageToken: Buffer.from(page.token, 'base64url') } : {}),
  });
  const executions = (response.executions ?? []).map((execution) => {
    const decoded = decodeSearchAttributes(execution.searchAttributes?.indexedFields) as Record<
      string,
      unknown[]
    >;
    const attributes = Object.fromEntries(Object.entries(decoded).map(([key, values]) => [key, values?.[0]]));
    const seconds = execution.startTime?.seconds;
    return {
      workflowId: execution.execution?.workflowId ?? '',
      ...(seconds !== undefined && seconds !== null
        ? { startTime: new Date(Number(seconds) * 1000).toISOString() }
        : {}),
      attributes,
    };
  });
  const token = response.nextPageToken;
  return {
    executions,
    ...(token && token.length > 0 ? { nextToken: Buffer.from(token).toString('base64url') } : {}),
  };
}

/** A visibility query's string literal, with quotes and backslashes escaped. */
export function literal(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
