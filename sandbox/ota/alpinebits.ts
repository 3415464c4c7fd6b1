import express, { Router, type Request, type Response } from 'express';
import { addDays } from '../../domain/stays/dates';
import { decodeFreeRooms, type FreeRoomsCapabilities } from '../../connectors/ota/alpinebits/free-rooms';
import {
  agreed,
  buildPingResponse,
  FREE_ROOMS,
  FREE_ROOMS_CATEGORIES,
  FREE_ROOMS_DELTAS,
  GUEST_REQUESTS_PULL,
  GUEST_REQUESTS_PUSH,
  HANDSHAKE_ACTION,
  intersectHandshakes,
  RATES_EXTENSION,
  readPingRequest,
  RESTRICTIONS_EXTENSION,
  type Handshake,
} from '../../connectors/ota/alpinebits/handshake';
import { basicAuthorization, readAlpineBitsRequest } from '../../connectors/ota/alpinebits/protocol';
import {
  buildResNotif,
  buildResRetrieve,
  decodeNotifReport,
  decodeReadRequest,
  decodeReservations,
  type OtaReservationsMessage,
} from '../../connectors/ota/alpinebits/reservations';
import { buildOutcome, readOutcome } from '../../connectors/ota/alpinebits/responses';
import { decodeRateAmountNotif, decodeRestrictionsNotif } from '../../connectors/ota/alpinebits/ari';
import { alpineBitsSchemas, schemaVersionFor } from '../../connectors/ota/alpinebits/schema';
import {
  attr,
  child,
  OtaMessageError,
  parseOta,
  type OtaMessageType,
} from '../../connectors/ota/alpinebits/xml';
import type { NightRestrictions } from '../../domain/channels/ari';
import type { SecretSource } from '../shared/secrets';

/**
 * What a sandbox OTA declares unless told otherwise: all a channel manager sends it. Written out
 * as the OTA's own declaration, not derived from the hub's: the handshake tests then check the
 * two against each other.
 */
export const SANDBOX_OTA_HANDSHAKE: Handshake = {
  versions: [
    {
      version: '2020-10',
      actions: [
        { action: 'action_OTA_Ping' },
        { action: FREE_ROOMS, supports: [FREE_ROOMS_CATEGORIES, FREE_ROOMS_DELTAS] },
        { action: GUEST_REQUESTS_PULL },
        { action: GUEST_REQUESTS_PUSH },
        { action: RESTRICTIONS_EXTENSION },
        { action: RATES_EXTENSION },
      ],
    },
  ],
};

/**
 * An OTA's AlpineBits 2020-10 server, as channel managers meet it: HTTP POST with
 * multipart/form-data fields `action` and `request`, Basic auth, the client's protocol version in
 * `X-AlpineBits-ClientProtocolVersion`, and OpenTravel responses. FreeRooms
 * (`OTA_HotelInvCountNotif:FreeRooms`) is checked against this server's capabilities; a complete
 * set replaces what it knew of the hotel, a delta changes the dates sent. Restrictions
 * (`OTA_HotelAvailNotif:Restrictions`) and rates (`OTA_HotelRateAmountNotif:Rates`) are kept per
 * room code and date. Reservations queued for the hotel are offered to its pulls
 * (`OTA_Read:GuestRequests`) until it acknowledges or refuses them (`OTA_NotifReport:GuestRequests`).
 * Knobs: the room codes
 * it knows per hotel (others are refused with error 402) and a per-minute request limit (429).
 */
/** The answer to each AlpineBits action the OTA takes, for refusing one the schemas refuse. */
const SCHEMA_ANSWERS: Record<string, OtaMessageType> = {
  'OTA_Ping:Handshaking': 'OTA_PingRS',
  'OTA_HotelInvCountNotif:FreeRooms': 'OTA_HotelInvCountNotifRS',
  'OTA_Read:GuestRequests': 'OTA_ResRetrieveRS',
  'OTA_NotifReport:GuestRequests': 'OTA_NotifReportRS',
};

export class AlpineBitsEmulator {
  /** hotel → room code → date → rooms free. */
  readonly freeRooms = new Map<string, Map<string, Map<string, number>>>();
  /** hotel → room code → date → restrictions, and → rate plan code → amount. */
  readonly restrictions = new Map<string, Map<string, Map<string, NightRestrictions>>>();
  readonly rates = new Map<string, Map<string, Map<string, Record<string, string>>>>();
  readonly knownCodes = new Map<string, Set<string>>();
  requests = 0;
  /** Bytes of every request body received (the multipart form with its XML), for size benchmarks. */
  bytesReceived = 0;
  refused = 0;
  /** Requests turned away for going over the per-minute limit. */
  throttled = 0;
  requestsPerMinute: number | undefined;
  /** An advisory every message taken is answered with (Success with Warnings). */
  warning: string | undefined;
  private recent: number[] = [];
  /** hotel → reservation id → the reservation waiting for the hotel's pull. */
  readonly pending = new Map<string, Map<string, OtaReservationsMessage['reservations'][number]>>();
  /** Reservation ids the hotel acknowledged, and those it refused (with its reason), in order. */
  readonly acknowledged: string[] = [];
  readonly refusedByHotel: Array<{ id: string; reason: string }> = [];

  /** What it declares in the AlpineBits handshake; undefined: it knows no handshake (before 2018-10). */
  declared: Handshake | undefined = SANDBOX_OTA_HANDSHAKE;
  /** What the AlpineBits schemas found wrong in the messages it refused, in order. */
  readonly schemaComplaints: string[] = [];
  /** Clients' handshakes, in order: what each declared. */
  readonly handshakes: Handshake[] = [];

  constructor(
    readonly name: string,
    private readonly secrets: SecretSource,
    private readonly capabilities: FreeRoomsCapabilities = { deltas: true, categories: true },
  ) {}

  /** What the OTA declares from now on; FreeRooms deltas are refused unless it declares them. */
  declare(handshake: Handshake | null): void {
    this.declared = handshake ?? undefined;
    this.capabilities.deltas = !handshake || agreed(handshake, '2020-10', FREE_ROOMS, FREE_ROOMS_DELTAS);
  }

  /** Free rooms a hotel's room code shows on each date from `from` to `to` (inclusive). */
  shown(hotel: string, code: string, from: string, to: string): Record<string, number | null> {
    return Object.fromEntries(
      Object.entries(this.ari(hotel, code, from, to)).map(([date, day]) => [date, day.free]),
    );
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

    const response = await fetch(request.deliverTo, {
      method: 'POST',
      body: form,
      headers: {
        Authorization: basicAuthorization(request.username ?? 'ota', this.secrets('otaPushPassword') ?? ''),
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

  /** A reservation waits for the hotel's pull; a newer version of one replaces the one waiting. */
  queueForPull(message: OtaReservationsMessage): void {
    const waiting =
      this.pending.get(message.hotelCode) ??
      new Map<string, OtaReservationsMessage['reservations'][number]>();
    this.pending.set(message.hotelCode, waiting);
    for (const reservation of message.reservations) waiting.set(reservation.id, reservation);
  }

  /** hotel → a document to answer its next pull with as it is (an official sample, say). */
  private readonly verbatim = new Map<string, string>();
  /** Reservation ids offered in such documents, until the hotel reports on them. */
  private readonly offeredVerbatim = new Set<string>();

  /** The hotel's next pull is answered with this OTA_ResRetrieveRS, word for word. */
  answerNextPullWith(hotelCode: string, xml: string): void {
    this.verbatim.set(hotelCode, xml);
  }

  /** The answer to OTA_Read: every reservation of the hotel not acknowledged yet. */
  private answerPull(request: string): string {
    try {
      const { hotelCode } = decodeReadRequest(parseOta(request));
      const verbatim = this.verbatim.get(hotelCode);
      if (verbatim !== undefined) {
        this.verbatim.delete(hotelCode);
        const doc = parseOta(verbatim);
        if (readOutcome(doc).success) for (const r of decodeReservations(doc)) this.offeredVerbatim.add(r.id);
        return verbatim;
      }
      const reservations = [...(this.pending.get(hotelCode)?.values() ?? [])];
      return buildResRetrieve({ hotelCode, reservations });
    } catch (error) {
      if (!(error instanceof OtaMessageError)) throw error;
      this.refused += 1;
      return buildOutcome('OTA_ResRetrieveRS', {
        errors: error.problems.map((text) => ({ type: '13', code: '450', text })),
      });
    }
  }

  /** OTA_NotifReport: reservations acknowledged or refused are no longer offered. */
  private takeReport(request: string): string {
    try {
      const report = decodeNotifReport(parseOta(request));
      const offered = (id: string) =>
        [...this.pending.values()].some((waiting) => waiting.delete(id)) || this.offeredVerbatim.delete(id);
      for (const id of report.acknowledged) if (offered(id)) this.acknowledged.push(id);
      for (const { id, text } of report.refused)
        if (offered(id)) this.refusedByHotel.push({ id, reason: text });
      return buildOutcome('OTA_NotifReportRS', {});
    } catch (error) {
      if (!(error instanceof OtaMessageError)) throw error;
      this.refused += 1;
      return buildOutcome('OTA_NotifReportRS', {
        errors: error.problems.map((text) => ({ type: '13', code: '450', text })),
      });
    }
  }

  /** Everything an OTA shows for a room code per date: free rooms, restrictions, rates. */
  ari(hotel: string, code: string, from: string, to: string) {
    const dates: Record<
      string,
      { free: number | null; restrictions: NightRestrictions | null; rates: Record<string, string> }
    > = {};
    for (let date = from; date <= to; date = addDays(date, 1))
      dates[date] = {
        free: this.freeRooms.get(hotel)?.get(code)?.get(date) ?? null,
        restrictions: this.restrictions.get(hotel)?.get(code)?.get(date) ?? null,
        rates: this.rates.get(hotel)?.get(code)?.get(date) ?? {},
      };
    return dates;
  }

  /** Sets a value for each date of a range in a hotel → code → date map. */
  private each<V>(
    store: Map<string, Map<string, Map<string, V>>>,
    hotel: string,
    code: string,
    start: string,
    end: string,
    value: (previous: V | undefined) => V,
  ): void {
    const codes = store.get(hotel) ?? new Map<string, Map<string, V>>();
    store.set(hotel, codes);
    const dates = codes.get(code) ?? new Map<string, V>();
    codes.set(code, dates);
    for (let date = start; date <= end; date = addDays(date, 1)) dates.set(date, value(dates.get(date)));
  }

  router(): Router {
    const router = Router();
    router.post('/', express.raw({ type: () => true, limit: '10mb' }), (req, res) => {
      void this.handle(req, res);
    });
    return router;
  }

  private async handle(req: Request, res: Response): Promise<void> {
    this.bytesReceived += Buffer.isBuffer(req.body) ? req.body.length : 0;
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
    const read = await readAlpineBitsRequest(
      req.headers,
      req.body as Buffer,
      basicAuthorization('crossdock', this.secrets('otaPassword') ?? ''),
    );
    if (!this.secrets('otaPassword') || 'error' in read)
      return void res
        .status('error' in read ? read.status : 401)
        .type('text/plain')
        .send(`ERROR:${'error' in read ? read.error : 'invalid username or password'}`);
    const { action, request } = read;
    // As a real OTA does: a message that breaks the AlpineBits schemas is refused with their complaint.
    const answerType = SCHEMA_ANSWERS[action];
    if (answerType && (action !== HANDSHAKE_ACTION || this.declared)) {
      const problems = await alpineBitsSchemas().problems(request, schemaVersionFor(read.version));
      if (problems.length > 0) {
        this.requests += 1;
        this.refused += 1;
        this.schemaComplaints.push(...problems.map((problem) => `${action}: ${problem}`));
        return void res
          .type('application/xml')
          .send(
            buildOutcome(
              answerType,
              { errors: problems.map((text) => ({ type: '13', code: '450', text: `schema: ${text}` })) },
              {},
              answerType === 'OTA_PingRS' ? '8.000' : undefined,
            ),
          );
      }
    }
    if (action === HANDSHAKE_ACTION && this.declared) {
      this.requests += 1;
      res.type('application/xml');
      try {
        const { declared, echo } = readPingRequest(parseOta(request));
        this.handshakes.push(declared);
        return void res.send(buildPingResponse(intersectHandshakes(this.declared, declared), echo));
      } catch (error) {
        if (!(error instanceof OtaMessageError)) throw error;
        return void res.send(
          buildOutcome(
            'OTA_PingRS',
            { errors: error.problems.map((text) => ({ type: '13', text })) },
            {},
            '8.000',
          ),
        );
      }
    }
    if (action === 'OTA_Read:GuestRequests' || action === 'OTA_NotifReport:GuestRequests') {
      this.requests += 1;
      res.type('application/xml');
      return void res.send(
        action === 'OTA_Read:GuestRequests' ? this.answerPull(request) : this.takeReport(request),
      );
    }
    const responses = {
      'OTA_HotelInvCountNotif:FreeRooms': 'OTA_HotelInvCountNotifRS',
      'OTA_HotelAvailNotif:Restrictions': 'OTA_HotelAvailNotifRS',
      'OTA_HotelRateAmountNotif:Rates': 'OTA_HotelRateAmountNotifRS',
    } as const;
    const responseType = responses[String(action) as keyof typeof responses];
    if (!responseType)
      return void res
        .status(400)
        .type('text/plain')
        .send(`ERROR:unknown or missing action ${String(action)}`);
    if (typeof request !== 'string')
      return void res.status(400).type('text/plain').send('ERROR:the request parameter is missing');
    this.requests += 1;
    res.type('application/xml');
    try {
      const doc = parseOta(request);
      let hotel: string;
      let codes: Array<string | undefined>;
      let apply: () => void;
      if (responseType === 'OTA_HotelInvCountNotifRS') {
        const message = decodeFreeRooms(doc, this.capabilities);
        hotel = message.hotelCode ?? message.hotelName ?? '';
        codes = message.items.map((i) => i.invTypeCode);
        apply = () => {
          if (message.completeSet || !this.freeRooms.has(hotel)) this.freeRooms.set(hotel, new Map());
          for (const item of message.items)
            if (item.invTypeCode)
              this.each(
                this.freeRooms,
                hotel,
                item.invTypeCode,
                item.start,
                item.end,
                () => item.bookable ?? 0,
              );
        };
      } else if (responseType === 'OTA_HotelAvailNotifRS') {
        const ranges = decodeRestrictionsNotif(doc);
        hotel = attr(child(doc.root, 'AvailStatusMessages'), 'HotelCode') ?? '';
        codes = ranges.map((r) => r.invTypeCode);
        apply = () => {
          for (const { start, end, invTypeCode, ...restrictions } of ranges)
            this.each(this.restrictions, hotel, invTypeCode, start, end, () => restrictions);
        };
      } else {
        const ranges = decodeRateAmountNotif(doc);
        hotel = attr(child(doc.root, 'RateAmountMessages'), 'HotelCode') ?? '';
        codes = ranges.map((r) => r.invTypeCode);
        apply = () => {
          for (const range of ranges)
            this.each(this.rates, hotel, range.invTypeCode, range.start, range.end, (previous) => ({
              ...previous,
              [range.ratePlanCode]: range.amount,
            }));
        };
      }
      const known = this.knownCodes.get(hotel);
      const unknown = [
        ...new Set(codes.filter((code): code is string => !!code && !!known && !known.has(code))),
      ];
      if (unknown.length > 0) {
        this.refused += 1;
        return void res.send(
          buildOutcome(responseType, {
            errors: unknown.map((code) => ({
              type: '13',
              code: '402',
              text: `unknown InvTypeCode "${code}"`,
            })),
          }),
        );
      }
      apply();
      res.send(
        buildOutcome(responseType, this.warning ? { warnings: [{ type: '11', text: this.warning }] } : {}),
      );
    } catch (error) {
      if (!(error instanceof OtaMessageError)) throw error;
      this.refused += 1;
      res.send(
        buildOutcome(responseType, {
          errors: error.problems.map((text) => ({ type: '13', code: '450', text })),
        }),
      );
    }
  }
}
