import { z } from 'zod';
import { listDeliveries, redeliverEvent, replayToSubscriber, type DeliveryKey } from '../../db/outbox';
import { EVENT_TYPES } from '../../domain/events';
import type { TenantLocals, TenantResponse } from '../auth';
import { sendError } from '../errors';
import { ApiRoutes, type RouterServices } from '../route-registry';
import { errorResponse, jsonResponse, queryParameter, viewSchema } from '../openapi-parts';
import { pageOf } from '../pagination';
import { zodIssues } from '../validation';

const instant = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z',
});

/** `limit` and `cursor` are the page's (`api/pagination.ts`); the rest filter. */
export const deliveriesQuerySchema = z.object({
  status: z.enum(['pending', 'delivered', 'dead']).optional(),
  type: z.enum(EVENT_TYPES).optional(),
  since: instant.optional(),
  subscriber: z.string().min(1).max(64).optional(),
});
export const redeliverBodySchema = z.object({ subscriberId: z.string().min(1).max(64).optional() }).strict();
export const replayQuerySchema = z.object({ since: instant });

const isDeliveryKey = (key: unknown): key is DeliveryKey =>
  Array.isArray(key) && key.length === 3 && key.every((part) => typeof part === 'string');

const DELIVERIES = viewSchema(
  'Deliveries',
  z.object({
    deliveries: z.array(
      z.object({
        eventId: z.string(),
        type: z.enum(EVENT_TYPES),
        subscriberId: z.string(),
        status: z.enum(['pending', 'delivered', 'dead']),
        attempts: z.number().int(),
        lastError: z.string().nullable(),
        createdAt: instant,
        deliveredAt: instant.nullable(),
      }),
    ),
    nextCursor: z.string().nullable(),
  }),
);
const REDELIVERING = viewSchema(
  'Redelivering',
  z.object({
    eventId: z.string(),
    redelivering: z.array(z.string()).describe('the subscribers it is queued for'),
  }),
);
const REPLAYING = viewSchema(
  'Replaying',
  z.object({ subscriberId: z.string(), since: z.string(), queued: z.number().int() }),
);

/**
 * The repair kit for events: what was delivered, what waits and what was given up (`dead` after
 * 30 attempts), sending one event again, and catching a subscriber up after an outage. Each
 * request queues each delivery once; the dispatcher sends it as it sends every event.
 */
export function eventsRouter(deps: RouterServices<'sequelize'>): ApiRoutes<TenantLocals> {
  const router = new ApiRoutes<TenantLocals>();

  router.get(
    '/v1/events',
    {
      summary: 'Event deliveries to subscribers: pending, delivered, or dead (given up after 30 attempts)',
      parameters: [
        queryParameter('status', { type: 'string', enum: ['pending', 'delivered', 'dead'] }),
        queryParameter('type', { type: 'string', enum: [...EVENT_TYPES] }),
        queryParameter('since', { type: 'string', format: 'date-time' }),
        queryParameter('subscriber', { type: 'string' }),
        queryParameter('limit', { type: 'integer', minimum: 1, maximum: 1000 }),
        queryParameter('cursor', { type: 'string' }),
      ],
      responses: {
        '200': jsonResponse(
          "Deliveries, newest event first, and the next page's cursor (or null)",
          DELIVERIES,
        ),
        '400': errorResponse('Invalid filter, limit or cursor'),
      },
    },
    async (req, res: TenantResponse) => {
      const query = deliveriesQuerySchema.safeParse(req.query);
      if (!query.success)
        return sendError(res, 400, 'invalid_query', 'the filter failed validation', zodIssues(query.error));
      const page = pageOf<DeliveryKey>(req, res, isDeliveryKey);
      if (!page) return;
      const deliveries = await listDeliveries(
        deps.sequelize,
        res.locals.tenant.id,
        {
          status: query.data.status,
          type: query.data.type,
          since: query.data.since,
          subscriberId: query.data.subscriber,
        },
        { after: page.after, limit: page.limit },
      );
      const last = deliveries.length === page.limit ? deliveries.at(-1) : undefined;
      res.json({
        deliveries,
        nextCursor: page.cursorAfter(last && [last.createdAt, last.eventId, last.subscriberId]),
      });
    },
  );

  router.post(
    '/v1/events/:id/redeliver',
    {
      summary: 'Send an event again: to every subscriber it went to, or to one (`subscriberId`)',
      body: { schema: redeliverBodySchema, refused: 'invalid_request', required: false },
      responses: {
        '200': jsonResponse('The subscribers it is queued for, once each', REDELIVERING),
        '400': errorResponse('Invalid body'),
        '404': errorResponse('No delivery of this event for this tenant'),
      },
    },
    async (req, res) => {
      const subscribers = await redeliverEvent(
        deps.sequelize,
        res.locals.tenant.id,
        String(req.params.id),
        res.locals.body.subscriberId,
      );
      if (subscribers.length === 0)
        return sendError(res, 404, 'not_found', `no delivery of event ${String(req.params.id)} to redeliver`);
      res.json({ eventId: String(req.params.id), redelivering: subscribers });
    },
  );

  router.post(
    '/v1/subscribers/:id/replay',
    {
      summary: 'Catch a subscriber up: every event of its types since `since` is delivered to it once more',
      parameters: [queryParameter('since', { type: 'string', format: 'date-time' }, { required: true })],
      responses: {
        '200': jsonResponse('How many deliveries were queued', REPLAYING),
        '400': errorResponse('since is missing or not a date-time'),
        '404': errorResponse('No such subscriber for this tenant'),
      },
    },
    async (req, res: TenantResponse) => {
      const query = replayQuerySchema.safeParse(req.query);
      if (!query.success)
        return sendError(res, 400, 'invalid_query', 'the replay needs ?since=', zodIssues(query.error));
      const subscriber = res.locals.tenant.subscribers.find((s) => s.id === String(req.params.id));
      if (!subscriber) return sendError(res, 404, 'not_found', `no subscriber ${String(req.params.id)}`);
      const queued = await replayToSubscriber(
        deps.sequelize,
        res.locals.tenant.id,
        subscriber,
        query.data.since,
      );
      res.json({ subscriberId: subscriber.id, since: query.data.since, queued });
    },
  );

  return router;
}
