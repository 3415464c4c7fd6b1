import { isCalendarDate } from '../../../domain/stays/dates';
import { buildOutcome, type OtaNotice } from './responses';
import {
  attr,
  buildOta,
  child,
  children,
  OtaMessageError,
  text,
  type OtaDocument,
  type XmlNode,
} from './xml';

export const OTA_RES_STATUSES = ['Requested', 'Reserved', 'Modify', 'Cancelled'] as const;
export type OtaResStatus = (typeof OTA_RES_STATUSES)[number];

export interface OtaRoomStay {
  roomTypeCode?: string;
  ratePlanCode?: string;
  /** Fixed dates of a booking… */
  arrival?: string;
  departure?: string;
  /** …or the window a guest request asks about. */
  window?: { earliest: string; latest: string };
  adults: number;
  /** One age per child. */
  childAges: number[];
  total?: { amount: string; currency: string };
  /** A payment card or other guarantee came with the stay (its number is never kept). */
  guaranteed: boolean;
}

/** A reservation as an OTA delivers it (OTA_HotelResNotifRQ push, or OTA_ResRetrieveRS pull). */
export interface OtaReservation {
  /** The channel's own reservation id (UniqueID ID): the same id again is the same booking. */
  id: string;
  status: OtaResStatus;
  /**
   * CreateDateTime: when the channel made this version of it. AlpineBits carries no other time, so
   * it is what orders a chain of modifications.
   */
  createdAt?: string;
  hotelCode?: string;
  roomStays: OtaRoomStay[];
  guest: { name?: string; email?: string };
}

function roomStayOf(node: XmlNode, where: string, problems: string[]): OtaRoomStay {
  const span = child(node, 'TimeSpan');
  const window = child(span, 'StartDateWindow');
  const counts = children(child(node, 'GuestCounts'), 'GuestCount');
  let adults = 0;
  const childAges: number[] = [];
  for (const guestCount of counts) {
    const n = Number(attr(guestCount, 'Count') ?? 'NaN');
    if (!Number.isInteger(n) || n < 1)
      problems.push(`${where}: GuestCount Count must be a positive whole number`);
    const age = attr(guestCount, 'Age');
    if (age === undefined) adults += n;
    else for (let i = 0; i < n; i++) childAges.push(Number(age));
  }
  const total = child(node, 'Total');
  const stay: OtaRoomStay = {
    adults,
    childAges,
    guaranteed:
      child(child(child(node, 'Guarantee'), 'GuaranteesAccepted'), 'GuaranteeAccepted') !== undefined,
  };
  const roomTypeCode = attr(child(child(node, 'RoomTypes'), 'RoomType'), 'RoomTypeCode');
  const ratePlanCode = attr(child(child(node, 'RatePlans'), 'RatePlan'), 'RatePlanCode');
  if (roomTypeCode) stay.roomTypeCode = roomTypeCode;
  if (ratePlanCode) stay.ratePlanCode = ratePlanCode;
  const start = attr(span, 'Start');
  const end = attr(span, 'End');
  if (start !== undefined || end !== undefined) {
    if (!isCalendarDate(start ?? '') || !isCalendarDate(end ?? '') || start! >= end!)
      problems.push(`${where}: TimeSpan Start and End must be dates with Start before End`);
    stay.arrival = start;
    stay.departure = end;
  } else if (window) {
    stay.window = { earliest: attr(window, 'EarliestDate') ?? '', latest: attr(window, 'LatestDate') ?? '' };
  }
  if (total && attr(total, 'AmountAfterTax'))
    stay.total = { amount: attr(total, 'AmountAfterTax')!, currency: attr(total, 'CurrencyCode') ?? '' };
  return stay;
}

/**
 * The reservations in an OTA_HotelResNotifRQ or OTA_ResRetrieveRS. A booking (`Reserved`,
 * `Modify`) must name its room type and fixed dates; a cancellation needs only its id.
 */
export function decodeReservations(doc: OtaDocument): OtaReservation[] {
  const list =
    doc.type === 'OTA_HotelResNotifRQ'
      ? child(doc.root, 'HotelReservations')
      : doc.type === 'OTA_ResRetrieveRS'
        ? child(doc.root, 'ReservationsList')
        : undefined;
  if (doc.type !== 'OTA_HotelResNotifRQ' && doc.type !== 'OTA_ResRetrieveRS')
    throw new OtaMessageError([`${doc.type} carries no reservations`]);
  const problems: string[] = [];
  const reservations = children(list, 'HotelReservation').map((node, index) => {
    const where = `HotelReservation ${index + 1}`;
    const id = attr(child(node, 'UniqueID'), 'ID');
    if (!id) problems.push(`${where}: UniqueID with an ID is required`);
    const status = attr(node, 'ResStatus') as OtaResStatus | undefined;
    if (!status || !OTA_RES_STATUSES.includes(status))
      problems.push(`${where}: ResStatus must be one of ${OTA_RES_STATUSES.join(', ')}`);
    const roomStays = children(child(node, 'RoomStays'), 'RoomStay').map((stay, i) =>
      roomStayOf(stay, `${where} RoomStay ${i + 1}`, problems),
    );
    if (status === 'Reserved' || status === 'Modify') {
      if (roomStays.length === 0) problems.push(`${where}: a booking needs at least one RoomStay`);
      roomStays.forEach((stay, i) => {
        if (!stay.roomTypeCode) problems.push(`${where} RoomStay ${i + 1}: RoomTypeCode is required`);
        if (!stay.arrival) problems.push(`${where} RoomStay ${i + 1}: TimeSpan Start and End are required`);
        if (stay.adults < 1)
          problems.push(`${where} RoomStay ${i + 1}: at least one adult GuestCount is required`);
      });
    }
    const customer = child(
      child(child(child(child(child(node, 'ResGuests'), 'ResGuest'), 'Profiles'), 'ProfileInfo'), 'Profile'),
      'Customer',
    );
    const person = child(customer, 'PersonName');
    const name = [text(child(person, 'GivenName')), text(child(person, 'Surname'))].filter(Boolean).join(' ');
    const email = text(child(customer, 'Email'));
    const hotelCode = attr(child(child(node, 'ResGlobalInfo'), 'BasicPropertyInfo'), 'HotelCode');
    const reservation: OtaReservation = {
      id: id ?? '',
      status: status ?? 'Reserved',
      roomStays,
      guest: { ...(name ? { name } : {}), ...(email ? { email } : {}) },
    };
    if (attr(node, 'CreateDateTime')) reservation.createdAt = attr(node, 'CreateDateTime');
    if (hotelCode) reservation.hotelCode = hotelCode;
    return reservation;
  });
  if (problems.length > 0) throw new OtaMessageError(problems);
  return reservations;
}

/**
 * A pull channel's acknowledgement (OTA_NotifReportRQ): the reservations taken over, and those
 * refused with a warning naming them by RecordID.
 */
export function decodeNotifReport(doc: OtaDocument): {
  acknowledged: string[];
  refused: Array<{ id: string; text: string }>;
} {
  if (doc.type !== 'OTA_NotifReportRQ') throw new OtaMessageError([`${doc.type} is not OTA_NotifReportRQ`]);
  const reservations = children(
    child(child(child(doc.root, 'NotifDetails'), 'HotelNotifReport'), 'HotelReservations'),
    'HotelReservation',
  );
  const refused = children(child(doc.root, 'Warnings'), 'Warning')
    .filter((w) => attr(w, 'RecordID'))
    .map((w) => ({ id: attr(w, 'RecordID')!, text: text(w) ?? '' }));
  return {
    acknowledged: reservations
      .map((r) => attr(child(r, 'UniqueID'), 'ID'))
      .filter((id): id is string => !!id),
    refused,
  };
}

/** Reservations as an OTA sends them, pushed or pulled. */
/** One room of a reservation as an OTA sends it. */
export interface OtaRoomMessage {
  roomTypeCode?: string;
  ratePlanCode?: string;
  arrival?: string;
  departure?: string;
  adults?: number;
  childAges?: number[];
  guaranteed?: boolean;
}

export interface OtaReservationsMessage {
  hotelCode: string;
  /** A reservation's room is given inline, or its several rooms in `rooms`. */
  reservations: Array<
    OtaRoomMessage & {
      id: string;
      status: Exclude<OtaResStatus, 'Requested'>;
      createdAt: string;
      modifiedAt?: string;
      rooms?: OtaRoomMessage[];
      guest?: { givenName: string; surname: string; email?: string };
    }
  >;
}

/**
 * A room of a reservation as an OTA sends it. A guaranteed room carries the card's brand, expiry,
 * holder and number (as the schema requires), the number as a processor's token.
 */
function roomStay(room: OtaRoomMessage, holder = 'Card Holder'): XmlNode {
  return {
    RoomTypes: { RoomType: [{ '@RoomTypeCode': room.roomTypeCode }] },
    ...(room.ratePlanCode ? { RatePlans: { RatePlan: [{ '@RatePlanCode': room.ratePlanCode }] } } : {}),
    GuestCounts: {
      GuestCount: [
        { '@Count': String(room.adults ?? 1) },
        ...(room.childAges ?? []).map((age) => ({ '@Count': '1', '@Age': String(age) })),
      ],
    },
    TimeSpan: { '@Start': room.arrival, '@End': room.departure },
    ...(room.guaranteed
      ? {
          Guarantee: {
            GuaranteesAccepted: {
              GuaranteeAccepted: {
                PaymentCard: {
                  '@CardCode': 'VI',
                  '@ExpireDate': '1230',
                  CardHolderName: holder,
                  // A payment processor's token in place of the number.
                  CardNumber: { '@EncryptedValue': 'tok_visa', '@EncryptionMethod': 'token' },
                },
              },
            },
          },
        }
      : {}),
  };
}

/** The HotelReservation elements of a push (OTA_HotelResNotifRQ) or a pull's answer (OTA_ResRetrieveRS). */
function hotelReservations(message: OtaReservationsMessage): XmlNode[] {
  return message.reservations.map((r) => ({
    // A modification's version is stamped with its own time: AlpineBits has no LastModifyDateTime.
    '@CreateDateTime': r.modifiedAt ?? r.createdAt,
    '@ResStatus': r.status,
    UniqueID: { '@Type': r.status === 'Cancelled' ? '15' : '14', '@ID': r.id },
    ...(r.status === 'Cancelled'
      ? {}
      : {
          RoomStays: {
            RoomStay: (r.rooms ?? [r]).map((room) =>
              roomStay(room, r.guest && `${r.guest.givenName} ${r.guest.surname}`),
            ),
          },
          ...(r.guest
            ? {
                ResGuests: {
                  ResGuest: [
                    {
                      Profiles: {
                        ProfileInfo: {
                          Profile: {
                            Customer: {
                              PersonName: { GivenName: r.guest.givenName, Surname: r.guest.surname },
                              ...(r.guest.email ? { Email: r.guest.email } : {}),
                            },
                          },
                        },
                      },
                    },
                  ],
                },
              }
            : {}),
        }),
    ResGlobalInfo: { BasicPropertyInfo: { '@HotelCode': message.hotelCode } },
  }));
}

/** A reservation as an OTA pushes it (OTA_HotelResNotifRQ, AlpineBits GuestRequests push). */
export function buildResNotif(message: OtaReservationsMessage): string {
  return buildOta(
    'OTA_HotelResNotifRQ',
    { HotelReservations: { HotelReservation: hotelReservations(message) } },
    '7.000',
  );
}

/** A pull's answer (OTA_ResRetrieveRS): the reservations not yet acknowledged. */
export function buildResRetrieve(message: OtaReservationsMessage): string {
  return buildOutcome(
    'OTA_ResRetrieveRS',
    {},
    { ReservationsList: { HotelReservation: hotelReservations(message) } },
  );
}

/**
 * A pull (AlpineBits `OTA_Read:GuestRequests`): the hotel's reservations the channel has not
 * had acknowledged yet (AlpineBits leaves SelectionCriteria out for exactly that).
 */
export function buildReadRequest(hotelCode: string): string {
  return buildOta('OTA_ReadRQ', { ReadRequests: { HotelReadRequest: { '@HotelCode': hotelCode } } }, '8.000');
}

/** The hotel a pull asks for. */
export function decodeReadRequest(doc: OtaDocument): { hotelCode: string } {
  if (doc.type !== 'OTA_ReadRQ') throw new OtaMessageError([`${doc.type} is not OTA_ReadRQ`]);
  const hotelCode = attr(child(child(doc.root, 'ReadRequests'), 'HotelReadRequest'), 'HotelCode');
  if (!hotelCode) throw new OtaMessageError(['ReadRequests/HotelReadRequest: HotelCode is required']);
  return { hotelCode };
}

/** What the hub did with each reservation a channel delivered. */
export interface ReservationResult {
  id: string;
  /** Why it was not taken over. */
  refusal?: string;
  cancellation?: boolean;
}

/**
 * The hub's report on delivered reservations: each one taken over (its UniqueID) in
 * HotelReservations, and a warning naming each one not taken (RecordID = its
 * id). A pull acknowledges with it (OTA_NotifReportRQ, inside NotifDetails/HotelNotifReport), a
 * push is answered with it (OTA_HotelResNotifRS); either way the channel stops offering both.
 */
function reservationReport(
  type: 'OTA_NotifReportRQ' | 'OTA_HotelResNotifRS',
  results: ReservationResult[],
): string {
  const warnings: OtaNotice[] = results
    .filter((r) => r.refusal)
    .map((r) => ({ type: '3', code: '450', recordId: r.id, text: r.refusal! }));
  const taken = results.filter((r) => !r.refusal);
  if (taken.length === 0) return buildOutcome(type, { warnings });
  const reservations = {
    HotelReservations: {
      HotelReservation: taken.map((r) => ({
        // The UniqueID alone: the AlpineBits schemas leave no room for the hub's own id here.
        UniqueID: { '@Type': r.cancellation ? '15' : '14', '@ID': r.id },
      })),
    },
  };
  return buildOutcome(
    type,
    { warnings },
    type === 'OTA_NotifReportRQ' ? { NotifDetails: { HotelNotifReport: reservations } } : reservations,
  );
}

/** The acknowledgement of a pull (OTA_NotifReportRQ). */
export function buildNotifReport(results: ReservationResult[]): string {
  return reservationReport('OTA_NotifReportRQ', results);
}

/** The answer to a reservation push (OTA_HotelResNotifRS). */
export function buildResNotifResponse(results: ReservationResult[]): string {
  return reservationReport('OTA_HotelResNotifRS', results);
}
