import express, { Router, type Request, type Response } from 'express';
import {
  buildPingResponse,
  HANDSHAKE_ACTION,
  HUB_AS_SERVER,
  intersectHandshakes,
  legacyAnswer,
  readPingRequest,
} from '../../connectors/ota/alpinebits/handshake';
import { basicAuthorization, readAlpineBitsRequest } from '../../connectors/ota/alpinebits/protocol';
import { buildOutcome } from '../../connectors/ota/alpinebits/responses';
import { OtaMessageError, parseOta } from '../../connectors/ota/alpinebits/xml';
import type { ConnectorRegistry } from '../../connectors/registry';
import type { HubConfig } from '../../platform/config/schema';
import type { OtaReservationIntake } from '../../platform/ota-intake';

const PUSH_ACTION = 'OTA_HotelResNotif:GuestRequests';

/** The handshake's answer: what the OTA and the hub both support, or the reason the request was not one. */
function answerHandshake(request: string): string {
  try {
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
 * The hub as an AlpineBits server for each OTA connection that pushes reservations:
 * `POST /alpinebits/<connectorId>` with multipart/form-data `action` and `request`, Basic auth
 * with the connection's inbound credentials and the protocol version header. Protocol errors are
 * answered as AlpineBits does (`ERROR:` text with 4xx); everything else with an OpenTravel response.
 */
export function alpineBitsRouter(deps: {
  config: HubConfig;
  connectors: ConnectorRegistry;
  otaIntake: OtaReservationIntake;
}): Router {
  const router = Router();
  router.post(
    '/alpinebits/:connectorId',
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
      if (read.action === HANDSHAKE_ACTION)
        return void res.type('application/xml').send(answerHandshake(read.request));
      const legacy = legacyAnswer(read.action, HUB_AS_SERVER);
      if (legacy) return void res.type('text/plain').send(legacy);
      // As the protocol has a server answer an action it does not implement.
      if (read.action !== PUSH_ACTION)
        return void res.status(400).type('text/plain').send('ERROR:unknown or missing action');
      const tenant = deps.config.tenants.find((t) => t.id === connector.tenant)!;
      res.type('application/xml').send(await deps.otaIntake.receive(tenant, channel, read.request));
    },
  );
  return router;
}
