import express, { Router, type Request, type Response } from 'express';
import { addDays } from '../../domain/stays/dates';
import { decodeFreeRooms, type FreeRoomsCapabilities } from '../../connectors/ota/alpinebits/free-rooms';
import { buildResNotif } from '../../connectors/ota/alpinebits/reservations';
import { buildOutcome, readOutcome } from '../../connectors/ota/alpinebits/responses';
import { OtaMessageError, parseOta } from '../../connectors/ota/alpinebits/xml';
import type { SecretSource } from '../shared/secrets';

/**
 * An OTA's AlpineBits 2020-10 server, as channel managers meet it: HTTP POST with
 * multipart/form-data fields `action` and `request`, Basic auth, the client's protocol version in
 * `X-AlpineBits-ClientProtocolVersion`, and OpenTravel responses. FreeRooms
 * (`OTA_HotelInvCountNotif:FreeRooms`) is checked against this server's capabilities; a complete
 * set replaces what it knew of the hotel, a delta changes the dates sent. Knobs: the room codes
 * it knows per hotel (others are refused with error 402) and a per-minute request limit (429).
 */
export class AlpineBitsEmulator {
  /** hotel → room code → date → rooms free. */
  readonly freeRooms = new Map<string, Map<string, Map<string, number>>>();
  readonly knownCodes = new Map<string, Set<string>>();
  requests = 0;
  refused = 0;
  /** Requests turned away for going over the per-minute limit. */
  throttled = 0;
  requestsPerMinute: number | undefined;
  private recent: number[] = [];

  constructor(
    readonly name: string,
    private readonly secrets: SecretSource,
    private readonly capabilities: FreeRoomsCapabilities = { deltas: true, categories: true },
  ) {}

  /** Free rooms a hotel's room code shows on each date from `from` to `to` (inclusive). */
  shown(hotel: string, code: string, from: string, to: string): Record<string, number | null> {
    const dates: Record<string, number | null> = {};
    for (let date = from; date <= to; date = addDays(date, 1))
      dates[date] = this.freeRooms.get(hotel)?.get(code)?.get(date) ?? null;
    return dates;
  }

  /**
   * The OTA pushes reservations to a hotel's system (AlpineBits GuestRequests push), as the hotel
   * gave it the address and credentials, and reports what came back.
   */
  async push(request: {
    deliverTo: string;
    username?: string;
    message: Parameters<typeof buildResNotif>[0];
  }): Promise<{ status: number; body: string; outcome?: ReturnType<typeof readOutcome> }> {
    const form = new FormData();
    form.set('action', 'OTA_HotelResNotif:GuestRequests');
    form.set('request', buildResNotif(request.message));
    const credentials = Buffer.from(`${request.username ?? 'ota'}:${this.secrets('otaPushPassword') ?? ''}`);
    const response = await fetch(request.deliverTo, {
      method: 'POST',
      body: form,
      headers: {
        Authorization: `Basic ${credentials.toString('base64')}`,
        'X-AlpineBits-ClientProtocolVersion': '2020-10',
      },
    });
    const body = await response.text();
    let outcome;
    try {
      outcome = readOutcome(parseOta(body));
    } catch {
      // Not an OpenTravel answer (a protocol error): the body says why.
    }
    return { status: response.status, body, ...(outcome ? { outcome } : {}) };
  }

  router(): Router {
    const router = Router();
    router.post('/', express.raw({ type: () => true, limit: '10mb' }), (req, res) => {
      void this.handle(req, res);
    });
    return router;
  }

  private async handle(req: Request, res: Response): Promise<void> {
    const expected = `Basic ${Buffer.from(`crossdock:${this.secrets('otaPassword') ?? ''}`).toString('base64')}`;
    if (!this.secrets('otaPassword') || req.headers.authorization !== expected)
      return void res.status(401).type('text/plain').send('ERROR:invalid username or password');
    if (!req.headers['x-alpinebits-clientprotocolversion'])
      return void res.status(400).type('text/plain').send('ERROR:missing X-AlpineBits-ClientProtocolVersion');
    if (this.requestsPerMinute !== undefined) {
      const now = Date.now();
      this.recent = this.recent.filter((t) => now - t < 60_000);
      if (this.recent.length >= this.requestsPerMinute) {
        this.throttled += 1;
        res.setHeader('Retry-After', String(Math.ceil((this.recent[0]! + 60_000 - now) / 1000)));
        return void res.status(429).type('text/plain').send('ERROR:too many requests');
      }
      this.recent.push(now);
    }
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
    if (action !== 'OTA_HotelInvCountNotif:FreeRooms')
      return void res
        .status(400)
        .type('text/plain')
        .send(`ERROR:unknown or missing action ${String(action)}`);
    if (typeof request !== 'string')
      return void res.status(400).type('text/plain').send('ERROR:the request parameter is missing');
    this.requests += 1;
    res.type('application/xml');
    try {
      const message = decodeFreeRooms(parseOta(request), this.capabilities);
      const hotel = message.hotelCode ?? message.hotelName ?? '';
      const unknown = [
        ...new Set(
          message.items
            .map((i) => i.invTypeCode)
            .filter(
              (code): code is string =>
                !!code && !!this.knownCodes.get(hotel) && !this.knownCodes.get(hotel)!.has(code),
            ),
        ),
      ];
      if (unknown.length > 0) {
        this.refused += 1;
        return void res.send(
          buildOutcome('OTA_HotelInvCountNotifRS', {
            errors: unknown.map((code) => ({
              type: '13',
              code: '402',
              text: `unknown InvTypeCode "${code}"`,
            })),
          }),
        );
      }
      if (message.completeSet || !this.freeRooms.has(hotel)) this.freeRooms.set(hotel, new Map());
      const rooms = this.freeRooms.get(hotel)!;
      for (const item of message.items) {
        if (!item.invTypeCode) continue;
        const dates = rooms.get(item.invTypeCode) ?? new Map<string, number>();
        rooms.set(item.invTypeCode, dates);
        for (let date = item.start; date <= item.end; date = addDays(date, 1))
          dates.set(date, item.bookable ?? 0);
      }
      res.send(buildOutcome('OTA_HotelInvCountNotifRS', {}));
    } catch (error) {
      if (!(error instanceof OtaMessageError)) throw error;
      this.refused += 1;
      res.send(
        buildOutcome('OTA_HotelInvCountNotifRS', {
          errors: error.problems.map((text) => ({ type: '13', code: '450', text })),
        }),
      );
    }
  }
}
