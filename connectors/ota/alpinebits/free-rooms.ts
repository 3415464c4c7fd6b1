import { isCalendarDate } from '../../../domain/stays/dates';
import {
  attr,
  buildOta,
  child,
  children,
  isEmpty,
  OtaMessageError,
  type OtaDocument,
  type XmlNode,
} from './xml';

/**
 * What the receiving side accepts, as AlpineBits capabilities (`OTA_HotelInvCountNotif_accept_*`,
 * or `OTA_HotelAvailNotif_accept_*` in 2018-10): the same message is valid for one server and
 * not for another.
 */
export interface FreeRoomsCapabilities {
  /** Updates without UniqueID, changing only the dates sent. */
  deltas?: boolean;
  /** Counts per room category (InvTypeCode alone). */
  categories?: boolean;
  /** Counts per distinct room (InvCode). */
  rooms?: boolean;
  /** 2018-10 BookingThreshold (rooms free but not bookable). */
  bookingThreshold?: boolean;
  /** 2020-10 closing seasons (AllInvCode). */
  closingSeasons?: boolean;
  /** 2020-10 CountType 6. */
  outOfOrder?: boolean;
  /** 2020-10 CountType 9 (free but not bookable). */
  outOfMarket?: boolean;
}

export const ALL_FREE_ROOMS_CAPABILITIES: FreeRoomsCapabilities = {
  deltas: true,
  categories: true,
  rooms: true,
  bookingThreshold: true,
  closingSeasons: true,
  outOfOrder: true,
  outOfMarket: true,
};

export interface FreeRoomsItem {
  start: string;
  /** Inclusive, as OpenTravel counts it. */
  end: string;
  invTypeCode?: string;
  invCode?: string;
  /** A closing season: the whole hotel is closed on these dates. */
  closed?: boolean;
  bookable?: number;
  outOfOrder?: number;
  freeButNotBookable?: number;
}

export interface FreeRoomsMessage {
  hotelCode?: string;
  hotelName?: string;
  /** A complete set replaces everything the receiver knows; otherwise a delta. */
  completeSet: boolean;
  /** A complete set with no items: nothing is available. */
  reset: boolean;
  items: FreeRoomsItem[];
}

const COUNT_TYPES: Record<
  string,
  keyof Pick<FreeRoomsItem, 'bookable' | 'outOfOrder' | 'freeButNotBookable'>
> = { '2': 'bookable', '6': 'outOfOrder', '9': 'freeButNotBookable' };

function count(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * Reads a FreeRooms message (2020-10 `OTA_HotelInvCountNotifRQ` or 2018-10
 * `OTA_HotelAvailNotifRQ`) and checks it against the AlpineBits rules for a receiver with the
 * given capabilities. Every problem is named with the element it is in.
 */
export function decodeFreeRooms(doc: OtaDocument, capabilities: FreeRoomsCapabilities): FreeRoomsMessage {
  const legacy = doc.type === 'OTA_HotelAvailNotifRQ';
  if (!legacy && doc.type !== 'OTA_HotelInvCountNotifRQ')
    throw new OtaMessageError([`${doc.type} is not a FreeRooms message`]);
  const [listName, itemName] = legacy
    ? ['AvailStatusMessages', 'AvailStatusMessage']
    : ['Inventories', 'Inventory'];
  const problems: string[] = [];
  const list = child(doc.root, listName);
  if (!list) throw new OtaMessageError([`${listName} is required`]);
  const hotelCode = attr(list, 'HotelCode');
  const hotelName = attr(list, 'HotelName');
  if (!hotelCode && !hotelName)
    problems.push('expecting one of HotelCode or HotelName, but both are missing');
  const uniqueId = child(doc.root, 'UniqueID');
  const completeSet = uniqueId !== undefined;
  if (uniqueId && attr(uniqueId, 'Instance') !== 'CompleteSet')
    problems.push('UniqueID must have Instance="CompleteSet"');
  const elements = children(list, itemName);
  const reset = elements.length === 1 && isEmpty(elements[0]!);
  if (reset && !completeSet)
    problems.push(`a reset (a single empty ${itemName} element) requires the UniqueID element`);
  if (!completeSet && !reset && !capabilities.deltas)
    problems.push('a delta (no UniqueID) needs the receiver’s accept_deltas capability');

  const items: FreeRoomsItem[] = [];
  if (!reset) {
    let othersSeen = false;
    elements.forEach((element, index) => {
      const where = `${itemName} ${index + 1}`;
      const control = child(element, 'StatusApplicationControl');
      if (!control) return void problems.push(`${where}: StatusApplicationControl is required`);
      const start = attr(control, 'Start') ?? '';
      const end = attr(control, 'End') ?? '';
      if (!isCalendarDate(start) || !isCalendarDate(end) || start > end)
        problems.push(`${where}: Start and End must be dates YYYY-MM-DD with Start on or before End`);
      const item: FreeRoomsItem = { start, end };
      if (!legacy && attr(control, 'AllInvCode') === 'true') {
        if (!capabilities.closingSeasons)
          problems.push(`${where}: closing seasons (AllInvCode) need the accept_closing_seasons capability`);
        if (othersSeen) problems.push(`${where}: closing seasons must come before every other Inventory`);
        if (child(element, 'InvCounts'))
          problems.push(`${where}: a closing season takes no InvCounts element`);
        const overlapping = items.find((i) => i.closed && i.start <= end && start <= i.end);
        if (overlapping)
          problems.push(
            `${where}: closing seasons must not overlap (${overlapping.start}..${overlapping.end} and ${start}..${end})`,
          );
        items.push({ ...item, closed: true });
        return;
      }
      othersSeen = true;
      const invTypeCode = attr(control, 'InvTypeCode');
      const invCode = attr(control, 'InvCode');
      if (!invTypeCode) problems.push(`${where}: InvTypeCode is required`);
      else item.invTypeCode = invTypeCode;
      if (invCode) {
        item.invCode = invCode;
        if (!capabilities.rooms)
          problems.push(`${where}: distinct rooms (InvCode) need the accept_rooms capability`);
      } else if (!capabilities.categories)
        problems.push(`${where}: room categories need the accept_categories capability`);
      (legacy ? readLegacyCounts : readCounts)(element, where, item, capabilities, problems);
      if (invCode && item.bookable !== undefined && item.bookable > 1)
        problems.push(`${where}: a distinct room (InvCode) can only be 0 or 1 free, not ${item.bookable}`);
      items.push(item);
    });
    const rooms = items.some((i) => i.invCode);
    const categories = items.some((i) => !i.closed && !i.invCode);
    if (rooms && categories)
      problems.push('room categories and distinct rooms must not be mixed in one message');
  }
  if (problems.length > 0) throw new OtaMessageError(problems);
  return {
    ...(hotelCode ? { hotelCode } : {}),
    ...(hotelName ? { hotelName } : {}),
    completeSet,
    reset,
    items,
  };
}

/**
 * Reads the room counts of one item's element into the item: the 2018-10 booking limit and
 * threshold, or the 2020-10 InvCounts. Each problem is added naming the element (`where`).
 */
type CountsReader = (
  element: XmlNode,
  where: string,
  item: FreeRoomsItem,
  capabilities: FreeRoomsCapabilities,
  problems: string[],
) => void;

const readLegacyCounts: CountsReader = (element, where, item, capabilities, problems) => {
  const limit = count(attr(element, 'BookingLimit'));
  if (limit === undefined) problems.push(`${where}: BookingLimit is required (a whole number)`);
  else item.bookable = limit;
  if (attr(element, 'BookingLimitMessageType') !== 'SetLimit')
    problems.push(`${where}: BookingLimitMessageType is required and must be SetLimit`);
  const rawThreshold = attr(element, 'BookingThreshold');
  if (!capabilities.bookingThreshold) {
    if (rawThreshold !== undefined)
      problems.push(`${where}: BookingThreshold is only allowed with the accept_BookingThreshold capability`);
    return;
  }
  const threshold = count(rawThreshold);
  if (threshold === undefined) problems.push(`${where}: BookingThreshold is required (a whole number)`);
  else if (limit !== undefined && threshold > limit)
    problems.push(
      `${where}: condition 0 <= BookingThreshold <= BookingLimit must hold (${threshold} > ${limit})`,
    );
  else item.freeButNotBookable = threshold;
};

const readCounts: CountsReader = (element, where, item, capabilities, problems) => {
  // An Inventory without InvCounts means nothing is free on those dates.
  const counts = children(child(element, 'InvCounts'), 'InvCount');
  if (counts.length === 0) item.bookable = 0;
  for (const invCount of counts) {
    const type = attr(invCount, 'CountType') ?? '';
    const field = COUNT_TYPES[type];
    const value = count(attr(invCount, 'Count'));
    if (!field) {
      problems.push(`${where}: CountType ${type || '(missing)'} is not 2, 6 or 9`);
      continue;
    }
    if (field === 'outOfOrder' && !capabilities.outOfOrder)
      problems.push(`${where}: CountType 6 needs the accept_out_of_order capability`);
    if (field === 'freeButNotBookable' && !capabilities.outOfMarket)
      problems.push(`${where}: CountType 9 needs the accept_out_of_market capability`);
    if (value === undefined) problems.push(`${where}: Count must be a whole number`);
    else if (item[field] !== undefined) problems.push(`${where}: CountType ${type} appears twice`);
    else item[field] = value;
  }
};

/**
 * A 2020-10 FreeRooms message: bookable rooms per room category and date range. A complete set
 * carries UniqueID (the receiver forgets what it knew); a delta changes only the ranges sent.
 */
export function buildInvCountNotif(message: {
  hotelCode: string;
  completeSet: boolean;
  items: Array<{ start: string; end: string; invTypeCode: string; bookable: number }>;
}): string {
  return buildOta(
    'OTA_HotelInvCountNotifRQ',
    {
      ...(message.completeSet ? { UniqueID: { '@Type': '16', '@ID': '1', '@Instance': 'CompleteSet' } } : {}),
      Inventories: {
        '@HotelCode': message.hotelCode,
        Inventory:
          message.items.length === 0 && message.completeSet
            ? [{}]
            : message.items.map((item) => ({
                StatusApplicationControl: {
                  '@Start': item.start,
                  '@End': item.end,
                  '@InvTypeCode': item.invTypeCode,
                },
                InvCounts: { InvCount: [{ '@CountType': '2', '@Count': String(item.bookable) }] },
              })),
      },
    },
    '4',
  );
}
