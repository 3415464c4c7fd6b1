import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, interpolateEnv, parseConfig } from '../../platform/config/load';

const ROOT = join(__dirname, '..', '..');
const shipped = readFileSync(join(ROOT, 'crossdock.config.yaml'), 'utf8');

function problemsOf(text: string, env: Record<string, string> = {}, requireSecrets = false): string[] {
  try {
    parseConfig(text, 'test.yaml', { env, requireSecrets });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('accepts the shipped default config and points every connector at the sandbox', () => {
    const config = parseConfig(shipped, 'crossdock.config.yaml', { env: {} });
    expect(config.tenants.map((t) => t.id)).toEqual(['acme', 'globex', 'alpine']);
    expect(config.connectors.every((c) => c.baseUrl.startsWith('http://127.0.0.1:4010'))).toBe(true);
  });

  it('reads ${VAR:-default} from the environment', () => {
    expect(interpolateEnv({ a: ['${X:-one}', '${Y}/v2'] }, { Y: 'http://h' })).toEqual({
      a: ['one', 'http://h/v2'],
    });
    expect(() => interpolateEnv('${MISSING}', {})).toThrow('MISSING');
  });

  it('names the field of each mistake', () => {
    const broken = shipped
      .replace('type: easypost', 'type: fedex-magic')
      .replace('requestsPerSecond: 20', 'requestsPerSecond: -1')
      .replace('tenant: globex', 'tenant: nobody');
    expect(problemsOf(broken)).toEqual(
      expect.arrayContaining([
        'connectors[0].type: unknown carrier type "fedex-magic" (expected one of: easypost)',
        expect.stringMatching(/^connectors\[0\]\.rateLimit\.requestsPerSecond: /),
        'connectors[4].tenant: unknown tenant "nobody"',
      ]),
    );
  });

  it('refuses secrets written into the file and missing secret variables', () => {
    expect(
      problemsOf(
        shipped.replace('apiKey: { env: CROSSDOCK_SANDBOX_EASYPOST_KEY }', 'apiKey: "sk_live_123"'),
      )[0],
    ).toMatch(/^connectors\[0\]\.credentials\.apiKey: /);
    expect(problemsOf(shipped, {}, true)).toEqual(
      expect.arrayContaining([
        'tenants[0].apiKeys[0]: environment variable CROSSDOCK_API_KEY_ACME is not set',
      ]),
    );
  });

  it('checks that a default carrier belongs to its tenant', () => {
    expect(problemsOf(shipped.replace('carrier: acme-carrier', 'carrier: globex-carrier'))).toEqual([
      'tenants[0].defaults.carrier: "globex-carrier" is not a carrier connector of tenant "acme"',
    ]);
  });
});
