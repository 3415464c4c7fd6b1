import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';
import { listSecretRefs, loadConfigFile } from '../../platform/config/load';

/**
 * No container engine runs here, so the production compose file is validated by Compose itself
 * (`docker-compose config`, Debian package docker-compose; .ci/run installs it).
 */
describe('docker-compose.yml', () => {
  const root = join(__dirname, '..', '..');
  // Every secret the shipped config names, so the compose file is checked to provide them all.
  const secrets = Object.fromEntries(
    listSecretRefs(loadConfigFile(join(root, 'crossdock.config.yaml'))).map(({ ref }, i) => [
      ref.env,
      `secret-${i}`,
    ]),
  );

  function compose(env: Record<string, string>) {
    const result = spawnSync('docker-compose', ['config'], {
      cwd: root,
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
    });
    if (result.error)
      throw new Error(
        `docker-compose is not installed (apt-get install docker-compose): ${result.error.message}`,
      );
    return result;
  }

  it('is valid and runs the hub on production parts', () => {
    const result = compose({ ...secrets, CROSSDOCK_PAYLOAD_KEYS: 'k1:AAAA' });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
    const config = parse(result.stdout) as {
      services: Record<
        string,
        {
          image?: string;
          build?: unknown;
          environment?: Record<string, string>;
          depends_on?: Record<string, { condition: string }>;
        }
      >;
    };
    expect(Object.keys(config.services).sort()).toEqual(
      [
        'api',
        'minio',
        'postgresql',
        'sandbox',
        'temporal',
        'temporal-namespace',
        'temporal-schema',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    expect(config.services.temporal!.depends_on!['temporal-schema']!.condition).toBe(
      'service_completed_successfully',
    );
    for (const hub of ['api', 'worker']) {
      const service = config.services[hub]!;
      expect(service.build).toBeDefined();
      expect(service.environment).toMatchObject({
        TEMPORAL_ADDRESS: 'temporal:7233',
        S3_ENDPOINT: 'http://minio:9000',
      });
      // The hub's processes get every secret its config names.
      expect(Object.keys(service.environment!)).toEqual(expect.arrayContaining(Object.keys(secrets)));
      expect(service.environment!.DATABASE_URL).toMatch(
        /^postgres:\/\/crossdock:.*@postgresql:5432\/crossdock$/,
      );
    }
  });

  it('refuses to start without the secrets the hub needs', () => {
    const result = compose({});
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/Missing mandatory value.*CROSSDOCK_/);
  });
});
