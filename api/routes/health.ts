import { Router } from 'express';
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

/** `GET /health`: 200 when Temporal, the database and storage all answer, 503 otherwise. */
export function healthRouter(
  services: Pick<HubServices, 'client' | 'sequelize' | 'storage' | 'endpoints'>,
): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const [temporal, database, storage] = await Promise.all([
      probe(() => services.client.workflowService.getSystemInfo({})),
      probe(() => services.sequelize.query('SELECT 1')),
      probe(() => services.storage.ping()),
    ]);
    const checks = { temporal, database, storage };
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
