import { setHandler, upsertSearchAttributes, workflowInfo, type QueryDefinition } from '@temporalio/workflow';
import type { SearchAttributeType, SearchAttributeUpdatePair } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';

/** What a lifecycle workflow needs of its process before it wires the process's messages. */
export interface LifecycleProcess<V> {
  readonly view: V;
  /** The search attributes that find this process: tenant, ids, where it came from. */
  identityAttributes(): SearchAttributeUpdatePair[];
}

/**
 * The process of this run, answering its view Query from the first activation. Its identifying
 * search attributes are set once: the intake sets them at start (and a continued run keeps them),
 * which `idAttribute` on the run tells; any other start gets them here.
 */
export function openProcess<V, P extends LifecycleProcess<V>>(
  create: (workflowId: string) => P,
  viewQuery: QueryDefinition<V>,
  idAttribute: SearchAttributeKey<SearchAttributeType>,
): P {
  const opened = create(workflowInfo().workflowId);
  setHandler(viewQuery, () => opened.view);
  if (workflowInfo().typedSearchAttributes.get(idAttribute) === undefined)
    upsertSearchAttributes(opened.identityAttributes());
  return opened;
}
