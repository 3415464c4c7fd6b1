import type { FreeRoomsCapabilities } from '../../connectors/ota/alpinebits/free-rooms';

/**
 * Each invalid sample with the receiver it is invalid for (AlpineBits rules depend on the
 * capabilities the server announced) and the problem the rejection must name.
 */
export const INVALID: Record<string, { capabilities: FreeRoomsCapabilities; problem: RegExp }> = {
  'v_2018_10/HotelAvailNotifRQ_err_no-uniqueid-and-reset.xml': {
    capabilities: { deltas: true, categories: true },
    problem: /a reset \(a single empty AvailStatusMessage element\) requires the UniqueID element/,
  },
  'v_2018_10/HotelAvailNotifRQ_err_no-hotelcode-and-hotelname.xml': {
    capabilities: { categories: true },
    problem: /expecting one of HotelCode or HotelName/,
  },
  'v_2018_10/HotelAvailNotifRQ_err_bookinglimit-null.xml': {
    capabilities: { categories: true },
    problem: /AvailStatusMessage 1: BookingLimit is required/,
  },
  'v_2018_10/HotelAvailNotifRQ_err_bookinglimitmessagetype-null.xml': {
    capabilities: { categories: true },
    problem: /AvailStatusMessage 1: BookingLimitMessageType is required and must be SetLimit/,
  },
  'v_2018_10/HotelAvailNotifRQ_err_bookingthreshold-not-null.xml': {
    capabilities: { categories: true },
    problem: /BookingThreshold is only allowed with the accept_BookingThreshold capability/,
  },
  'v_2018_10/HotelAvailNotifRQ_err_bookingthreshold-null.xml': {
    capabilities: { categories: true, bookingThreshold: true },
    problem: /AvailStatusMessage 1: BookingThreshold is required/,
  },
  'v_2018_10/HotelAvailNotifRQ_err_bookingthreshold-condition.xml': {
    capabilities: { categories: true, bookingThreshold: true },
    problem: /condition 0 <= BookingThreshold <= BookingLimit must hold \(2 > 1\)/,
  },
  'v_2018_10/HotelAvailNotifRQ_err_invtypecode-null.xml': {
    capabilities: { categories: true },
    problem: /AvailStatusMessage 1: InvTypeCode is required/,
  },
  'v_2018_10/HotelAvailNotifRQ_err_bookinglimit-condition.xml': {
    capabilities: { rooms: true },
    problem: /a distinct room \(InvCode\) can only be 0 or 1 free, not 2/,
  },
  'v_2018_10/HotelAvailNotifRQ_err_room-categories-and-distinct-rooms-mixed.xml': {
    capabilities: { rooms: true, categories: true },
    problem: /room categories and distinct rooms must not be mixed/,
  },
  'v_2020_10/HotelAvailNotifRQ_err_categories-and-rooms-mixed.xml': {
    capabilities: { rooms: true, categories: true },
    problem: /room categories and distinct rooms must not be mixed/,
  },
  'v_2020_10/HotelAvailNotifRQ_err_closing-seasons-must-not-overlap.xml': {
    capabilities: { categories: true, closingSeasons: true },
    problem:
      /Inventory 2: closing seasons must not overlap \(2020-08-31..2020-09-30 and 2020-09-01..2020-10-31\)/,
  },
  'v_2020_10/HotelAvailNotifRQ_err_closing-seasons-no-inv-counts-element-allowed.xml': {
    capabilities: { categories: true, closingSeasons: true },
    problem: /Inventory 1: a closing season takes no InvCounts element/,
  },
  'v_2020_10/HotelAvailNotifRQ_err_closing-seasons-not-on-top.xml': {
    capabilities: { categories: true, closingSeasons: true },
    problem: /Inventory 2: closing seasons must come before every other Inventory/,
  },
  'v_2020_10/HotelAvailNotifRQ_err_no-hotelcode-and-hotelname.xml': {
    capabilities: { categories: true },
    problem: /expecting one of HotelCode or HotelName/,
  },
  'v_2020_10/HotelAvailNotifRQ_err_no-uniqueid-and-reset.xml': {
    capabilities: { deltas: true, categories: true },
    problem: /a reset \(a single empty Inventory element\) requires the UniqueID element/,
  },
};
