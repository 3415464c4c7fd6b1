import { createHash } from 'node:crypto';
import type { QueryInterface } from 'sequelize';
import { MIGRATIONS } from '../../db/migrations';

/**
 * A database records a migration by its name only, so the SQL of a migration it already ran must
 * never change: a later edit (of a migration, or of a helper one builds its SQL with, such as the
 * channel-dirty trigger function) would leave databases migrated before and after it different.
 * Each migration's SQL is pinned here by its digest (taken from the SQL as first written); a new
 * migration adds its line.
 */
const PINNED: Record<string, { up: string; down: string }> = {
  '0001-inventory-and-shipments': { up: '9bbeded6017241ae', down: '8a1246d1245d933e' },
  '0002-order-lifecycle': { up: 'ae3a0027f5abc11c', down: '9d843af30d585207' },
  '0003-returns': { up: 'f9bbe3eb3a0e6474', down: '72d73645ed4f67da' },
  '0004-property-model': { up: '5e7f6fc5c3f2866c', down: 'a12896fc3587201c' },
  '0005-housekeeping-tasks': { up: 'beb698b0ab0e98ce', down: '635ff0150e6e4159' },
  '0006-channel-sync': { up: '123917022c1883ed', down: 'f1a1eb2cbee2c572' },
  '0007-stock-sync': { up: 'd4d243298c01ba24', down: 'a1c701cc54263132' },
  '0008-master-data': { up: '175bd218da9fe54b', down: '866aca2c61f0a34a' },
  '0009-catalogue-imports': { up: '5639b20d3d76fc35', down: '01549e2acdda8621' },
  '0010-state-indexes': { up: '30035e5691d5220a', down: '8764d92954be2c9d' },
  '0011-order-report-events': { up: '878c14dd7d4567d5', down: 'de96c026d65c51c5' },
};

async function sqlOf(run: (params: { name: string; context: QueryInterface }) => Promise<unknown>) {
  const statements: string[] = [];
  const context = {
    sequelize: { query: async (sql: string) => statements.push(sql) },
  } as unknown as QueryInterface;
  await run({ name: 'pinned', context });
  return createHash('sha256').update(statements.join('\n;\n')).digest('hex').slice(0, 16);
}

describe('migrations already run by some database keep their SQL', () => {
  it.each(MIGRATIONS.map((m) => [m.name, m] as const))('%s', async (name, migration) => {
    const digests = { up: await sqlOf(migration.up), down: await sqlOf(migration.down) };
    expect(digests).toEqual(PINNED[name]);
  });
});
