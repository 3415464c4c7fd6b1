import express, { type Request, type Response } from 'express';
import { ApiRoutes } from '../route-registry';
import {
  buildPingResponse,
  HANDSHAKE_ACTION,
  HUB_AS_SERVER,
  intersectHandshakes,
  legacyAnswer,
  readPingRequest,
} from '../../connectors/ota/alpinebits/handshake';
import { basicAuthorization, readAlpineBitsRequest } from '../../connectors/ota/alpinebits/protocol';
import { buildOutcome, readOutcome } from '../../connectors/ota/alpinebits/responses';
import { alpineBitsSchemas, schemaVersionFor } from '../../connectors/ota/alpinebits/schema';
import { OtaMessageError, parseOta } from '../../connectors/ota/alpinebits/xml';
import type { ConnectorRegistry } from '../../connectors/registry';
import type { HubConfig } from '../../platform/config/schema';
import type { AlpineBitsSchemaVersion } from '../../platform/infra/alpinebits-schemas';
import type { OtaReservationIntake } from '../../intake/ota';

const PUSH_ACTION = 'OTA_HotelResNotif:GuestRequests';

/** The handshake's answer: what the OTA and the hub both support, or the reason the request was not one. */
async function answerHandshake(request: string, version: AlpineBitsSchemaVersion): Promise<string> {
  try {
    await alpineBitsSchemas().check(request, version);
    const { declared, echo } = readPingRequest(parseOta(request));
    return buildPingResponse(intersectHandshakes(HUB_AS_SERVER, declared), echo);
  } catch (error) {
    if (!(error instanceof OtaMessageError)) throw error;
    return buildOutcome(
      'OTA_PingRS',
      { errors: error.problems.map((text) => ({ type: '13', text })) },
      {},
      '8.000',
    );
  }
}

/**
 * Sends one of the hub's answers in the form the client's version allows: as the OpenTravel
 * response when it follows that version's schemas, else as an AlpineBits protocol error naming
 * what it said. (An OTA_HotelResNotifRS, for one, carries no Errors and must acknowledge at least
 * one reservation, so a push refused whole is answered `ERROR:` with each reservation's reason.)
 */
async function answer(res: Response, xml: string, version: AlpineBitsSchemaVersion): Promise<void> {
  const problems = await alpineBitsSchemas().problems(xml, version);
  if (problems.length === 0) return void res.type('application/xml').send(xml);
  const outcome = readOutcome(parseOta(xml));
  const said = [...outcome.errors, ...outcome.warnings].map((n) =>
    n.recordId ? `${n.recordId}: ${n.text}` : n.text,
  );
  res
    .status(400)
    .type('text/plain')
    .send(`ERROR:${(said.length > 0 ? said : problems).join('; ')}`);
}

/**
 * The hub as an AlpineBits server for each OTA connection that pushes reservations:
 * `POST /alpinebits/<connectorId>` with multipart/form-data `action` and `request`, Basic auth
 * with the connection's inbound credentials and the protocol version header. Protocol errors are
 * answered as AlpineBits does (`ERROR:` text with 4xx); everything else with an OpenTravel response.
 * A request that does not follow the AlpineBits schemas of its version is refused with their
 * complaint, before anything of it is read.
 */
export function alpineBitsRouter(deps: {
  config: HubConfig;
  connectors: ConnectorRegistry;
  otaIntake: OtaReservationIntake;
}): ApiRoutes {
  const router = new ApiRoutes();
  router.post(
    '/alpinebits/:connectorId',
    {
      summary: 'AlpineBits server endpoint of an OTA connection (handshake, reservation push)',
      description:
        'multipart/form-data or urlencoded `action` and `request` (OpenTravel XML), with the ' +
        "connection's inbound Basic credentials and the `X-AlpineBits-ClientProtocolVersion` " +
        'header. Protocol errors answer `ERROR:<reason>` as text with 4xx, as AlpineBits does; a ' +
        'request that does not follow the schemas of its version is refused with their complaint.',
      security: [],
      requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object' } } } },
      responses: {
        '200': { description: 'An OpenTravel response (XML), or the handshake answer' },
        '400': { description: '`ERROR:` with the reason (unknown action, invalid request)' },
        '401': { description: '`ERROR:` credentials do not match' },
        '404': { description: '`ERROR:no AlpineBits endpoint here`' },
      },
    },
    express.raw({ type: () => true, limit: '5mb' }),
    async (req: Request, res: Response) => {
      const connector = deps.config.connectors.find(
        (c) => c.id === req.params.connectorId && c.kind === 'ota',
      );
      const channel = connector && deps.connectors.ota(connector.id);
      if (!connector || !channel?.inbound)
        return void res.status(404).type('text/plain').send('ERROR:no AlpineBits endpoint here');
      const read = await readAlpineBitsRequest(
        req.headers,
        req.body as Buffer,
        basicAuthorization(channel.inbound.username, channel.inbound.password),
      );
      if ('error' in read) return void res.status(read.status).type('text/plain').send(`ERROR:${read.error}`);
      const version = schemaVersionFor(read.version);
      if (read.action === HANDSHAKE_ACTION)
        return answer(res, await answerHandshake(read.request, version), version);
      const legacy = legacyAnswer(read.action, HUB_AS_SERVER);
      if (legacy) return void res.type('text/plain').send(legacy);
      // As the protocol has a server answer an action it does not implement.
      if (read.action !== PUSH_ACTION)
        return void res.status(400).type('text/plain').send('ERROR:unknown or missing action');
      const tenant = deps.config.tenants.find((t) => t.id === connector.tenant)!;
      await answer(res, await deps.otaIntake.receive(tenant, channel, read.request, version), version);
    },
  );
  return router;
}
