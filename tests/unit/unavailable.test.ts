import { ConnectionRefusedError, UniqueConstraintError, ValidationError } from 'sequelize';
import { isInfrastructureUnavailable, untilReachable } from '../../platform/infra/unavailable';
import type { Logger } from '../../platform/logger';

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

function recordingLogger() {
  const lines: Array<{ level: string; msg: string }> = [];
  const at = (level: string) => (_fields: object, msg: string) => lines.push({ level, msg });
  return { lines, logger: { warn: at('warn'), info: at('info') } as unknown as Logger };
}

describe('infrastructure outages told apart from mistakes', () => {
  test('PostgreSQL, Temporal and network outages are waited out', () => {
    expect(isInfrastructureUnavailable(new ConnectionRefusedError(refused()))).toBe(true);
    expect(isInfrastructureUnavailable(refused())).toBe(true);
    // PostgreSQL shutting down under a session (pg_ctl stop), and a Temporal gRPC UNAVAILABLE.
    expect(
      isInfrastructureUnavailable(Object.assign(new Error('terminating connection'), { code: '57P01' })),
    ).toBe(true);
    expect(isInfrastructureUnavailable(new Error('x', { cause: { code: 14, message: 'unavailable' } }))).toBe(
      true,
    );
    expect(isInfrastructureUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  test('wrong requests and settings are not', () => {
    expect(isInfrastructureUnavailable(new ValidationError('name is required', []))).toBe(false);
    expect(isInfrastructureUnavailable(new UniqueConstraintError({ message: 'duplicate key' }))).toBe(false);
    expect(isInfrastructureUnavailable(new Error('connectors[0].options.realmId: Required'))).toBe(false);
    expect(isInfrastructureUnavailable(undefined)).toBe(false);
  });

  test('a start-up step is retried through an outage, which is logged once as it begins and once as it ends', async () => {
    const { lines, logger } = recordingLogger();
    const delays: number[] = [];
    let attempts = 0;
    const result = await untilReachable(
      'migrations',
      async () => {
        attempts += 1;
        if (attempts <= 4) throw new ConnectionRefusedError(refused());
        return 'migrated';
      },
      logger,
      { initialDelayMs: 1_000, maxDelayMs: 4_000, sleep: async (ms) => void delays.push(ms) },
    );
    expect(result).toBe('migrated');
    expect(delays).toEqual([1_000, 2_000, 4_000, 4_000]);
    expect(lines).toEqual([
      { level: 'warn', msg: 'infrastructure unreachable; waiting' },
      { level: 'info', msg: 'infrastructure reachable again' },
    ]);
  });

  test('any other failure ends start-up at once', async () => {
    const { lines, logger } = recordingLogger();
    let attempts = 0;
    await expect(
      untilReachable(
        'setup files',
        async () => {
          attempts += 1;
          throw new Error('tenants/harbour.yaml: items[2].sku: required');
        },
        logger,
        { sleep: async () => undefined },
      ),
    ).rejects.toThrow(/items\[2\]\.sku/);
    expect(attempts).toBe(1);
    expect(lines).toEqual([]);
  });
});
