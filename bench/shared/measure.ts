import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';

/** Resident memory of a process in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : 0;
}

/** Orders at the end of a benchmark's work: shipped (parcels are never delivered) or stopped. */
const SETTLED = `CrossdockStatus IN ("shipped", "rejected", "failed", "exception", "delivered")`;

/** Waits until `count` orders have settled, counted through the visibility store, until `deadlineMs`. */
export async function untilOrdersSettled(client: Client, count: number, deadlineMs: number): Promise<void> {
  for (;;) {
    const settled = (await client.workflow.count(SETTLED)).count;
    if (settled >= count) return;
    if (Date.now() > deadlineMs) throw new Error(`only ${settled} of ${count} orders settled`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
