import { ApplicationFailure } from '@temporalio/common';
import type { Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../../connectors/registry';
import {
  allNights,
  dirtyNights,
  openMappingIssues,
  raiseMappingIssue,
  recordAcknowledged,
  type ChannelNight,
} from '../../db/channels';
import { propertyOf } from '../../db/stays';
import { toRanges } from '../../domain/channels/ranges';
import { addDays, localDate } from '../../domain/stays/dates';

/** Nights read per push: one OpenTravel message stays well under any OTA's size limit. */
export const NIGHTS_PER_PUSH = 2_000;

export interface ChannelPush {
  /** A request went to the channel. */
  sent: boolean;
  /** Ranges in it. */
  ranges: number;
  /** Nights whose value changed for the channel. */
  nights: number;
  /** More dirty nights are waiting than one push carries. */
  remaining: boolean;
  /** Room types set aside because the channel refused their mapping. */
  setAside: string[];
  /** The channel's own pace: the sync leaves this long between requests. */
  spacingMs: number;
}

/**
 * One push to an OTA: the connection's dirty nights (or, for a complete set, every night in its
 * horizon) are read with their current free rooms, compared with what the channel acknowledged,
 * merged into ranges and sent in one FreeRooms message. On Success the values are recorded and the
 * marks read are cleared; on a refused room mapping that room type is set aside for ops and the
 * rest goes out on the next push; HTTP failures are retried with the marks untouched.
 */
export function createChannelSyncActivities(deps: { sequelize: Sequelize; connectors: ConnectorRegistry }) {
  return {
    async pushFreeRooms(request: {
      tenantId: string;
      connectorId: string;
      complete: boolean;
    }): Promise<ChannelPush> {
      const channel = deps.connectors.ota(request.connectorId);
      const { propertyId, roomTypes, horizonDays, requestsPerMinute } = channel.options;
      const spacingMs = Math.ceil(60_000 / requestsPerMinute);
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
      const sellable = (n: ChannelNight) =>
        roomTypes[n.roomTypeId] !== undefined && !setAside.has(n.roomTypeId);
      const changed = nights.filter((n) => sellable(n) && (request.complete || n.bookable !== n.acked));
      const read = request.complete
        ? { before: readAt }
        : { marks: nights.map((n) => ({ roomTypeId: n.roomTypeId, date: n.date, markedAt: n.markedAt! })) };
      const remaining = !request.complete && nights.length >= NIGHTS_PER_PUSH;
      const result = { ranges: 0, nights: changed.length, remaining, setAside: [] as string[], spacingMs };
      if (changed.length === 0 && !request.complete) {
        await recordAcknowledged(deps.sequelize, ref, [], read);
        return { ...result, sent: false };
      }
      const ranges = toRanges(changed.map((n) => ({ key: n.roomTypeId, date: n.date, value: n.bookable })));
      const outcome = await channel.sendFreeRooms({
        completeSet: request.complete,
        items: ranges.map((r) => ({
          start: r.start,
          end: r.end,
          invTypeCode: roomTypes[r.key]!,
          bookable: r.value,
        })),
      });
      if (!outcome.success) {
        // A room code the channel does not know: that room type is set aside, the others go on.
        const refusedCodes = outcome.errors
          .filter((e) => e.code === '402')
          .map((e) => /"([^"]+)"/.exec(e.text)?.[1])
          .filter((code): code is string => !!code);
        const refusedTypes = Object.entries(roomTypes)
          .filter(([, code]) => refusedCodes.includes(code))
          .map(([roomTypeId]) => roomTypeId);
        if (refusedTypes.length === 0)
          throw ApplicationFailure.nonRetryable(
            `${request.connectorId} refused the FreeRooms message: ${outcome.errors.map((e) => e.text).join('; ')}`,
            'ChannelRefused',
          );
        for (const roomTypeId of refusedTypes)
          await raiseMappingIssue(deps.sequelize, {
            ...ref,
            roomTypeId,
            reason: `the channel does not know room code "${roomTypes[roomTypeId]}"`,
          });
        // Everything still waits: the next push carries the other room types.
        return { ...result, sent: true, ranges: ranges.length, remaining: true, setAside: refusedTypes };
      }
      await recordAcknowledged(
        deps.sequelize,
        ref,
        changed.map((n) => ({ roomTypeId: n.roomTypeId, date: n.date, bookable: n.bookable })),
        read,
      );
      return { ...result, sent: true, ranges: ranges.length };
    },
  };
}
