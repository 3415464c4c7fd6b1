import { z } from 'zod';
import type { ConnectorConfig } from '../../platform/config/schema';
import { ApplicationFailure } from '@temporalio/common';
import type { PartnerHttpClient } from '../http/client';
import { connectorHttpClient } from '../http/connector-client';
import { PARTNER_TIMEOUT, PARTNER_UNAVAILABLE, partnerStatus } from '../http/errors';
import {
  agreed,
  buildPingRequest,
  HANDSHAKE_ACTION,
  HUB_AS_CLIENT,
  intersectHandshakes,
  readPingResponse,
  type Handshake,
} from './alpinebits/handshake';
import { connectorOptions, credential, optionalCredential } from '../options';
import {
  buildRateAmountNotif,
  buildRestrictionsNotif,
  type RateRange,
  type RestrictionRange,
} from './alpinebits/ari';
import { buildInvCountNotif } from './alpinebits/free-rooms';
import { readOutcome, type OtaOutcome } from './alpinebits/responses';
import {
  buildNotifReport,
  buildReadRequest,
  decodeReservations,
  type OtaReservation,
  type ReservationResult,
} from './alpinebits/reservations';
import { parseOta, type OtaDocument } from './alpinebits/xml';
import { alpineBitsSchemas, SCHEMA_CHECKED_ACTIONS, schemaVersionFor } from './alpinebits/schema';
import type { AlpineBitsSchemaVersion } from '../../platform/infra/alpinebits-schemas';

/** The failure type of a message that does not follow the AlpineBits schemas. */
export const ALPINEBITS_SCHEMA_VIOLATION = 'AlpineBitsSchemaViolation';

export const alpineBitsOptionsSchema = z
  .object({
    /** The hub's property this channel sells, and the OTA's code for it. */
    propertyId: z.string().min(1),
    hotelCode: z.string().min(1),
    /** The hub's room type id → the OTA's room category code (InvTypeCode: AlpineBits allows 1 to 8 characters). */
    roomTypes: z.record(
      z.string(),
      z.string().min(1).max(8, 'an AlpineBits InvTypeCode has at most 8 characters'),
    ),
    username: z.string().min(1).default('crossdock'),
    /** The OTA's limit; the channel's sync never sends faster. */
    requestsPerMinute: z.number().positive().max(6_000).default(10),
    /**
     * Requests the OTA's terms allow at once within that limit (1: evenly spaced). A change after
     * a quiet spell goes out without waiting for a slot; the per-minute limit still holds.
     */
    burst: z.number().int().min(1).max(100).default(1),
    /** How far ahead a complete set reaches. */
    horizonDays: z.number().int().min(1).max(730).default(365),
    protocolVersion: z.string().default('2020-10'),
    /** The hub's rate plan id → the OTA's RatePlanCode, for the reservations it pushes. */
    ratePlans: z.record(z.string(), z.string().min(1)).default({}),
    /** A pushed booking that no longer fits: kept as `overbooked` for ops, or refused back to the OTA. */
    overbooking: z.enum(['accept', 'refuse']).default('accept'),
    /** The user the OTA pushes reservations as (with credentials.inboundPassword). */
    inboundUsername: z.string().min(1).default('ota'),
    /** A channel that does not push: its reservations are pulled (OTA_Read) this often. */
    pullEverySeconds: z.number().int().min(10).max(86_400).optional(),
  })
  .strict();
export type AlpineBitsOptions = z.infer<typeof alpineBitsOptionsSchema>;

export interface FreeRoomsRange {
  start: string;
  /** Inclusive. */
  end: string;
  invTypeCode: string;
  bookable: number;
}

/**
 * An OTA reached over AlpineBits: multipart/form-data POSTs of `action` and `request` with Basic
 * auth and the protocol version header; the answer is an OpenTravel response read for Success,
 * Warnings or Errors. HTTP failures (5xx, 429 with Retry-After, timeouts) are classified for retry.
 */
export class AlpineBitsChannel {
  readonly connectorId: string;
  readonly tenantId: string;
  readonly options: AlpineBitsOptions;
  private readonly client: PartnerHttpClient;

  /** Set when the OTA may push reservations to the hub. */
  readonly inbound?: { username: string; password: string };

  constructor(config: ConnectorConfig) {
    this.connectorId = config.id;
    this.tenantId = config.tenant;
    this.options = connectorOptions(config, alpineBitsOptionsSchema);
    this.client = connectorHttpClient(config, 'OTA', {
      headers: {
        'X-AlpineBits-ClientProtocolVersion': this.options.protocolVersion,
        'X-AlpineBits-ClientID': 'crossdock',
      },
      auth: { username: this.options.username, password: credential(config, 'password') },
    });
    const inboundPassword = optionalCredential(config, 'inboundPassword');
    if (inboundPassword) this.inbound = { username: this.options.inboundUsername, password: inboundPassword };
  }

  /** Our room type for the OTA's room code, and our rate plan for its rate plan code. */
  roomTypeFor(code: string | undefined): string | undefined {
    return Object.entries(this.options.roomTypes).find(([, c]) => c === code)?.[0];
  }

  ratePlanFor(code: string | undefined): string | undefined {
    return Object.entries(this.options.ratePlans).find(([, c]) => c === code)?.[0];
  }

  /** Requests sent to the OTA so far, each counting against its limit whatever it was for. */
  requestsMade = 0;

  /**
   * One request and its answer. Both are checked against the AlpineBits schemas of the
   * connection's version when the action is one AlpineBits defines: a request of the hub's that
   * fails is a defect of the hub, an answer that fails cannot be trusted; neither is retried.
   */
  private async exchange(action: string, request: string): Promise<OtaDocument> {
    const checked = SCHEMA_CHECKED_ACTIONS.has(action);
    const version = schemaVersionFor(this.options.protocolVersion);
    if (checked) await this.conforms(request, version, `the hub's ${action} request`);
    const form = new FormData();
    form.set('action', action);
    form.set('request', request);
    try {
      this.requestsMade += 1;
      const xml = await this.client.post<string>('', form, { responseType: 'text' });
      if (checked) await this.conforms(xml, version, `OTA ${this.connectorId}'s answer to ${action}`);
      return parseOta(xml);
    } catch (error) {
      // The connection is lost: the handshake is made again once it is back.
      if (
        error instanceof ApplicationFailure &&
        [PARTNER_UNAVAILABLE, PARTNER_TIMEOUT].includes(error.type ?? '')
      )
        this.handshaken = undefined;
      throw error;
    }
  }

  private async conforms(xml: string, version: AlpineBitsSchemaVersion, what: string): Promise<void> {
    const problems = await alpineBitsSchemas().problems(xml, version);
    if (problems.length > 0)
      throw ApplicationFailure.nonRetryable(
        `${what} does not follow the AlpineBits ${version} schema: ${problems.join('; ')}`,
        ALPINEBITS_SCHEMA_VIOLATION,
      );
  }

  private handshaken?: Promise<Handshake>;

  /**
   * What this OTA and the hub both support, from the AlpineBits handshake: made once, and again
   * after the connection was lost. An OTA older than 2018-10 (it does not know the action) is
   * taken at what the hub would send.
   */
  handshake(): Promise<Handshake> {
    this.handshaken ??= this.exchange(HANDSHAKE_ACTION, buildPingRequest(HUB_AS_CLIENT))
      .then((answer) => intersectHandshakes(HUB_AS_CLIENT, readPingResponse(answer)))
      .catch((error: unknown) => {
        this.handshaken = undefined;
        if (
          partnerStatus(error) === 400 &&
          /unknown or missing action/.test(String((error as Error).message))
        )
          return HUB_AS_CLIENT;
        throw error;
      });
    return this.handshaken;
  }

  /** Whether the handshake lets the hub use an action (and a capability of it) with this OTA. */
  async supports(action: string, capability?: string): Promise<boolean> {
    return agreed(await this.handshake(), this.options.protocolVersion, action, capability);
  }

  private async send(action: string, request: string): Promise<OtaOutcome> {
    return readOutcome(await this.exchange(action, request));
  }

  /** The hotel's reservations the OTA has not had acknowledged (AlpineBits GuestRequests pull). */
  async readReservations(): Promise<{ outcome: OtaOutcome; reservations: OtaReservation[] }> {
    const doc = await this.exchange('OTA_Read:GuestRequests', buildReadRequest(this.options.hotelCode));
    const outcome = readOutcome(doc);
    return { outcome, reservations: outcome.success ? decodeReservations(doc) : [] };
  }

  /** Tells the OTA which pulled reservations the hub took over and which it refused. */
  acknowledge(results: ReservationResult[]): Promise<OtaOutcome> {
    return this.send('OTA_NotifReport:GuestRequests', buildNotifReport(results));
  }

  /** Restrictions per room category and range (stop-sell, closed to arrival/departure, stay lengths). */
  sendRestrictions(items: RestrictionRange[]): Promise<OtaOutcome> {
    return this.send(
      'OTA_HotelAvailNotif:Restrictions',
      buildRestrictionsNotif({ hotelCode: this.options.hotelCode, items }),
    );
  }

  /** Amounts per room category, rate plan and range. */
  sendRates(items: RateRange[]): Promise<OtaOutcome> {
    return this.send(
      'OTA_HotelRateAmountNotif:Rates',
      buildRateAmountNotif({ hotelCode: this.options.hotelCode, items }),
    );
  }

  /** FreeRooms for the hotel: a delta of the ranges given, or a complete set replacing all. */
  sendFreeRooms(message: { completeSet: boolean; items: FreeRoomsRange[] }): Promise<OtaOutcome> {
    return this.send(
      'OTA_HotelInvCountNotif:FreeRooms',
      buildInvCountNotif({ hotelCode: this.options.hotelCode, ...message }),
    );
  }
}
