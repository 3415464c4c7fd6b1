import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Router, type Request, type Response } from 'express';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../../connectors/registry';
import { openMappingIssues, resolveMappingIssues } from '../../db/channels';
import type { HubConfig } from '../../platform/config/schema';
import { signalChannelSync } from '../../platform/channel-nudges';
import {
  channelResyncSignal,
  channelSyncWorkflowId,
  getChannelSyncQuery,
} from '../../workflows/channels/definitions';
import type { TenantLocals } from '../auth';
import { sendError } from '../errors';

type TenantResponse = Response<unknown, TenantLocals>;

/** Ops' view of the channel connections: what was pushed, what waits, what was set aside. */
export function channelsRouter(deps: {
  client: Client;
  config: HubConfig;
  sequelize: Sequelize;
  connectors: ConnectorRegistry;
}): Router {
  const router = Router();

  /** The tenant's OTA connection the path names, or undefined after answering 404. */
  function channelIn(req: Request, res: TenantResponse) {
    const connector = deps.config.connectors.find(
      (c) => c.id === req.params.id && c.kind === 'ota' && c.tenant === res.locals.tenant.id,
    );
    if (!connector) sendError(res, 404, 'not_found', `no channel ${String(req.params.id)}`);
    return connector && { tenantId: connector.tenant, connectorId: connector.id };
  }

  async function statusOf(ref: { tenantId: string; connectorId: string }) {
    const [pending] = await deps.sequelize.query<{ nights: string }>(
      `SELECT count(*) AS nights FROM channel_dirty WHERE tenant_id = :tenantId AND connector_id = :connectorId`,
      { replacements: ref, type: QueryTypes.SELECT },
    );
    let sync;
    try {
      sync = await deps.client.workflow
        .getHandle(channelSyncWorkflowId(ref.tenantId, ref.connectorId))
        .query(getChannelSyncQuery);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    return {
      id: ref.connectorId,
      propertyId: deps.connectors.ota(ref.connectorId).options.propertyId,
      pendingNights: Number(pending?.nights ?? 0),
      sync: sync ?? null,
      setAside: await openMappingIssues(deps.sequelize, ref),
    };
  }

  const resync = (ref: { tenantId: string; connectorId: string }) =>
    signalChannelSync(deps.client, deps.config, ref, channelResyncSignal);

  router.get('/v1/channels', async (_req, res: TenantResponse) => {
    const channels = deps.config.connectors.filter(
      (c) => c.kind === 'ota' && c.tenant === res.locals.tenant.id,
    );
    res.json({
      channels: await Promise.all(channels.map((c) => statusOf({ tenantId: c.tenant, connectorId: c.id }))),
    });
  });

  router.get('/v1/channels/:id', async (req, res: TenantResponse) => {
    const ref = channelIn(req, res);
    if (ref) res.json(await statusOf(ref));
  });

  /** A complete set of the next horizon's free rooms, now. */
  router.post('/v1/channels/:id/resync', async (req, res: TenantResponse) => {
    const ref = channelIn(req, res);
    if (!ref) return;
    await resync(ref);
    res.status(202).json({ id: ref.connectorId, resync: 'requested' });
  });

  /** Ops fixed the room mapping: the set-aside room types go out again in a complete set. */
  router.post('/v1/channels/:id/mappings/resolve', async (req, res: TenantResponse) => {
    const ref = channelIn(req, res);
    if (!ref) return;
    const resolved = await resolveMappingIssues(deps.sequelize, ref);
    await resync(ref);
    res.json({ id: ref.connectorId, resolved, resync: 'requested' });
  });

  return router;
}
