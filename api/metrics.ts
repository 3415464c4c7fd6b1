import type { Client } from '@temporalio/client';
import { Router, type RequestHandler } from 'express';
import { Gauge, Registry } from 'prom-client';
import type { Sequelize } from 'sequelize';
import { readHubState, type HubState, type StateFigure } from '../db/hub-state';
import { ORDER_STATUSES } from '../domain/orders/status';
import { RETURN_STATUSES } from '../domain/returns/return';
import { RESERVATION_STATUSES } from '../domain/stays/reservation';
import { exposition, httpDuration, httpRequests } from '../platform/metrics';
import { mountedRouteOf } from './request-log';

/**
 * Counts and times every request by its mounted route (`/v1/orders/:id`, not the URL, so the
 * label set stays small); a request no route took is `unmatched`.
 */
export const httpMetrics: RequestHandler = (req, res, next) => {
  const stop = httpDuration.startTimer();
  res.once('finish', () => {
    const route = mountedRouteOf(req) ?? 'unmatched';
    const labels = { method: req.method, route };
    stop(labels);
    httpRequests.inc({ ...labels, status: String(res.statusCode) });
  });
  next();
};

/** Each process's workflow types, with the statuses its `CrossdockStatus` takes. */
const PROCESSES = [
  { process: 'order', types: ['orderLifecycle', 'orderFulfillment'], statuses: ORDER_STATUSES },
  { process: 'return', types: ['returnLifecycle'], statuses: RETURN_STATUSES },
  { process: 'reservation', types: ['reservationLifecycle'], statuses: RESERVATION_STATUSES },
] as const;

/** Processes by status, from Temporal's visibility store (it groups by ExecutionStatus only: one count each). */
async function processesByStatus(client: Client): Promise<StateFigure[]> {
  const counts = PROCESSES.flatMap(({ process, types, statuses }) =>
    statuses.map(async (status) => {
      const typeList = types.map((t) => `"${t}"`).join(', ');
      const { count } = await client.workflow.count(
        `WorkflowType IN (${typeList}) AND CrossdockStatus = "${status}"`,
      );
      return { labels: { process, status }, value: count };
    }),
  );
  return Promise.all(counts);
}

/** The state gauges' figures, read once per scrape however many gauges ask (and at most every 5 s). */
function stateReader(sequelize: Sequelize, client: Client) {
  let last: { at: number; state: Promise<HubFigures> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > 5_000) {
      const state = Promise.all([readHubState(sequelize), processesByStatus(client)]).then(
        ([held, processes]) => ({ ...held, processes }),
      );
      last = { at: Date.now(), state };
      state.catch(() => (last = undefined));
    }
    return last.state;
  };
}

type HubFigures = HubState & { processes: StateFigure[] };

/** The hub's state as gauges: each its name, meaning, labels and where its figures come from. */
export const STATE_GAUGES: Array<{
  name: string;
  help: string;
  labelNames: string[];
  pick: (state: HubFigures) => StateFigure[];
}> = [
  {
    name: 'crossdock_processes',
    help: 'Orders, returns and reservations by status (overbooked stays wait for ops).',
    labelNames: ['process', 'status'],
    pick: (s) => s.processes,
  },
  {
    name: 'crossdock_event_deliveries',
    help: 'Event deliveries pending (the outbox backlog) and dead (given up).',
    labelNames: ['status'],
    pick: (s) => s.deliveries,
  },
  {
    name: 'crossdock_channel_lag_seconds',
    help: 'Age of the oldest change not yet pushed to a channel.',
    labelNames: ['tenant', 'connector'],
    pick: (s) => s.channelLagSeconds,
  },
  {
    name: 'crossdock_set_aside_mappings',
    help: 'Room types and SKUs a channel refused, set aside for a person.',
    labelNames: ['tenant', 'connector'],
    pick: (s) => s.setAsideMappings,
  },
  {
    name: 'crossdock_charge_reviews',
    help: 'POS charges kept for review: they could not go on a folio.',
    labelNames: ['tenant', 'property'],
    pick: (s) => s.chargeReviews,
  },
  {
    name: 'crossdock_stuck_parcels',
    help: 'Parcels bought over a day ago with no carrier scan since.',
    labelNames: ['tenant', 'connector'],
    pick: (s) => s.stuckParcels,
  },
];

/**
 * What the hub holds, read at scrape time: the same in every API process, so dashboards take
 * `max` over instances rather than `sum`.
 */
function stateRegistry(sequelize: Sequelize, client: Client): Registry {
  const registry = new Registry();
  const read = stateReader(sequelize, client);
  for (const { name, help, labelNames, pick } of STATE_GAUGES)
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        for (const { labels, value } of pick(await read())) this.set(labels, value);
      },
    });
  return registry;
}

/** `GET /metrics`: this process's metrics and the hub's state, in Prometheus' text format. */
export function metricsRouter(sequelize: Sequelize, client: Client): Router {
  const state = stateRegistry(sequelize, client);
  const router = Router();
  router.get('/metrics', async (_req, res, next) => {
    try {
      const { contentType, body } = await exposition([state]);
      res.type(contentType).send(body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
