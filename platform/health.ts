import { MIGRATIONS } from '../db/migrations';
import type { HubServices } from './services';

/** One dependency's answer to a health probe. */
export type Check = { status: 'up' | 'down'; latencyMs: number; error?: string };

async function probe(run: () => Promise<unknown>, timeoutMs = 3000): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise(
        (_, reject) =>
          (timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs)),
      ),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - started),
      error: (error as Error).message,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Every migration this code knows is applied: a process of a newer release waits for its own. */
async function migrated(sequelize: HubServices['sequelize']): Promise<void> {
  const [rows] = await sequelize.query('SELECT name FROM schema_migrations');
  const applied = new Set((rows as Array<{ name: string }>).map((row) => row.name));
  const pending = MIGRATIONS.filter((m) => !applied.has(m.name)).map((m) => m.name);
  if (pending.length > 0) throw new Error(`not applied: ${pending.join(', ')}`);
}

export type HealthServices = Pick<HubServices, 'client' | 'sequelize' | 'storage' | 'endpoints'>;

/**
 * Readiness of a hub process: Temporal, the database and storage answer and the schema is
 * migrated, plus what the process itself must have running (`own`: a failed promise is down).
 */
export async function readiness(
  services: HealthServices,
  own: Record<string, () => Promise<unknown>> = {},
): Promise<{ healthy: boolean; body: Record<string, unknown> }> {
  const named = {
    temporal: () => services.client.workflowService.getSystemInfo({}),
    database: () => services.sequelize.query('SELECT 1'),
    storage: () => services.storage.ping(),
    migrations: () => migrated(services.sequelize),
    ...own,
  };
  const results = await Promise.all(Object.values(named).map((run) => probe(run)));
  const checks = Object.fromEntries(Object.keys(named).map((name, i) => [name, results[i]]));
  const healthy = results.every((check) => check.status === 'up');
  return {
    healthy,
    body: {
      status: healthy ? 'ok' : 'degraded',
      checks,
      temporal: {
        address: services.endpoints.temporalAddress,
        namespace: services.endpoints.temporalNamespace,
      },
    },
  };
}
