import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Request } from 'express';
import { QueryTypes } from 'sequelize';
import { openMappingIssues, resolveMappingIssues } from '../../db/channels';
import { listingsSetAside, pendingStockMarks, resolveListings } from '../../db/stock-channels';
import { channelConnections, signalChannelSync } from '../../intake/channel-syncs';
import { refusalMessage } from '../../intake/orders';
import {
  type ChannelSyncInput,
  channelResyncSignal,
  channelSyncWorkflowId,
  getChannelSyncQuery,
  channelSyncViewSchema,
  mappingsResolvedSchema,
  resolveMappingsUpdate,
} from '../../workflows/channels/contract';
import type { TenantLocals, TenantResponse } from '../auth';
import { sendError } from '../errors';
import { onFound } from '../path-target';
import { ApiRoutes, type RouterServices } from '../route-registry';
import { z } from 'zod';
import { errorResponse, jsonResponse, viewSchema } from '../openapi-parts';

const instant = z.iso.datetime({ offset: true });
const channelShared = {
  id: z.string(),
  sync: channelSyncViewSchema.nullable().describe('null while no sync runs'),
};
const CHANNEL = viewSchema(
  'Channel',
  z.discriminatedUnion('kind', [
    z.object({
      ...channelShared,
      kind: z.literal('ota'),
      propertyId: z.string(),
      pendingNights: z.number().int().describe('nights changed and not yet pushed'),
      setAside: z.array(z.object({ roomTypeId: z.string(), reason: z.string(), raisedAt: instant })),
    }),
    z.object({
      ...channelShared,
      kind: z.literal('stock'),
      locations: z.record(z.string(), z.number().int()).describe("each hub location's Shopify location id"),
      pendingMarks: z.number().int().describe('SKU-locations changed and not yet pushed'),
      setAside: z.array(z.object({ sku: z.string(), reason: z.string(), raisedAt: instant })),
    }),
  ]),
);
const RESYNC = viewSchema('ResyncRequested', z.object({ id: z.string(), resync: z.literal('requested') }));
const RESOLVED = viewSchema('MappingsResolved', mappingsResolvedSchema.extend({ id: z.string() }));

/** Ops' view of the channel connections: what was pushed, what waits, what was set aside. */
export function channelsRouter(
  deps: RouterServices<'client' | 'config' | 'sequelize' | 'connectors'>,
): ApiRoutes<TenantLocals> {
  const router = new ApiRoutes<TenantLocals>();

  /** The tenant's channel connections: its OTAs and the stores whose stock the hub keeps. */
  const channelsOf = (tenantId: string) =>
    channelConnections(deps.config, deps.connectors).filter((c) => c.tenantId === tenantId);

  /** The tenant's channel connection the path names, or undefined after answering 404. */
  function channelIn(req: Request, res: TenantResponse) {
    const channel = channelsOf(res.locals.tenant.id).find((c) => c.connectorId === req.params.id);
    if (!channel) sendError(res, 404, 'not_found', `no channel ${String(req.params.id)}`);
    return channel;
  }

  async function statusOf(ref: ChannelSyncInput) {
    if (ref.kind === 'stock') {
      const store = deps.connectors.shopifyStore(ref.connectorId);
      return {
        id: ref.connectorId,
        kind: 'stock',
        locations: store.options.stockLocations,
        pendingMarks: await pendingStockMarks(deps.sequelize, ref),
        sync: await syncView(ref),
        setAside: await listingsSetAside(deps.sequelize, ref),
      };
    }
    const [pending] = await deps.sequelize.query<{ nights: string }>(
      `SELECT count(*) AS nights FROM channel_dirty WHERE tenant_id = :tenantId AND connector_id = :connectorId`,
      { replacements: { ...ref }, type: QueryTypes.SELECT },
    );
    return {
      id: ref.connectorId,
      kind: 'ota',
      propertyId: deps.connectors.ota(ref.connectorId).options.propertyId,
      pendingNights: Number(pending?.nights ?? 0),
      sync: await syncView(ref),
      setAside: await openMappingIssues(deps.sequelize, ref),
    };
  }

  async function syncView(ref: ChannelSyncInput) {
    try {
      return await deps.client.workflow
        .getHandle(channelSyncWorkflowId(ref.tenantId, ref.connectorId))
        .query(getChannelSyncQuery);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      return null;
    }
  }

  const resync = (ref: { tenantId: string; connectorId: string }) =>
    signalChannelSync(deps.client, deps.config, ref, channelResyncSignal);

  router.get(
    '/v1/channels',
    {
      summary: 'OTA connections with their sync state',
      responses: {
        '200': jsonResponse('The channels', {
          type: 'object',
          required: ['channels'],
          properties: { channels: { type: 'array', items: CHANNEL } },
        }),
      },
    },
    async (_req, res: TenantResponse) => {
      res.json({ channels: await Promise.all(channelsOf(res.locals.tenant.id).map(statusOf)) });
    },
  );

  router.get(
    '/v1/channels/:id',
    {
      summary: 'One OTA connection: nights waiting, pushes, last complete set, room types set aside',
      responses: { '200': jsonResponse('The channel', CHANNEL), '404': errorResponse('No such channel') },
    },
    onFound(channelIn, async (ref, _req, res) => {
      res.json(await statusOf(ref));
    }),
  );

  /** A complete set, now: the next horizon's nights, or every SKU the store lists. */
  router.post(
    '/v1/channels/:id/resync',
    {
      summary: 'Send the OTA a complete set of the next horizon now',
      responses: { '202': jsonResponse('Requested', RESYNC), '404': errorResponse('No such channel') },
    },
    onFound(channelIn, async (ref, _req, res) => {
      await resync(ref);
      res.status(202).json({ id: ref.connectorId, resync: 'requested' });
    }),
  );

  /** Ops fixed the mapping: the set-aside room types or SKUs go out again in a complete set. */
  router.post(
    '/v1/channels/:id/mappings/resolve',
    {
      summary:
        "Put room types or SKUs set aside back (their mapping was fixed) and send a complete set (the sync's Update resolveMappings)",
      responses: {
        '200': jsonResponse('Resolved: how many, and the complete set requested', RESOLVED),
        '404': errorResponse('No such channel'),
        '409': errorResponse('Nothing is set aside on this channel'),
      },
    },
    onFound(channelIn, async (ref, _req, res) => {
      // The running sync takes the decision (its Update, as from the Temporal UI), or refuses it.
      try {
        const done = await deps.client.workflow
          .getHandle(channelSyncWorkflowId(ref.tenantId, ref.connectorId))
          .executeUpdate(resolveMappingsUpdate);
        return res.json({ id: ref.connectorId, ...done });
      } catch (error) {
        if (error instanceof WorkflowUpdateFailedError)
          return sendError(res, 409, 'nothing_set_aside', refusalMessage(error));
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
      // No sync runs (stopped by hand): resolved here, and the complete set starts it again.
      const resolved =
        ref.kind === 'stock'
          ? await resolveListings(deps.sequelize, ref)
          : await resolveMappingIssues(deps.sequelize, ref);
      await resync(ref);
      res.json({ id: ref.connectorId, resolved, resync: 'requested' });
    }),
  );

  return router;
}
