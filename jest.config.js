/**
 * Tests in three tiers, run one after the other by `npm test` so that the fast one fails first:
 * - unit: no infrastructure at all;
 * - workflow: workflows on the time-skipping server (and history replay), with PostgreSQL, S3
 *   and the sandbox;
 * - e2e: the hub on real infrastructure (a Temporal dev server, PostgreSQL, S3, the sandbox).
 * Each tier's global setup boots only what it needs, and runs only when one of its tests is
 * selected (`npx jest tests/e2e/returns.test.ts` boots the e2e tier alone). Jest runs TypeScript
 * through SWC.
 */
const tier = (name, roots, setup, afterEnv = []) => ({
  displayName: name,
  testEnvironment: 'node',
  roots: roots.map((root) => `<rootDir>/tests/${root}`),
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  setupFilesAfterEnv: afterEnv.map((file) => `<rootDir>/tests/support/${file}.ts`),
  ...(setup && {
    globalSetup: `<rootDir>/tests/support/${setup}.ts`,
    globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  }),
});

module.exports = {
  projects: [
    tier('unit', ['unit'], null),
    tier('workflow', ['workflows', 'replay'], 'setup-workflow'),
    // Every answer an e2e test gets from the hub is checked against its OpenAPI document.
    tier('e2e', ['e2e', 'infra', 'contract'], 'setup-e2e', ['answer-contract-setup']),
  ],
  testTimeout: 60_000, // the run's own option: a project's is not applied
  maxWorkers: 2,
};
