import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { eventually } from './fixtures';

const OPERATIONS = join(__dirname, '..', '..', 'docs', 'operations.md');

/** The saved views of docs/operations.md, by heading: each `#### name` and its `temporal` block. */
export function savedViews(text = readFileSync(OPERATIONS, 'utf8')): Map<string, string> {
  const start = text.indexOf('### Saved views');
  const section = text.slice(start, text.indexOf('\n### ', start + 1));
  const views = new Map<string, string>();
  for (const match of section.matchAll(/^#### (.+)\n\n```temporal\n([\s\S]*?)\n```/gm))
    views.set(match[1]!.trim(), match[2]!.trim());
  return views;
}

/** A documented view's query with its `{{…}}` blanks filled; a blank left unfilled is an error. */
export function viewQuery(name: string, fill: Record<string, string> = {}): string {
  const template = savedViews().get(name);
  if (!template) throw new Error(`docs/operations.md has no saved view "${name}"`);
  return template.replace(/\{\{([^}]+)\}\}/g, (_, blank: string) => {
    const value = fill[blank];
    if (value === undefined) throw new Error(`the view "${name}" needs a value for {{${blank}}}`);
    return value;
  });
}

async function matches(client: Client, query: string, workflowId: string): Promise<number> {
  // The server parses the query: a view that does not parse fails here.
  const { count } = await client.workflow.count(`(${query}) AND WorkflowId = "${workflowId}"`);
  return count;
}

/**
 * An expectation that a documented view finds a process `count` times (its blanks filled with
 * `fill`): it waits, since visibility is eventually consistent, up to 15 s.
 */
function viewExpectation(count: 0 | 1) {
  return async (
    client: Client,
    name: string,
    workflowId: string,
    fill: Record<string, string> = {},
  ): Promise<void> => {
    const query = viewQuery(name, fill);
    await eventually(
      `the saved view "${name}" to ${count === 1 ? 'find' : 'leave out'} ${workflowId}`,
      async () => ((await matches(client, query, workflowId)) === count ? true : undefined),
      15_000,
      250,
    );
  };
}

/** The documented view finds this process. */
export const expectViewFinds = viewExpectation(1);

/** The documented view no longer finds this process (it left the state the view is for). */
export const expectViewMisses = viewExpectation(0);
