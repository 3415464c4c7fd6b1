import { patched } from '@temporalio/workflow';

/**
 * Runs that record this marker decided their patches in their first activation (below); runs
 * from before decide each where they first ask, as their histories hold.
 */
const DECIDED_AT_START = 'patches-decided-at-start';

/**
 * Asks for a process's patches in its first activation, so a new run records their markers at
 * the head of its first workflow task.
 *
 * A patch first asked right after a local activity does not replay when a workflow task heartbeat
 * (a local activity outliving 80 % of the task's timeout) put the activity's marker in an earlier
 * task than the patch's own marker: on replay the activity resolves in that earlier task, where
 * the patch is not known yet, so `patched()` answers false and the marker has no command. Seen as
 * queries failing with a nondeterminism error at 500 racing orders (the stock reservation waited
 * on its row locks); a run replayed after a worker restart would be stuck the same way.
 *
 * Gated by a patch of its own: asking early in a run from before would put markers ahead of the
 * commands its history holds before them.
 */
export function decidePatchesAtStart(...patchIds: string[]): void {
  if (!patched(DECIDED_AT_START)) return;
  for (const patchId of patchIds) patched(patchId);
}

/**
 * Whether this run takes a patch that runs decide in their first activation. Runs from before
 * patches were decided at start never do: for them the patch would first be asked mid-run, which
 * is what `decidePatchesAtStart` exists to avoid.
 */
export function patchedAtStart(patchId: string): boolean {
  return patched(DECIDED_AT_START) && patched(patchId);
}
