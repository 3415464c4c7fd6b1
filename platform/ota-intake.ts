import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { AlpineBitsChannel } from '../connectors/ota/alpinebits-channel';
import {
  buildResNotifResponse,
  decodeReservations,
  type OtaReservation,
  type ReservationResult,
} from '../connectors/ota/alpinebits/reservations';
import { buildOutcome } from '../connectors/ota/alpinebits/responses';
import { OtaMessageError, parseOta } from '../connectors/ota/alpinebits/xml';
import { EXTERNAL_ID_PATTERN } from '../domain/orders/order';
import { publicReservationId } from '../domain/stays/reservation';
import { changedStay, stayDifferences } from '../domain/stays/modification';
import {
  cancelReservationUpdate,
  getReservationQuery,
  modifyReservationUpdate,
} from '../workflows/stays/definitions';
import type { TenantConfig } from './config/schema';
import { refusalMessage } from './order-intake';
import type { ReservationIntake } from './reservation-intake';

/** An OTA expects its answer within a second; a booking still being placed is answered as taken. */
const ANSWER_WITHIN_MS = 800;

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

  async receive(tenant: TenantConfig, channel: AlpineBitsChannel, xml: string): Promise<string> {
    let pushed: OtaReservation[];
    try {
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

  /** One reservation a channel delivered (pushed or pulled), taken over or refused with the reason. */
  async take(
    tenant: TenantConfig,
    channel: AlpineBitsChannel,
    r: OtaReservation,
  ): Promise<ReservationResult> {
    const externalId = `${channel.connectorId}.${r.id}`;
    const confirmation = publicReservationId('ota', externalId);
    const refuse = (refusal: string): ReservationResult => ({ id: r.id, refusal });
    if (!EXTERNAL_ID_PATTERN.test(externalId))
      return refuse(`reservation id ${r.id} is too long or has odd characters`);
    if (r.hotelCode && r.hotelCode !== channel.options.hotelCode)
      return refuse(`hotel ${r.hotelCode} is not sold through this connection`);
    if (r.status === 'Requested') return refuse('guest requests (enquiries) are not booked by the hub');
    const handle = this.reservations.handle(tenant.id, confirmation)!;
    if (r.status === 'Cancelled') {
      const cancelled = { id: r.id, confirmation, cancellation: true };
      try {
        await handle.executeUpdate(cancelReservationUpdate, {
          args: [{ reason: `cancelled through ${channel.connectorId}` }],
        });
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) {
          const view = await this.reservations.placed(handle).catch(() => undefined);
          if (!view) return refuse(`reservation ${r.id} is not known`);
          // Closed already with nothing left to give back, or closed in a way a cancellation cannot undo.
          return ['cancelled', 'overbooked', 'expired', 'rejected'].includes(view.status)
            ? cancelled
            : refuse(`reservation ${r.id} is ${view.status.replace(/_/g, ' ')}`);
        }
        if (error instanceof WorkflowUpdateFailedError) {
          // Cancelled already (its folio still open): the redelivery changes nothing.
          const view = await handle.query(getReservationQuery);
          return view.status === 'cancelled' ? cancelled : refuse(refusalMessage(error));
        }
        throw error;
      }
      return cancelled;
    }
    const [stay, ...more] = r.roomStays;
    if (!stay || more.length > 0) return refuse('the hub takes one room per reservation');
    const roomTypeId = channel.roomTypeFor(stay.roomTypeCode);
    const ratePlanId = channel.ratePlanFor(stay.ratePlanCode);
    if (!roomTypeId) return refuse(`room code "${stay.roomTypeCode}" is not mapped`);
    if (!ratePlanId) return refuse(`rate plan code "${stay.ratePlanCode ?? ''}" is not mapped`);
    const booking = {
      roomTypeId,
      ratePlanId,
      arrival: stay.arrival!,
      departure: stay.departure!,
      guests: { adults: stay.adults, children: stay.childAges.length },
    };
    if (r.status === 'Modify') {
      const asOf = r.modifiedAt ?? r.createdAt;
      try {
        await handle.executeUpdate(modifyReservationUpdate, { args: [{ ...booking, asOf }] });
        return { id: r.id, confirmation };
      } catch (error) {
        if (error instanceof WorkflowUpdateFailedError) {
          // A redelivery, or an older change overtaken by a newer one: the stay is as the channel wants it.
          const view = await handle.query(getReservationQuery);
          const overtaken = !!asOf && !!view.channelModifiedAt && asOf <= view.channelModifiedAt;
          const applied = stayDifferences(view.stay, changedStay(view.stay, booking)).length === 0;
          return overtaken || applied ? { id: r.id, confirmation } : refuse(refusalMessage(error));
        }
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        // A modification of a booking never received: it is the booking.
      }
    }
    const placing = this.reservations.book(
      tenant,
      {
        channel: 'ota',
        externalId,
        propertyId: channel.options.propertyId,
        ...booking,
        guest: {
          name: r.guest.name ?? `Guest of ${channel.connectorId}`,
          ...(r.guest.email ? { email: r.guest.email } : {}),
        },
        guarantee: stay.guaranteed
          ? { kind: 'card', reference: channel.connectorId }
          : { kind: 'company', reference: channel.connectorId },
      },
      { acceptOverbooking: channel.options.overbooking === 'accept' },
    );
    const outcome = await Promise.race([
      placing,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ANSWER_WITHIN_MS)),
    ]);
    if (!outcome) {
      // Still being placed: it goes on durably; the OTA has the confirmation id already.
      placing.catch(() => undefined);
      return { id: r.id, confirmation };
    }
    if (outcome.view.status === 'rejected')
      return refuse(`${outcome.view.rejection?.type}: ${outcome.view.rejection?.reasons.join('; ')}`);
    return { id: r.id, confirmation };
  }
}
