/** Task queue names, shared by workers (which poll them) and workflows (which route to them). */
export const DEFAULT_ORCHESTRATION_TASK_QUEUE = 'crossdock-orchestration';

/** Activity task queue of one connector instance; its worker is rate-limited by that instance's config. */
export function connectorTaskQueue(connectorId: string): string {
  return `crossdock-connector-${connectorId}`;
}
