import { timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type { ConnectorRegistry } from '../../connectors/registry';
import type { HubConfig } from '../../platform/config/schema';
import type { OtaReservationIntake } from '../../platform/ota-intake';

const PUSH_ACTION = 'OTA_HotelResNotif:GuestRequests';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
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
      const expected = `Basic ${Buffer.from(`${channel.inbound.username}:${channel.inbound.password}`).toString('base64')}`;
      if (!sameSecret(req.headers.authorization ?? '', expected))
        return void res.status(401).type('text/plain').send('ERROR:invalid username or password');
      if (!req.headers['x-alpinebits-clientprotocolversion'])
        return void res
          .status(400)
          .type('text/plain')
          .send('ERROR:missing X-AlpineBits-ClientProtocolVersion');
      let form: FormData;
      try {
        form = await new globalThis.Response(req.body as Buffer, {
          headers: { 'content-type': String(req.headers['content-type'] ?? '') },
        }).formData();
      } catch {
        return void res.status(400).type('text/plain').send('ERROR:the body must be multipart/form-data');
      }
      const action = form.get('action');
      const request = form.get('request');
      if (action !== PUSH_ACTION)
        return void res
          .status(400)
          .type('text/plain')
          .send(`ERROR:unknown action ${String(action)}; this endpoint takes ${PUSH_ACTION}`);
      if (typeof request !== 'string')
        return void res.status(400).type('text/plain').send('ERROR:the request parameter is missing');
      const tenant = deps.config.tenants.find((t) => t.id === connector.tenant)!;
      res.type('application/xml').send(await deps.otaIntake.receive(tenant, channel, request));
    },
  );
  return router;
}
