import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { AlpineBitsChannel } from '../connectors/ota/alpinebits-channel';
import {
  buildResNotifResponse,
  decodeReservations,
  type OtaReservation,
  type OtaRoomStay,
  type ReservationResult,
} from '../connectors/ota/alpinebits/reservations';
import { buildOutcome } from '../connectors/ota/alpinebits/responses';
import { alpineBitsSchemas } from '../connectors/ota/alpinebits/schema';
import type { AlpineBitsSchemaVersion } from '../platform/infra/alpinebits-schemas';
import { OtaMessageError, parseOta } from '../connectors/ota/alpinebits/xml';
import { EXTERNAL_ID_PATTERN } from '../domain/orders/order';
import { publicReservationId } from '../domain/stays/reservation';
import { changedStay, stayDifferences } from '../domain/stays/modification';
import {
  cancelReservationUpdate,
  confirmReservationUpdate,
  getReservationQuery,
  modifyReservationUpdate,
} from '../workflows/stays/contract';
import type { TenantConfig } from '../platform/config/schema';
import { refusalMessage } from './orders';
import type { ReservationIntake } from './reservations';
import { processView } from './process-view';

/** An OTA expects its answer within a second (parsing, answering and a busy machine take the rest); a booking still being placed is answered as taken. */
const ANSWER_WITHIN_MS = 600;

/**
 * Reservations an OTA pushes (AlpineBits `OTA_HotelResNotif:GuestRequests`) or the hub pulls
 * (`OTA_Read:GuestRequests`), in message order:
 * a booking starts its reservation through the same intake as every channel (the OTA's id makes a
 * redelivery the same reservation), a modification is the reservation's `modifyReservation`
 * Update with the channel's modification time (an older one is not applied over a newer), a
 * cancellation its `cancelReservation`. Each reservation not taken is named in a warning; a
 * message that breaks the rules is answered with Errors.
 */
export class OtaReservationIntake {
  constructor(private readonly reservations: ReservationIntake) {}

  async receive(
    tenant: TenantConfig,
    channel: AlpineBitsChannel,
    xml: string,
    schemaVersion: AlpineBitsSchemaVersion,
  ): Promise<string> {
    let pushed: OtaReservation[];
    try {
      await alpineBitsSchemas().check(xml, schemaVersion);
      const doc = parseOta(xml);
      if (doc.type !== 'OTA_HotelResNotifRQ')
        throw new OtaMessageError([`expected OTA_HotelResNotifRQ, got ${doc.type}`]);
      pushed = decodeReservations(doc);
    } catch (error) {
      if (!(error instanceof OtaMessageError)) throw error;
      return buildOutcome('OTA_HotelResNotifRS', {
        errors: error.problems.map((text) => ({ type: '3', code: '450', text })),
      });
    }
    const results: ReservationResult[] = [];
    for (const reservation of pushed) results.push(await this.take(tenant, channel, reservation));
    return buildResNotifResponse(results);
  }

  /**
   * One reservation a channel delivered (pushed or pulled), taken over or refused with the
   * reason. Each room of it is a reservation of the hub's: the first keeps the channel's id
   * (`<connector>.<id>`), the k-th is `<connector>.<id>.r<k>`; the channel's answer acknowledges
   * it by the channel's own id.
   */
  async take(
    tenant: TenantConfig,
    channel: AlpineBitsChannel,
    r: OtaReservation,
  ): Promise<ReservationResult> {
    const refuse = (refusal: string): ReservationResult => ({ id: r.id, refusal });
    const ids = Array.from({ length: Math.max(r.roomStays.length, 1) }, (_, i) =>
      roomExternalId(channel, r.id, i + 1),
    );
    if (!ids.every((id) => EXTERNAL_ID_PATTERN.test(id)))
      return refuse(`reservation id ${r.id} is too long or has odd characters`);
    if (r.hotelCode && r.hotelCode !== channel.options.hotelCode)
      return refuse(`hotel ${r.hotelCode} is not sold through this connection`);
    if (r.status === 'Requested') return refuse('guest requests (enquiries) are not booked by the hub');
    const room = (k: number) =>
      this.reservations.handle(tenant.id, publicReservationId('ota', roomExternalId(channel, r.id, k)))!;
    const reason = `cancelled through ${channel.connectorId}`;
    if (r.status === 'Cancelled') {
      const refusal = await this.cancelRoom(room(1), reason, r.id);
      if (refusal) return refuse(refusal);
      for (let k = 2; await this.exists(room(k)); k++) {
        const other = await this.cancelRoom(room(k), reason, r.id);
        if (other) return refuse(`room ${k}: ${other}`);
      }
      return { id: r.id, cancellation: true };
    }

    // Every room is mapped before anything moves.
    const bookings: RoomBooking[] = [];
    for (const [i, stay] of r.roomStays.entries()) {
      const roomTypeId = channel.roomTypeFor(stay.roomTypeCode);
      const ratePlanId = channel.ratePlanFor(stay.ratePlanCode);
      const which = r.roomStays.length > 1 ? `room ${i + 1}: ` : '';
      if (!roomTypeId) return refuse(`${which}room code "${stay.roomTypeCode}" is not mapped`);
      if (!ratePlanId) return refuse(`${which}rate plan code "${stay.ratePlanCode ?? ''}" is not mapped`);
      bookings.push({
        stay,
        change: {
          roomTypeId,
          ratePlanId,
          arrival: stay.arrival!,
          departure: stay.departure!,
          guests: { adults: stay.adults, children: stay.childAges.length },
        },
      });
    }
    if (bookings.length === 0) return refuse('a booking needs at least one room');

    if (r.status === 'Modify') {
      // Each room as the channel now has it; a room it added is booked, a room it dropped cancelled.
      const asOf = r.createdAt;
      const refusals: string[] = [];
      for (const [i, booking] of bookings.entries()) {
        const which = bookings.length > 1 ? `room ${i + 1}: ` : '';
        const modified = await this.modifyRoom(room(i + 1), booking.change, asOf);
        if (modified === 'absent') {
          const placed = await this.bookRoom(tenant, channel, r, i + 1, booking, true);
          if (placed) refusals.push(`${which}${placed}`);
        } else if (modified) refusals.push(`${which}${modified}`);
      }
      for (let k = bookings.length + 1; await this.exists(room(k)); k++) {
        const dropped = await this.cancelRoom(room(k), `room dropped through ${channel.connectorId}`, r.id);
        if (dropped) refusals.push(`room ${k}: ${dropped}`);
      }
      return refusals.length > 0 ? refuse(refusals.join('; ')) : { id: r.id };
    }

    if (bookings.length === 1) {
      const refusal = await this.bookRoom(tenant, channel, r, 1, bookings[0]!, true);
      return refusal ? refuse(refusal) : { id: r.id };
    }
    // Several rooms are taken whole or not at all: each is held first (a hold gives its nights back
    // at no charge), and only when every room has its nights are they confirmed.
    const refusals: string[] = [];
    for (const [i, booking] of bookings.entries()) {
      const refusal = await this.bookRoom(tenant, channel, r, i + 1, booking, false);
      if (refusal) refusals.push(`room ${i + 1}: ${refusal}`);
    }
    if (refusals.length > 0) {
      for (const k of bookings.keys())
        await this.cancelRoom(room(k + 1), `${reason}: the reservation could not be taken whole`, r.id);
      return refuse(refusals.join('; '));
    }
    for (const [i, booking] of bookings.entries()) await this.confirmRoom(room(i + 1), channel, booking.stay);
    return { id: r.id };
  }

  private async exists(handle: WorkflowHandle): Promise<boolean> {
    return (await this.reservations.placed(handle).catch(() => undefined)) !== undefined;
  }

  /** Cancels one room's reservation; undefined when it is (or already was) cancelled, else why not. */
  private async cancelRoom(
    handle: WorkflowHandle,
    reason: string,
    otaId: string,
  ): Promise<string | undefined> {
    try {
      await handle.executeUpdate(cancelReservationUpdate, { args: [{ reason }] });
      return undefined;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        const view = await this.reservations.placed(handle).catch(() => undefined);
        if (!view) return `reservation ${otaId} is not known`;
        // Closed already with nothing left to give back, or closed in a way a cancellation cannot undo.
        return ['cancelled', 'overbooked', 'expired', 'rejected'].includes(view.status)
          ? undefined
          : `reservation ${otaId} is ${view.status.replace(/_/g, ' ')}`;
      }
      if (error instanceof WorkflowUpdateFailedError) {
        // Cancelled already (its folio still open): the redelivery changes nothing.
        const view = await processView(handle, getReservationQuery);
        return view.status === 'cancelled' ? undefined : refusalMessage(error);
      }
      throw error;
    }
  }

  /**
   * Moves one room's stay as the channel now has it: undefined when done (or already so, or
   * overtaken by a newer change), 'absent' for a room the hub never received, else why not.
   */
  private async modifyRoom(
    handle: WorkflowHandle,
    change: RoomBooking['change'],
    asOf: string | undefined,
  ): Promise<string | undefined> {
    try {
      await handle.executeUpdate(modifyReservationUpdate, { args: [{ ...change, asOf }] });
      return undefined;
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        // A redelivery, or an older change overtaken by a newer one: the stay is as the channel wants it.
        const view = await processView(handle, getReservationQuery);
        const overtaken = !!asOf && !!view.channelModifiedAt && asOf <= view.channelModifiedAt;
        const applied = stayDifferences(view.stay, changedStay(view.stay, change)).length === 0;
        return overtaken || applied ? undefined : refusalMessage(error);
      }
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      return 'absent';
    }
  }

  /**
   * Books one room through the common intake; undefined when taken (or overbooked by the
   * connection's policy), else why not. With its guarantee it is confirmed at once and answered
   * within the OTA's second (still being placed: it goes on durably); without, it is held.
   */
  private async bookRoom(
    tenant: TenantConfig,
    channel: AlpineBitsChannel,
    r: OtaReservation,
    k: number,
    booking: RoomBooking,
    confirm: boolean,
  ): Promise<string | undefined> {
    const placing = this.reservations.book(
      tenant,
      {
        channel: 'ota',
        externalId: roomExternalId(channel, r.id, k),
        propertyId: channel.options.propertyId,
        ...booking.change,
        guest: {
          name: r.guest.name ?? `Guest of ${channel.connectorId}`,
          ...(r.guest.email ? { email: r.guest.email } : {}),
        },
        ...(confirm ? { guarantee: guaranteeOf(channel, booking.stay) } : {}),
      },
      { acceptOverbooking: channel.options.overbooking === 'accept' },
    );
    const outcome = confirm
      ? await Promise.race([
          placing,
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ANSWER_WITHIN_MS)),
        ])
      : await placing;
    if (!outcome) {
      placing.catch(() => undefined);
      return undefined;
    }
    const { view } = outcome;
    return view.status === 'rejected'
      ? `${view.rejection?.type}: ${view.rejection?.reasons.join('; ')}`
      : undefined;
  }

  /** A held room of a reservation taken whole, confirmed with the guarantee it came with. */
  private async confirmRoom(
    handle: WorkflowHandle,
    channel: AlpineBitsChannel,
    stay: OtaRoomStay,
  ): Promise<void> {
    try {
      await handle.executeUpdate(confirmReservationUpdate, {
        args: [{ guarantee: guaranteeOf(channel, stay) }],
      });
    } catch (error) {
      // Confirmed already (a redelivery), or overbooked by the connection's policy: nothing to confirm.
      if (!(error instanceof WorkflowUpdateFailedError)) throw error;
    }
  }
}

interface RoomBooking {
  stay: OtaRoomStay;
  change: {
    roomTypeId: string;
    ratePlanId: string;
    arrival: string;
    departure: string;
    guests: { adults: number; children: number };
  };
}

function roomExternalId(channel: AlpineBitsChannel, otaId: string, room: number): string {
  return room === 1 ? `${channel.connectorId}.${otaId}` : `${channel.connectorId}.${otaId}.r${room}`;
}

function guaranteeOf(channel: AlpineBitsChannel, stay: OtaRoomStay) {
  return stay.guaranteed
    ? { kind: 'card' as const, reference: channel.connectorId }
    : { kind: 'company' as const, reference: channel.connectorId };
}
