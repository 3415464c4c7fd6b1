import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_OPTIONS } from '../worker/workflow-bundle';

/**
 * `npm run build`'s second step: the workflow bundle from the TypeScript sources, with the options
 * the tests' bundle is built with, written where the compiled worker finds it
 * (`dist/workflow-bundle.js`, BUILT_WORKFLOW_BUNDLE as seen from `dist/worker`).
 */
async function main(): Promise<void> {
  // Bundled from tsc's CommonJS output (this script compiled into dist/), the ES-module options
  // would not apply and the bundle would differ from the one the tests replay.
  if (!WORKFLOW_BUNDLE_OPTIONS.workflowsPath.endsWith('.ts'))
    throw new Error('bundle the workflows from the TypeScript sources: npm run build');
  const target = join(__dirname, '..', 'dist', 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode(WORKFLOW_BUNDLE_OPTIONS);
  writeFileSync(target, code);
  console.log(`workflow bundle written to ${target} (${Math.round(code.length / 1024)} KiB)`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
