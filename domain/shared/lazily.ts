/**
 * A value built on its first use, then kept. The schemas of the modules an order's workflow loads
 * are declared so: the worker evaluates a workflow's modules afresh for every run, and building
 * them cost an order about as much CPU as its workflow code did (10 ms of the workflow thread and
 * 5 of garbage collection a run, measured by giving the bare benchmark workflow the same imports),
 * besides most of the memory a cached run holds. A run now builds only the schemas it parses: an
 * Update's argument, a candidate no intake validated. Elsewhere each is built once a process.
 */
export function lazily<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}
