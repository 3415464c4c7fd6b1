import { ApplicationFailure } from '@temporalio/common';
import type { Sequelize } from 'sequelize';
import {
  FREE_ROOMS,
  FREE_ROOMS_DELTAS,
  RATES_EXTENSION,
  RESTRICTIONS_EXTENSION,
} from '../../connectors/ota/alpinebits/handshake';
import type { OtaOutcome } from '../../connectors/ota/alpinebits/responses';
import type { AlpineBitsChannel } from '../../connectors/ota/alpinebits-channel';
import type { ConnectorRegistry } from '../../connectors/registry';
import {
  allNights,
  dirtyNights,
  openMappingIssues,
  clearMarks,
  raiseMappingIssue,
  recordAcknowledged,
  resolveMappingIssues,
} from '../../db/channels';
import { resolveListings } from '../../db/stock-channels';
import { propertyOf } from '../../db/stays/properties';
import { ratesFor, sameRates, sameRestrictions, type NightRestrictions } from '../../domain/channels/ari';
import { inMessages, toRanges } from '../../domain/channels/ranges';
import { intervalFor } from '../../domain/channels/pacing';
import { addDays, localDate } from '../../domain/stays/dates';

/** Nights read per push: one OpenTravel message stays well under any OTA's size limit. */
export const NIGHTS_PER_PUSH = 2_000;
/** Ranges of restrictions or rates in one message of a complete set: about 3 MB of rates. */
export const RANGES_PER_MESSAGE = 5_000;

/** What a channel's sync asks one push for. */
export interface ChannelPushRequest {
  tenantId: string;
  connectorId: string;
  /** Everything the channel sells, not only what is marked dirty. */
  complete: boolean;
  /**
   * Let a burst of changes settle this long before reading them. The sync waits here, in the
   * activity, because a server timer this short fires up to a second late.
   */
  settleMs?: number;
}

/** A push's settle: marks written meanwhile are read with the rest. */
export async function settled(request: ChannelPushRequest): Promise<void> {
  if (request.settleMs) await new Promise((resolve) => setTimeout(resolve, request.settleMs));
}

export interface ChannelPush {
  /** Requests sent to the channel (free rooms, restrictions, rates: each only when something changed). */
  requests: number;
  /** Ranges sent, over all messages (a store: levels set). */
  ranges: number;
  /** Nights with something changed for the channel (a store: SKU-locations). */
  nights: number;
  /** More dirty nights are waiting than one push carries, or a refused mapping left some. */
  remaining: boolean;
  /** The channel's own pace: one request comes back to the sync's bucket this often. */
  spacingMs: number;
  /** Requests the channel takes at once (the bucket's size); absent is 1, evenly spaced. */
  burst?: number;
  /** Warnings the channel answered with (Success with Warnings, advisories among them), for ops. */
  warnings?: string[];
  /** Mappings of the connection set aside for ops after this push (room types, SKUs); absent in older results. */
  setAside?: number;
}

/** Room types whose code the channel refused (OpenTravel error 402, the code quoted). */
function refusedRoomTypes(channel: AlpineBitsChannel, outcome: OtaOutcome): string[] {
  const codes = outcome.errors
    .filter((e) => e.code === '402')
    .map((e) => /"([^"]+)"/.exec(e.text)?.[1])
    .filter((code): code is string => !!code);
  return Object.entries(channel.options.roomTypes)
    .filter(([, code]) => codes.includes(code))
    .map(([roomTypeId]) => roomTypeId);
}

/**
 * One push to an OTA: the connection's dirty nights (or, for a complete set, every night in its
 * horizon) are read with their free rooms, restrictions and rates, compared part by part with
 * what the channel acknowledged, merged into ranges, and sent as at most three messages (FreeRooms,
 * restrictions, rates), each only if something in it changed. What the channel took is recorded
 * part by part; the marks read are cleared once every part went through. A room code the channel
 * refuses sets that room type aside for ops and the rest goes on; HTTP failures are retried with
 * the marks untouched.
 */
/**
 * Ops fixed a connection's mappings: its room types (an OTA) or SKUs (a store) set aside go out
 * again with the next complete set. How many were set aside; 0 when none was.
 */
export function createChannelMappingActivities(deps: { sequelize: Sequelize }) {
  return {
    async resolveChannelMappings(ref: {
      tenantId: string;
      connectorId: string;
      kind?: 'ota' | 'stock';
    }): Promise<number> {
      const connection = { tenantId: ref.tenantId, connectorId: ref.connectorId };
      return ref.kind === 'stock'
        ? resolveListings(deps.sequelize, connection)
        : resolveMappingIssues(deps.sequelize, connection);
    },
  };
}

export function createChannelSyncActivities(deps: { sequelize: Sequelize; connectors: ConnectorRegistry }) {
  return {
    async pushAri(request: ChannelPushRequest): Promise<ChannelPush> {
      const channel = deps.connectors.ota(request.connectorId);
      await settled(request);
      const { propertyId, roomTypes, ratePlans, horizonDays, requestsPerMinute, burst } = channel.options;
      const spacingMs = intervalFor(requestsPerMinute, burst);
      const property = await propertyOf(deps.sequelize, request.tenantId, propertyId);
      if (!property)
        throw ApplicationFailure.nonRetryable(`property ${propertyId} does not exist`, 'UnknownProperty');
      const ref = { tenantId: request.tenantId, connectorId: request.connectorId };
      const from = localDate(new Date().toISOString(), property.timeZone);
      const to = addDays(from, horizonDays - 1);
      const readAt = new Date().toISOString();
      const setAside = new Set((await openMappingIssues(deps.sequelize, ref)).map((i) => i.roomTypeId));
      const nights = request.complete
        ? await allNights(deps.sequelize, { ...ref, propertyId, from, to })
        : await dirtyNights(deps.sequelize, { ...ref, from, to, limit: NIGHTS_PER_PUSH });
      const sellable = nights.filter(
        (n) => roomTypes[n.roomTypeId] !== undefined && !setAside.has(n.roomTypeId),
      );
      const all = request.complete;
      const counts = sellable.filter((n) => all || n.bookable !== n.acked.bookable);
      const restrictions = sellable.filter(
        (n) => all || !sameRestrictions(n.restrictions, n.acked.restrictions),
      );
      const rates = sellable.filter(
        (n) =>
          all ||
          !sameRates(ratesFor(n.rates, ratePlans), n.acked.rates && ratesFor(n.acked.rates, ratePlans)),
      );
      const code = (n: { key: string }) => roomTypes[n.key]!;
      const result: ChannelPush = {
        requests: 0,
        ranges: 0,
        nights: new Set([...counts, ...restrictions, ...rates]).size,
        remaining: !request.complete && nights.length >= NIGHTS_PER_PUSH,
        spacingMs,
        burst,
      };
      const night = (n: { roomTypeId: string; date: string }) => ({ roomTypeId: n.roomTypeId, date: n.date });
      /**
       * Sends one message and records what the channel took; false when it refused a room
       * mapping (that room type is set aside, and the rest waits for the next push).
       */
      const send = async (
        outcome: Promise<OtaOutcome>,
        ranges: number,
        taken: Parameters<typeof recordAcknowledged>[2],
      ): Promise<boolean> => {
        const answer = await outcome;
        result.requests += 1;
        result.ranges += ranges;
        if (answer.warnings.length > 0)
          result.warnings = [...(result.warnings ?? []), ...answer.warnings.map((w) => w.text)];
        if (answer.success) {
          await recordAcknowledged(deps.sequelize, ref, taken);
          return true;
        }
        const refused = refusedRoomTypes(channel, answer);
        if (refused.length === 0)
          throw ApplicationFailure.nonRetryable(
            `${request.connectorId} refused the message: ${answer.errors.map((e) => e.text).join('; ')}`,
            'ChannelRefused',
          );
        for (const roomTypeId of refused) {
          await raiseMappingIssue(deps.sequelize, {
            ...ref,
            roomTypeId,
            reason: `the channel does not know room code "${roomTypes[roomTypeId]}"`,
          });
          setAside.add(roomTypeId);
        }
        result.remaining = true;
        return false;
      };
      /**
       * Sends ranges of restrictions or rates. A complete set's go in messages of bounded size (a
       * year of 50 room types priced night by night is some 10 MB as one), the channel's pace
       * apart (the sync's bucket counts them after), each acknowledging the nights of its room
       * types; a delta is one message, as its nights are bounded already. FreeRooms never comes
       * here: AlpineBits' CompleteSet replaces all, so it stays one message. False as soon as one
       * is refused, as `send`.
       */
      const sendInMessages = async <R, N extends { roomTypeId: string }>(
        ranges: R[],
        roomTypeOf: (range: R) => string,
        message: (ranges: R[]) => Promise<OtaOutcome>,
        nights: N[],
        taken: (night: N) => Parameters<typeof recordAcknowledged>[2][number],
      ): Promise<boolean> => {
        const parts = request.complete ? inMessages(ranges, roomTypeOf, RANGES_PER_MESSAGE) : [ranges];
        for (const [i, part] of parts.entries()) {
          if (i > 0) await new Promise((resolve) => setTimeout(resolve, spacingMs));
          const types = new Set(part.map(roomTypeOf));
          const acknowledged = nights.filter((n) => types.has(n.roomTypeId)).map(taken);
          if (!(await send(message(part), part.length, acknowledged))) return false;
        }
        return true;
      };

      // Every request counts against the channel's limit, a handshake (made again after an outage) too.
      const madeBefore = channel.requestsMade;
      try {
        // Only what the OTA declared in the handshake: FreeRooms at all, deltas or complete sets only.
        const freeRooms = await channel.supports(FREE_ROOMS);
        const deltas = freeRooms && (await channel.supports(FREE_ROOMS, FREE_ROOMS_DELTAS));
        if (freeRooms && (counts.length > 0 || request.complete)) {
          const completeSet = request.complete || !deltas;
          const sent =
            completeSet && !request.complete
              ? (await allNights(deps.sequelize, { ...ref, propertyId, from, to })).filter(
                  (n) => roomTypes[n.roomTypeId] !== undefined && !setAside.has(n.roomTypeId),
                )
              : counts;
          const ranges = toRanges(sent.map((n) => ({ key: n.roomTypeId, date: n.date, value: n.bookable })));
          const items = ranges.map((r) => ({
            start: r.start,
            end: r.end,
            invTypeCode: code(r),
            bookable: r.value,
          }));
          const taken = sent.map((n) => ({ ...night(n), bookable: n.bookable }));
          if (!(await send(channel.sendFreeRooms({ completeSet, items }), ranges.length, taken)))
            return result;
        }
        if (restrictions.length > 0 && (await channel.supports(RESTRICTIONS_EXTENSION))) {
          const ranges = toRanges<string, NightRestrictions>(
            restrictions.map((n) => ({ key: n.roomTypeId, date: n.date, value: n.restrictions })),
            sameRestrictions,
          );
          const items = (part: typeof ranges) =>
            part.map((r) => ({ start: r.start, end: r.end, invTypeCode: code(r), ...r.value }));
          const sent = await sendInMessages(
            ranges,
            (r) => r.key,
            (part) => channel.sendRestrictions(items(part)),
            restrictions,
            (n) => ({ ...night(n), restrictions: n.restrictions }),
          );
          if (!sent) return result;
        }
        const rateRanges = toRanges(
          rates.flatMap((n) =>
            Object.entries(ratesFor(n.rates, ratePlans)).map(([plan, amount]) => ({
              key: `${n.roomTypeId} ${plan}`,
              date: n.date,
              value: amount,
            })),
          ),
        );
        if (rateRanges.length > 0 && (await channel.supports(RATES_EXTENSION))) {
          const items = (part: typeof rateRanges) =>
            part.map((r) => {
              const [roomTypeId, plan] = r.key.split(' ') as [string, string];
              return {
                start: r.start,
                end: r.end,
                invTypeCode: roomTypes[roomTypeId]!,
                ratePlanCode: ratePlans[plan]!,
                amount: r.value,
                currency: property.currency,
              };
            });
          const sent = await sendInMessages(
            rateRanges,
            (r) => r.key.split(' ')[0]!,
            (part) => channel.sendRates(items(part)),
            rates,
            (n) => ({ ...night(n), rates: n.rates }),
          );
          if (!sent) return result;
        } else if (rateRanges.length === 0) {
          // No rate plan of these nights is sold on the channel: nothing to send, but nothing owed either.
          await recordAcknowledged(
            deps.sequelize,
            ref,
            rates.map((n) => ({ ...night(n), rates: n.rates })),
          );
        }
        // Every part went through: the marks read are done with (unless marked again since).
        await clearMarks(
          deps.sequelize,
          ref,
          request.complete
            ? { before: readAt }
            : { marks: nights.map((n) => ({ ...night(n), markedAt: n.markedAt! })) },
        );
        return result;
      } finally {
        result.requests = Math.max(result.requests, channel.requestsMade - madeBefore);
        // Those set aside before this push and those it set aside: what ops must look at now.
        result.setAside = setAside.size;
      }
    },
  };
}
