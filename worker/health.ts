import type { Server } from 'node:http';
import type { Worker } from '@temporalio/worker';
import express from 'express';
import { healthRouter } from '../api/routes/health';
import type { HealthServices } from '../platform/health';
import { listen } from '../platform/listen';
import { exposition } from '../platform/metrics';

/** What the worker process has running, as its main function brings it up. */
export interface WorkerProgress {
  workers: Worker[];
  /** Start-up work (schedules, webhooks, the channel listener) is done. */
  backgroundStarted: boolean;
}

/**
 * The worker's health endpoints on their own port: live while the process answers; ready when
 * Temporal, PostgreSQL and storage answer, the schema is migrated, start-up work is done and every
 * worker polls its task queue (a worker that failed or is draining is not ready).
 */
export async function serveWorkerHealth(
  services: HealthServices,
  progress: WorkerProgress,
  port: number,
  host = '0.0.0.0',
): Promise<{ server: Server; port: number }> {
  const app = express();
  app.disable('x-powered-by');
  // This process's metrics: partner calls and the effects made (the hub's state is the API's).
  app.get('/metrics', async (_req, res, next) => {
    try {
      const { contentType, body } = await exposition();
      res.type(contentType).send(body);
    } catch (error) {
      next(error);
    }
  });
  app.use(
    healthRouter(services, {
      workers: async () => {
        if (progress.workers.length === 0) throw new Error('workers not created yet');
        const idle = progress.workers.filter((w) => w.getState() !== 'RUNNING');
        if (idle.length > 0)
          throw new Error(
            idle.map((w) => `${w.options.taskQueue} is ${w.getState().toLowerCase()}`).join('; '),
          );
      },
      background: async () => {
        if (!progress.backgroundStarted)
          throw new Error('schedules, webhooks and the channel listener starting');
      },
    }).router,
  );
  return listen(app, port, host);
}
