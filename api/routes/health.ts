import { readiness, type HealthServices } from '../../platform/health';
import { z } from 'zod';
import { ApiRoutes } from '../route-registry';
import { jsonResponse, viewSchema } from '../openapi-parts';

const READINESS = viewSchema(
  'Readiness',
  z.object({
    status: z.enum(['ok', 'degraded']),
    checks: z.record(
      z.string(),
      z.object({
        status: z.enum(['up', 'down']),
        latencyMs: z.number().int().optional(),
        error: z.string().optional(),
      }),
    ),
    temporal: z.object({ address: z.string(), namespace: z.string() }),
  }),
);
const readinessAnswer = (description: string) => jsonResponse(description, READINESS);

/**
 * `GET /health/live`: the process answers (a liveness probe restarts it only when it does not).
 * `GET /health/ready` (and `/health`): 200 when Temporal, the database and storage all answer and
 * the schema is migrated, 503 otherwise (a readiness probe sends no traffic meanwhile).
 */
export function healthRouter(services: HealthServices, own?: Parameters<typeof readiness>[1]): ApiRoutes {
  const routes = new ApiRoutes();
  routes.get(
    '/health/live',
    {
      summary: 'Liveness: the process answers',
      security: [],
      responses: {
        '200': jsonResponse(
          'The process is up',
          viewSchema('Liveness', z.object({ status: z.literal('live') })),
        ),
      },
    },
    (_req, res) => {
      res.json({ status: 'live' });
    },
  );
  const ready: Parameters<ApiRoutes['get']>[2] = async (_req, res) => {
    const { healthy, body } = await readiness(services, own);
    res.status(healthy ? 200 : 503).json(body);
  };
  routes.get(
    '/health/ready',
    {
      summary: 'Readiness: Temporal, the database and storage answer, and the schema is migrated',
      security: [],
      responses: {
        '200': readinessAnswer('Ready for traffic'),
        '503': readinessAnswer('A dependency is down or a migration is not applied'),
      },
    },
    ready,
  );
  routes.get(
    '/health',
    {
      summary:
        'Readiness (as /health/ready): Temporal, the database and storage answer, the schema is migrated',
      security: [],
      responses: {
        '200': readinessAnswer('All dependencies answer'),
        '503': readinessAnswer('A dependency is down'),
      },
    },
    ready,
  );
  return routes;
}
