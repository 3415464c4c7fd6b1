import type { Sequelize } from 'sequelize';
import { declareProperty, type PropertySetup } from '../../db/master-data/declare';
import { addDays } from '../../domain/stays/dates';
import type { StayRequest } from '../../domain/stays/reservation';

/**
 * A test property in Vienna (EUR) with double rooms numbered from 100 and a flexible rate plan
 * (10 % tax, one night's penalty inside `freeUntilDaysBefore` days); `more` adds room types and
 * rate plans beside them.
 */
export async function upsertDoublesLodge(
  sequelize: Sequelize,
  lodge: {
    tenantId?: string;
    id: string;
    rooms: number;
    amount: string;
    freeUntilDaysBefore?: number;
    more?: Pick<PropertySetup, 'roomTypes' | 'ratePlans'>;
  },
): Promise<void> {
  await declareProperty(sequelize, {
    tenantId: lodge.tenantId ?? 'alpine',
    id: lodge.id,
    name: `Lodge ${lodge.id}`,
    timeZone: 'Europe/Vienna',
    currency: 'EUR',
    roomTypes: [
      {
        id: 'dbl',
        name: 'Double',
        maxOccupancy: 2,
        rooms: Array.from({ length: lodge.rooms }, (_, i) => `${100 + i}`),
      },
      ...(lodge.more?.roomTypes ?? []),
    ],
    ratePlans: [
      {
        id: 'flex',
        roomTypeId: 'dbl',
        name: 'Flexible',
        amount: lodge.amount,
        taxPercent: 10,
        cancellation: { freeUntilDaysBefore: lodge.freeUntilDaysBefore ?? 1, penalty: { nights: 1 } },
      },
      ...(lodge.more?.ratePlans ?? []),
    ],
  });
}

/** A stay in one of the lodge's double rooms at its flexible rate, as the calendar holds it. */
export function doubleRoomStay(stay: {
  propertyId: string;
  arrival: string;
  departure: string;
  adults: number;
  guestName: string;
}): StayRequest {
  return {
    propertyId: stay.propertyId,
    roomTypeId: 'dbl',
    ratePlanId: 'flex',
    arrival: stay.arrival,
    departure: stay.departure,
    guests: { adults: stay.adults, children: 0 },
    guest: { name: stay.guestName },
  };
}

/**
 * A booking, as a channel sends it to the API, of one of the lodge's double rooms at its flexible
 * rate, for two adults and guaranteed by card.
 */
export function doubleRoomBooking(booking: {
  channel: string;
  externalId: string;
  propertyId: string;
  arrival: string;
  nights: number;
  guest: { name: string; email?: string };
}) {
  return {
    channel: booking.channel,
    externalId: booking.externalId,
    propertyId: booking.propertyId,
    roomTypeId: 'dbl',
    ratePlanId: 'flex',
    arrival: booking.arrival,
    departure: addDays(booking.arrival, booking.nights),
    guests: { adults: 2 },
    guest: booking.guest,
    guarantee: { kind: 'card' },
  };
}
