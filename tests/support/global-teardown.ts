import { rmSync } from 'node:fs';
import type { TestStack } from './stack';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { __crossdockStack?: TestStack }).__crossdockStack;
  if (!stack) return;
  await stack.stop();
  rmSync(stack.dataDir, { recursive: true, force: true });
}
