import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { tenantSchema } from '../../platform/config/schema';
import { ensureSchemathesis } from '../../platform/infra/schemathesis';
import { readSettings } from '../../platform/settings';
import { ROOT, startTestHub, type TestHub } from '../support/hub';

/** The seed and examples per operation: fixed, so a failure found here is found again. */
const SEED = '1';
const MAX_EXAMPLES = '15';

/**
 * The served OpenAPI document is the contract: Schemathesis generates requests from it (valid
 * and invalid, every check, with links between operations) and fails on a 5xx, a valid request
 * refused, an invalid one accepted, an undocumented status or response shape, or a wrong answer
 * to an undeclared method. It writes as a tenant of its own, so nothing it creates or retires
 * reaches the tenants other tests use.
 */
describe('the API against its own OpenAPI document (schemathesis)', () => {
  let hub: TestHub;
  const key = `fuzz_${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    process.env.CROSSDOCK_API_KEY_FUZZ = key;
    hub = await startTestHub((config) => {
      config.tenants.push(
        tenantSchema.parse({
          id: `fuzz-${randomBytes(4).toString('hex')}`,
          name: 'API fuzzing',
          kind: 'merchant',
          apiKeys: [{ env: 'CROSSDOCK_API_KEY_FUZZ' }],
        }),
      );
    });
  }, 60_000);
  afterAll(() => hub?.stop());

  it('reports no failure: every check, every operation', async () => {
    const schemathesis = ensureSchemathesis(readSettings().cacheDir);
    const fuzz = join(ROOT, 'tests', 'fuzz');
    // Asynchronous: the hub under test answers from this very process meanwhile.
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        schemathesis,
        [
          '--config-file',
          join(fuzz, 'schemathesis.toml'),
          'run',
          `${hub.apiUrl}/openapi.json`,
          '--header',
          `Authorization: Bearer ${key}`,
          '--checks',
          'all',
          '--max-examples',
          MAX_EXAMPLES,
          '--seed',
          SEED,
          '--request-timeout',
          '20',
          '--no-color',
        ],
        {
          cwd: ROOT,
          env: { ...process.env, SCHEMATHESIS_HOOKS: join(fuzz, 'hooks.py') },
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
      );
    });
    const summary = output.slice(output.indexOf('SUMMARY'));
    // On a failure the report names each case and its curl, to replay by hand.
    if (code !== 0) console.log(output.slice(output.indexOf('FAILURES')));
    expect(summary).toMatch(/Tested: 7\d|Tested: [89]\d/);
    expect(summary).toMatch(/\d+ generated, \d+ passed/);
    expect({ code, failures: summary.match(/❌.*/g) ?? [] }).toEqual({ code: 0, failures: [] });
  }, 600_000);
});
