import { readdirSync, readFileSync } from 'node:fs';

/** The parts of a benchmark's process tree whose CPU is counted apart. */
export type ProcessPart = 'hub' | 'temporal' | 'postgres' | 'partners';
/**
 * The hub's threads by what runs on them: its main thread (activities, HTTP, PostgreSQL, the
 * API), the workflow threads (worker threads the Temporal SDK starts for workflow code), V8's and
 * libuv's helper threads (garbage collection, the optimising compiler, the file and DNS pool) and
 * the Temporal core's own (Rust) threads.
 */
export type HubThreads = 'hubMainThread' | 'hubWorkflowThreads' | 'hubV8Threads' | 'hubCoreThreads';
/** Each part's CPU, and of the hub's, each group of its threads'. */
export type CpuSeconds = Record<ProcessPart | HubThreads, number>;

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface ProcStat {
  pid: number;
  ppid: number;
  /** CPU of the process and of its children it has reaped (exited PostgreSQL backends). */
  ticks: number;
  command: string;
}

/** The part of a /proc stat line after the command name (which may hold spaces or parentheses). */
function statFields(path: string): string[] {
  const stat = readFileSync(path, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function threadIds(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map(Number);
}

/**
 * The threads this process has when this module loads: Node's platform threads (V8's helpers and
 * libuv's pool). Threads named `node` started later are worker threads: the SDK's workflow threads.
 */
const threadsAtLoad = new Set(threadIds(process.pid));

function threadGroup(pid: number, tid: number): HubThreads {
  if (tid === pid) return 'hubMainThread';
  const command = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
  if (command !== 'node') return 'hubCoreThreads';
  return threadsAtLoad.has(tid) ? 'hubV8Threads' : 'hubWorkflowThreads';
}

/** CPU of each group of a process's threads (their own user and system time). */
function threadGroupTicks(pid: number): Record<HubThreads, number> {
  const groups = { hubMainThread: 0, hubWorkflowThreads: 0, hubV8Threads: 0, hubCoreThreads: 0 };
  for (const tid of threadIds(pid)) {
    try {
      const fields = statFields(`/proc/${pid}/task/${tid}/stat`);
      groups[threadGroup(pid, tid)] += Number(fields[11]) + Number(fields[12]);
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return groups;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const fields = statFields(`/proc/${pid}/stat`);
    const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return { pid, ppid: Number(fields[1]), ticks: utime! + stime! + cutime! + cstime!, command };
  } catch {
    return undefined; // gone between the listing and the read
  }
}

function partOf(command: string): ProcessPart | undefined {
  if (command.includes('partners-process')) return 'partners';
  if (/\btemporal\b.*\bserver\b/.test(command)) return 'temporal';
  if (/\bpostgres\b/.test(command)) return 'postgres';
  return undefined;
}

/**
 * The part a process belongs to: that of its nearest ancestor (or itself) naming one, the hub's
 * when none does; undefined when it is not below `root` (its chain ends without reaching it).
 */
function partBelow(root: number, stat: ProcStat, stats: Map<number, ProcStat>): ProcessPart | undefined {
  let part: ProcessPart | undefined;
  for (let at: ProcStat | undefined = stat; at; at = stats.get(at.ppid)) {
    if (at.pid === root) return part ?? 'hub';
    part ??= partOf(at.command);
  }
  return undefined;
}

/**
 * CPU seconds used so far by this process (the hub) and by each of its descendants, summed per
 * part: a process belongs to the part of its nearest ancestor that names one. Linux only (/proc).
 * The difference of two readings is what a phase cost each part; divided by the phase's orders, it
 * is a figure the shared machine's noise moves far less than throughput.
 */
export function cpuSeconds(root = process.pid): CpuSeconds {
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.set(stat.pid, stat);
  }
  const threads = threadGroupTicks(root);
  const totals: CpuSeconds = {
    hub: 0,
    hubMainThread: threads.hubMainThread / TICKS_PER_SECOND,
    hubWorkflowThreads: threads.hubWorkflowThreads / TICKS_PER_SECOND,
    hubV8Threads: threads.hubV8Threads / TICKS_PER_SECOND,
    hubCoreThreads: threads.hubCoreThreads / TICKS_PER_SECOND,
    temporal: 0,
    postgres: 0,
    partners: 0,
  };
  for (const stat of stats.values()) {
    const part = partBelow(root, stat, stats);
    if (part) totals[part] += stat.ticks / TICKS_PER_SECOND;
  }
  return totals;
}

const PARTS: ProcessPart[] = ['hub', 'temporal', 'postgres', 'partners'];

/** Milliseconds of CPU per unit of work of each part between two readings, and the parts' total. */
export function cpuPerUnit(before: CpuSeconds, after: CpuSeconds, units: number): Record<string, number> {
  const each = Object.fromEntries(
    (Object.keys(before) as Array<keyof CpuSeconds>).map((key) => [
      key,
      Math.round(((after[key] - before[key]) * 1000) / units),
    ]),
  );
  return { ...each, total: PARTS.reduce((sum, part) => sum + each[part]!, 0) };
}
