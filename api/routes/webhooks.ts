import express, { type Request, type Response } from 'express';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../../connectors/registry';
import { alreadyReceived, recordReceipt } from '../../db/webhook-receipts';
import { recordScan } from '../../db/tracking';
import {
  canonicalFromShopify,
  isShopifyOrderCancelled,
  type ShopifyOrder,
} from '../../domain/orders/channels/shopify';
import { canonicalFromSquare } from '../../domain/orders/channels/square';
import type { HubConfig, TenantConfig } from '../../platform/config/schema';
import type { Logger } from '../../platform/logger';
import type { OrderIntake } from '../../intake/orders';
import type { ReturnIntake } from '../../intake/returns';
import type { ReservationIntake } from '../../intake/reservations';
import { chargeRoom } from '../../intake/room-charges';
import type { ShopifyRefund, ShopifyReturn } from '../../domain/returns/channels/shopify';
import { trackingSignal } from '../../workflows/shared/contract';
import { sendError } from '../errors';
import { ApiRoutes } from '../route-registry';
import { z } from 'zod';
import { errorResponse, jsonResponse, viewSchema } from '../openapi-parts';

interface WebhookDeps {
  client: Client;
  config: HubConfig;
  sequelize: Sequelize;
  connectors: ConnectorRegistry;
  intake: OrderIntake;
  returns: ReturnIntake;
  reservations: ReservationIntake;
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

const WEBHOOK_RECEIVED = viewSchema(
  'WebhookReceived',
  z.object({
    received: z.literal(true),
    duplicate: z.boolean().optional().describe('a delivery already handled'),
  }),
);

/** A partner's webhook: signed by the partner over the raw body, not by an API key. */
function webhookOperation(summary: string, signature: string, more: Record<string, unknown> = {}) {
  return {
    summary,
    security: [],
    description: `Authenticated by ${signature} over the raw body; deduplicated by the partner's delivery id.`,
    responses: {
      '200': jsonResponse('Handled (or a duplicate of a delivery already handled)', WEBHOOK_RECEIVED),
      '401': errorResponse('Signature does not match'),
      '404': errorResponse('No such connector'),
      ...more,
    },
  };
}

/** A signed delivery the hub cannot read (not the partner's payload, no delivery id). */
const UNREADABLE = { '400': errorResponse('Not the partner’s payload, or no delivery id') };

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Partner webhooks. Each is authenticated by the partner's signature over the raw body (so this
 * router reads raw bytes, before any JSON parsing), deduplicated by the partner's delivery id,
 * and acknowledged only once its effect is durable (a workflow started or signalled): a 5xx
 * makes the partner deliver again, and nothing accepted is lost.
 */
export function webhooksRouter(deps: WebhookDeps, logger: Logger): ApiRoutes {
  const router = new ApiRoutes();
  router.use('/webhooks', express.raw({ type: () => true, limit: '2mb' }));

  function tenantOf(connectorId: string, kind: 'marketplace' | 'pos' | 'carrier'): TenantConfig | undefined {
    const connector = deps.connectors.find(connectorId, kind);
    return connector && deps.config.tenants.find((t) => t.id === connector.tenant);
  }

  router.post(
    '/webhooks/shopify/:connectorId',
    webhookOperation(
      'Shopify webhooks (orders/create, orders/updated, orders/paid, orders/cancelled, returns/request, refunds/create)',
      'X-Shopify-Hmac-Sha256',
      {
        ...UNREADABLE,
        '409': errorResponse(
          'A return of an order not delivered in the hub yet: Shopify delivers it again later',
        ),
      },
    ),
    async (req: Request, res: Response) => {
      const connectorId = String(req.params.connectorId);
      const tenant = tenantOf(connectorId, 'marketplace');
      if (!tenant) return sendError(res, 404, 'not_found', `no Shopify connector ${connectorId}`);
      const raw = req.body as Buffer;
      if (
        !Buffer.isBuffer(raw) ||
        !deps.connectors.shopifyStore(connectorId).verifyWebhook(raw, header(req, 'X-Shopify-Hmac-Sha256'))
      ) {
        return sendError(res, 401, 'invalid_signature', 'X-Shopify-Hmac-Sha256 does not match the body');
      }
      const topic = header(req, 'X-Shopify-Topic') ?? '';
      const deliveryId = header(req, 'X-Shopify-Event-Id') ?? header(req, 'X-Shopify-Webhook-Id');
      if (!deliveryId)
        return sendError(
          res,
          400,
          'missing_delivery_id',
          'X-Shopify-Event-Id or X-Shopify-Webhook-Id is required',
        );
      const source = `shopify:${connectorId}`;
      if (await alreadyReceived(deps.sequelize, source, deliveryId))
        return res.json({ received: true, duplicate: true });
      if (topic === 'returns/request' || topic === 'refunds/create') {
        const payload = parseJson(raw);
        let outcome: Record<string, unknown>;
        if (topic === 'returns/request') {
          const result = await deps.returns.requestFromShopify(tenant, payload as ShopifyReturn);
          if (!result)
            return sendError(res, 400, 'invalid_payload', `${topic} payload is not a Shopify return`);
          // Not delivered here yet (the last scan may lag Shopify): refused, so Shopify delivers it again later.
          if (result.kind === 'order_not_delivered' || result.kind === 'order_not_found')
            return sendError(
              res,
              409,
              result.kind,
              'the order is not delivered in the hub yet; deliver again later',
            );
          outcome = {
            return: result.kind,
            ...('view' in result && result.view ? { rmaId: result.view.id } : {}),
          };
          if (result.kind === 'ineligible')
            logger.warn(
              { connectorId, reasons: result.reasons },
              'a return requested on Shopify is not eligible',
            );
        } else {
          outcome = await deps.returns.recordShopifyRefund(tenant, payload as ShopifyRefund);
        }
        await recordReceipt(deps.sequelize, source, deliveryId, topic);
        return res.json({ received: true, ...outcome });
      }
      const order = parseJson(raw) as ShopifyOrder | undefined;
      if (!order || typeof order.id !== 'number' || !Array.isArray(order.line_items)) {
        return sendError(res, 400, 'invalid_payload', `${topic} payload is not a Shopify order`);
      }

      let outcome: Record<string, unknown>;
      if (topic === 'orders/cancelled' || (topic === 'orders/updated' && isShopifyOrderCancelled(order))) {
        const result = await deps.intake.cancel(tenant.id, 'shopify', String(order.id), {
          reason: 'cancelled on Shopify',
          origin: 'channel',
        });
        if (result.refused)
          logger.warn(
            { orderId: order.id, reason: result.refused },
            'Shopify cancelled an order that already shipped',
          );
        outcome = { cancelled: Boolean(result.view), refused: result.refused, unknown: result.notFound };
      } else if (topic === 'orders/create' || topic === 'orders/updated' || topic === 'orders/paid') {
        const candidate = canonicalFromShopify(order);
        const submitted = await deps.intake.submit(tenant, candidate, 'webhook', {
          paymentStatus: candidate.paymentStatus,
          shippingAddress: candidate.shippingAddress,
        });
        outcome = { orderId: submitted.id, duplicate: submitted.duplicate };
      } else {
        outcome = { ignored: `topic ${topic}` };
      }
      await recordReceipt(deps.sequelize, source, deliveryId, topic);
      res.json({ received: true, ...outcome });
    },
  );

  router.post(
    '/webhooks/square/:connectorId',
    webhookOperation('Square order.created / order.updated', 'x-square-hmacsha256-signature', UNREADABLE),
    async (req: Request, res: Response) => {
      const connectorId = String(req.params.connectorId);
      const tenant = tenantOf(connectorId, 'pos');
      if (!tenant) return sendError(res, 404, 'not_found', `no Square connector ${connectorId}`);
      const raw = req.body as Buffer;
      const square = deps.connectors.squareAccount(connectorId);
      if (!Buffer.isBuffer(raw) || !square.verifyWebhook(raw, header(req, 'x-square-hmacsha256-signature'))) {
        return sendError(res, 401, 'invalid_signature', 'x-square-hmacsha256-signature does not match');
      }
      const event = parseJson(raw) as
        | { event_id?: string; type?: string; data?: { object?: Record<string, { order_id?: string }> } }
        | undefined;
      if (!event?.event_id || !event.type)
        return sendError(res, 400, 'invalid_payload', 'not a Square event');
      const source = `square:${connectorId}`;
      if (await alreadyReceived(deps.sequelize, source, event.event_id))
        return res.json({ received: true, duplicate: true });
      let outcome: Record<string, unknown> = { ignored: `type ${event.type}` };
      if (tenant.kind === 'property' && event.type === 'order.created') {
        // A hotel's outlets: the order is a charge to a room's folio, not a shipment.
        const orderId = Object.values(event.data?.object ?? {})[0]?.order_id;
        if (!orderId) return sendError(res, 400, 'invalid_payload', 'the event names no order_id');
        outcome = await chargeRoom(deps, tenant, square, orderId);
      } else if (event.type === 'order.created' || event.type === 'order.updated') {
        const orderId = Object.values(event.data?.object ?? {})[0]?.order_id;
        if (!orderId) return sendError(res, 400, 'invalid_payload', 'the event names no order_id');
        const order = await square.getOrder(orderId);
        const skus = await square.skusFor(
          (order.line_items ?? []).map((l) => l.catalog_object_id).filter((id): id is string => Boolean(id)),
        );
        const submitted = await deps.intake.submit(tenant, canonicalFromSquare(order, skus), 'pos');
        outcome = { orderId: submitted.id, duplicate: submitted.duplicate };
      }
      await recordReceipt(deps.sequelize, source, event.event_id, event.type);
      res.json({ received: true, ...outcome });
    },
  );

  router.post(
    '/webhooks/carriers/:connectorId',
    webhookOperation('Carrier tracker events (EasyPost tracker.updated)', 'X-Hmac-Signature'),
    async (req: Request, res: Response) => {
      const connectorId = String(req.params.connectorId);
      const connector = deps.connectors.find(connectorId, 'carrier');
      if (!connector) return sendError(res, 404, 'not_found', `no carrier connector ${connectorId}`);
      const carrier = deps.connectors.carrier(connectorId);
      const raw = req.body as Buffer;
      if (!Buffer.isBuffer(raw) || !carrier.verifyWebhook(raw, header(req, 'X-Hmac-Signature'))) {
        return sendError(res, 401, 'invalid_signature', 'X-Hmac-Signature does not match the body');
      }
      const update = carrier.parseTrackingEvent(parseJson(raw));
      if (!update) return res.json({ received: true, ignored: 'not a tracker event' });
      // A scan can beat the label purchase's own answer here; the carrier shipment id is claimed before buying.
      // One carrier account can hold the webhooks of several connectors (and tenants), and each is
      // sent every scan: a webhook reaches only the parcels its own connector bought, for its tenant.
      const orderKeys = await recordScan(deps.sequelize, {
        tenantId: connector.tenant,
        connectorId,
        trackingCode: update.trackingCode,
        carrierShipmentId: update.carrierShipmentId,
        status: update.status,
      });
      for (const orderKey of orderKeys) {
        try {
          await deps.client.workflow.getHandle(orderKey).signal(trackingSignal, update);
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error; // a closed order needs no more news
        }
      }
      res.json({ received: true, orders: orderKeys });
    },
  );

  return router;
}
