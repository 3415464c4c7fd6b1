import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { HISTORIES_DIR } from '../../tests/support/histories';
import { quietRuntime } from '../../tests/support/hub';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/workflow-bundle';

/**
 * The workflow code's own cost, without a server, a database or partners: a recorded delivered
 * order replayed N times through today's bundle, three rounds, with the process's CPU per replay.
 * Run it under `node --cpu-prof` to see where that CPU goes (module evaluation per new workflow,
 * the SDK's promise hook, the V8 context calls). No other process shares the cores, so the figure
 * moves far less than the order benchmark's.
 *
 *   npm run bench:replay -- 100 [history file]
 */
const silent = () => undefined;

async function main(): Promise<void> {
  const replays = Number(process.argv[2] ?? 100);
  const file = process.argv[3] ?? join(HISTORIES_DIR, 'order-delivered-patches-at-start.json');
  quietRuntime();
  const { code } = await bundleWorkflowCode({
    ...WORKFLOW_BUNDLE_OPTIONS,
    logger: { log: silent, trace: silent, debug: silent, info: silent, warn: silent, error: console.error },
  });
  const history = historyFromJSON(JSON.parse(readFileSync(file, 'utf8')));
  for (let round = 1; round <= 3; round++) {
    const histories = Array.from({ length: replays }, (_, i) => ({
      workflowId: `replay-${round}-${i}`,
      history,
    }));
    const cpuBefore = process.cpuUsage();
    const started = Date.now();
    let failed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle: { code } }, histories))
      if (result.error) failed++;
    const cpu = process.cpuUsage(cpuBefore);
    const perReplay = (cpu.user + cpu.system) / 1000 / replays;
    console.log(
      `round ${round}: ${replays} replays in ${Date.now() - started} ms, ` +
        `${perReplay.toFixed(1)} ms CPU a replay, ${failed} failed`,
    );
    if (failed > 0) process.exitCode = 1;
  }
}

void main();
