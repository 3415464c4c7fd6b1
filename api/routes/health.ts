import { Router } from 'express';
import { readiness, type HealthServices } from '../../platform/health';

/**
 * `GET /health/live`: the process answers (a liveness probe restarts it only when it does not).
 * `GET /health/ready` (and `/health`): 200 when Temporal, the database and storage all answer and
 * the schema is migrated, 503 otherwise (a readiness probe sends no traffic meanwhile).
 */
export function healthRouter(services: HealthServices, own?: Parameters<typeof readiness>[1]): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'live' });
  });
  router.get(['/health', '/health/ready'], async (_req, res) => {
    const { healthy, body } = await readiness(services, own);
    res.status(healthy ? 200 : 503).json(body);
  });
  return router;
}
