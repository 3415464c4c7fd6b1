import { patched } from '@temporalio/workflow';

/**
 * Runs that record this marker decided their patches in their first activation (below); runs
 * from before decide each where they first ask, as their histories hold.
 */
export const DECIDED_AT_START = 'patches-decided-at-start';

/** The patches this run took in a set (`takePatchSetAtStart`); module state is the run's own. */
let takenInSet: ReadonlySet<string> | undefined;

/**
 * Patches taken together under one marker: a later set holds every patch of the one before
 * (`tests/unit/patch-sets.test.ts`). The `TemporalChangeVersion` search attribute of a run that
 * took a set names the set, not its patches: to find open runs without a patch (before removing
 * its old branch), look for runs that name neither the patch nor a set holding it. A worker from
 * before a set knows none of its patches: a release that adds one is not rolled back while runs
 * that took it are open (docs/operations.md).
 */
export interface PatchSet {
  id: string;
  patches: readonly string[];
}

/**
 * Takes a process's patches under one marker, in the run's first activation and before any of
 * them is asked. `sets` go newest first: a new run records the newest set's marker alone and has
 * each of its patches without a marker of its own; a run from before answers as its history holds
 * (an older set's marker, or each patch's). Every patch marker comes with the SDK's upsert of the
 * `TemporalChangeVersion` search attribute, so each costs a history event and a visibility write.
 */
export function takePatchSetAtStart(sets: readonly PatchSet[]): void {
  const taken = sets.find((set) => patched(set.id));
  if (taken) takenInSet = new Set(taken.patches);
}

/**
 * Whether this run took a patch in a set. Alone, for a patch that exists only in a set: no marker
 * of its own is ever asked for, so a run from before the set never takes it midway.
 */
export function inPatchSet(patchId: string): boolean {
  return takenInSet?.has(patchId) === true;
}

/** `patched()`, answering true without a marker for a patch this run took in a set. */
export function hasPatch(patchId: string): boolean {
  return inPatchSet(patchId) || patched(patchId);
}

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
  if (!hasPatch(DECIDED_AT_START)) return;
  for (const patchId of patchIds) hasPatch(patchId);
}

/**
 * Whether this run takes a patch that runs decide in their first activation. Runs from before
 * patches were decided at start never do: for them the patch would first be asked mid-run, which
 * is what `decidePatchesAtStart` exists to avoid.
 */
export function patchedAtStart(patchId: string): boolean {
  return hasPatch(DECIDED_AT_START) && hasPatch(patchId);
}
