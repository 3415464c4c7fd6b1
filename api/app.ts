import { isInfrastructureUnavailable } from '../platform/infra/unavailable';
import express, { type ErrorRequestHandler, type Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Logger } from '../platform/logger';
import type { HubServices } from '../platform/services';
import { ApiKeyIndex, requireTenant } from './auth';
import { sendError } from './errors';
import { httpMetrics, metricsRouter } from './metrics';
import { documentedMethods } from './method-not-allowed';
import { refuseMalformedQueryParameters, refuseUnstorableText } from './validation';
import { openApiDocument } from './openapi';
import type { MountableRoutes } from './route-registry';
import { requestLog } from './request-log';
import { requireScope } from './scopes';
import { codecRouter, codecServerFromEnv } from './codec';
import { alpineBitsRouter } from './routes/alpinebits';
import { catalogueImportsRouter } from './routes/catalogue-imports';
import { channelsRouter } from './routes/channels';
import { eventsRouter } from './routes/events';
import { reconcileRouter } from './routes/reconcile';
import { healthRouter } from './routes/health';
import { inventoryRouter } from './routes/inventory';
import { listingsRouter } from './routes/listings';
import { masterDataRouter } from './routes/master-data';
import { ordersRouter } from './routes/orders';
import { returnsRouter } from './routes/returns';
import { staysRouter } from './routes/stays';
import { reportsRouter } from './routes/reports';
import { webhooksRouter } from './routes/webhooks';

/**
 * Every documented route of the API, by the door it comes through: partners' webhooks and
 * AlpineBits (raw bodies, their own authentication), the open health probes, and the tenant's
 * REST API (an API key with its scope). The app mounts them and documents exactly these.
 */
export function apiRoutes(
  services: HubServices,
  logger: Logger,
): Record<'partners' | 'open' | 'tenant', MountableRoutes[]> {
  return {
    // Webhooks come first: their signatures are over the raw body, before any JSON parsing.
    partners: [webhooksRouter(services, logger), alpineBitsRouter(services)],
    open: [healthRouter(services)],
    tenant: [
      ordersRouter(services),
      masterDataRouter(services),
      listingsRouter(services),
      inventoryRouter(services),
      returnsRouter(services),
      staysRouter(services),
      catalogueImportsRouter(services),
      channelsRouter(services),
      eventsRouter(services),
      reconcileRouter(services),
      reportsRouter(services),
    ],
  };
}

export function createApp(services: HubServices, logger: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(httpMetrics);
  app.use(requestLog(logger));
  const routes = apiRoutes(services, logger);
  app.use(routes.partners.map((r) => r.router));
  app.use(express.json({ limit: '1mb' }));

  const document = openApiDocument(
    [...routes.partners, ...routes.open, ...routes.tenant].flatMap((r) => r.declared),
  );
  app.locals.openApi = document;
  const methods = documentedMethods(document as Parameters<typeof documentedMethods>[0]);
  app.use(methods.options);
  app.get('/openapi.json', (_req, res) => res.json(document));
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document));
  app.use(routes.open.map((r) => r.router));
  const codec = codecServerFromEnv();
  if (codec) app.use(codecRouter(codec));
  app.use(metricsRouter(services.sequelize, services.client));

  app.use(
    '/v1',
    requireTenant(new ApiKeyIndex(services.config)),
    requireScope,
    refuseMalformedQueryParameters,
    refuseUnstorableText,
  );
  app.use(routes.tenant.map((r) => r.router));

  app.use(methods.notAllowed);
  app.use((_req, res) => sendError(res, 404, 'not_found', 'no such endpoint'));
  const onError: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    const status =
      (error as { status?: number; statusCode?: number }).status ??
      (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return sendError(res, status, 'bad_request', (error as Error).message);
    }
    if (isInfrastructureUnavailable(error)) {
      // PostgreSQL or Temporal is away for a moment: a 503 every caller retries (partners'
      // webhooks included), so nothing sent meanwhile is lost, and no stack per request.
      logger.warn({ method: req.method, path: req.path, reason: (error as Error).message }, 'unavailable');
      res.setHeader('Retry-After', '5');
      return sendError(res, 503, 'unavailable', 'the hub cannot take this request right now; retry shortly');
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    sendError(res, 500, 'internal', 'the request failed; it is safe to retry');
  };
  app.use(onError);
  return app;
}
