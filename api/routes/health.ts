import { Router } from 'express';
import { MIGRATIONS } from '../../db/migrations';
import type { HubServices } from '../../platform/services';

type Check = { status: 'up' | 'down'; latencyMs: number; error?: string };

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

/**
 * `GET /health/live`: the process answers (a liveness probe restarts it only when it does not).
 * `GET /health/ready` (and `/health`): 200 when Temporal, the database and storage all answer and
 * the schema is migrated, 503 otherwise (a readiness probe sends no traffic meanwhile).
 */
export function healthRouter(
  services: Pick<HubServices, 'client' | 'sequelize' | 'storage' | 'endpoints'>,
): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'live' });
  });
  router.get(['/health', '/health/ready'], async (_req, res) => {
    const [temporal, database, storage, migrations] = await Promise.all([
      probe(() => services.client.workflowService.getSystemInfo({})),
      probe(() => services.sequelize.query('SELECT 1')),
      probe(() => services.storage.ping()),
      probe(() => migrated(services.sequelize)),
    ]);
    const checks = { temporal, database, storage, migrations };
    const healthy = Object.values(checks).every((check) => check.status === 'up');
    res.status(healthy ? 200 : 503).json({
      status: healthy ? 'ok' : 'degraded',
      checks,
      temporal: {
        address: services.endpoints.temporalAddress,
        namespace: services.endpoints.temporalNamespace,
      },
    });
  });
  return router;
}
