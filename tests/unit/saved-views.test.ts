import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { savedViews, viewQuery } from '../support/saved-views';

const E2E = join(__dirname, '..', 'e2e');

/**
 * The runbook cannot go stale: every saved view in docs/operations.md is run against a running
 * hub by some e2e test (`expectViewFinds`, which fails on a query the server cannot parse or that
 * misses its process), and every view a test names is documented.
 */
describe('saved views of docs/operations.md', () => {
  const views = savedViews();
  const sources = readdirSync(E2E)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => readFileSync(join(E2E, f), 'utf8'))
    .join('\n');
  const exercised = new Set(
    [...sources.matchAll(/expectViewFinds\(\s*[\w.]+,\s*'([^']+)'/g)].map((m) => m[1]!),
  );

  it('documents the views ops asked for', () => {
    expect([...views.keys()]).toEqual(
      expect.arrayContaining([
        'Orders in exception',
        'Labels without a scan for a day',
        'Stays overbooked',
        'Arrivals today without a guarantee',
        'Returns waiting for approval',
        'Channel syncs with set-aside mappings',
        'Everything waiting for a person',
      ]),
    );
  });

  it('has every documented view found by an e2e test, and every tested view documented', () => {
    expect([...views.keys()].filter((name) => !exercised.has(name))).toEqual([]);
    expect([...exercised].filter((name) => !views.has(name))).toEqual([]);
  });

  it('fills every blank of a view, and refuses one left empty', () => {
    expect(viewQuery('Everything waiting on one partner', { connector: 'acme-parcelhub' })).toBe(
      'CrossdockConnector = "acme-parcelhub" AND ExecutionStatus = "Running"',
    );
    expect(() => viewQuery('Everything waiting on one partner')).toThrow('needs a value for {{connector}}');
  });
});
