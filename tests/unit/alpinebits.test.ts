import {
  ALL_FREE_ROOMS_CAPABILITIES,
  buildInvCountNotif,
  decodeFreeRooms,
} from '../../connectors/ota/alpinebits/free-rooms';
import {
  buildRateAmountNotif,
  buildRestrictionsNotif,
  decodeRateAmountNotif,
  decodeRestrictionsNotif,
} from '../../connectors/ota/alpinebits/ari';
import {
  buildNotifReport,
  buildReadRequest,
  buildResRetrieve,
  decodeNotifReport,
  decodeReadRequest,
  decodeReservations,
} from '../../connectors/ota/alpinebits/reservations';
import { buildOutcome, readOutcome } from '../../connectors/ota/alpinebits/responses';
import { OtaMessageError, parseOta } from '../../connectors/ota/alpinebits/xml';
import { INVALID } from '../support/alpinebits-invalid';
import { alpineBitsSample, alpineBitsSampleFiles, RESERVED_DOUBLE } from '../support/alpinebits-samples';

const VERSIONS = ['v_2018_10', 'v_2020_10'];

describe('AlpineBits messages', () => {
  const samples = VERSIONS.flatMap((v) => alpineBitsSampleFiles(v).map((f) => `${v}/${f}`));
  const invalid = VERSIONS.flatMap((v) => alpineBitsSampleFiles(v, 'invalid').map((f) => `${v}/${f}`));

  it('has the samples of both versions', () => {
    expect(samples.length).toBeGreaterThan(70);
    expect(invalid).toHaveLength(16);
  });

  it.each(samples)('reads %s', (file) => {
    const doc = parseOta(alpineBitsSample(file));
    // Samples are named after their message, but for the pull acknowledgement (a NotifReport).
    expect(
      file.includes(doc.type) || (file.endsWith('ReadRQ-ack.xml') && doc.type === 'OTA_NotifReportRQ'),
    ).toBe(true);
    if (doc.type === 'OTA_HotelInvCountNotifRQ' || doc.type === 'OTA_HotelAvailNotifRQ') {
      const message = decodeFreeRooms(doc, ALL_FREE_ROOMS_CAPABILITIES);
      expect(message.reset || message.items.length > 0).toBe(true);
    } else if (doc.type === 'OTA_HotelResNotifRQ' || doc.type === 'OTA_ResRetrieveRS') {
      const reservations = decodeReservations(doc);
      if (!file.includes('empty') && !file.includes('error')) expect(reservations.length).toBeGreaterThan(0);
    }
    if (doc.type.endsWith('RS')) {
      const outcome = readOutcome(doc);
      expect(outcome.success).toBe(!file.includes('-error'));
      if (file.includes('-warning') || file.includes('-advisory'))
        expect(outcome.warnings.length).toBeGreaterThan(0);
    }
  });

  it('knows which receiver each invalid sample is invalid for', () => {
    expect(Object.keys(INVALID).sort()).toEqual([...invalid].sort());
  });

  it.each(invalid.map((f) => [f]))('rejects %s with the problem named', (file) => {
    const { capabilities, problem } = INVALID[file]!;
    const decode = () =>
      decodeFreeRooms(parseOta(alpineBitsSample(file.replace('/', '/invalid/'))), capabilities);
    expect(decode).toThrow(OtaMessageError);
    expect(decode).toThrow(problem);
  });

  it('reads a 2020-10 FreeRooms message into per-category counts', () => {
    const message = decodeFreeRooms(
      parseOta(alpineBitsSample('v_2020_10', 'FreeRooms-OTA_HotelInvCountNotifRQ-closing_seasons.xml')),
      { categories: true, closingSeasons: true },
    );
    expect(message).toEqual({
      hotelCode: '123',
      hotelName: 'Frangart Inn',
      completeSet: true,
      reset: false,
      items: [
        { start: '2020-08-31', end: '2020-09-30', closed: true },
        { start: '2020-08-01', end: '2020-08-10', invTypeCode: 'DOUBLE', bookable: 3 },
        { start: '2020-08-11', end: '2020-08-20', invTypeCode: 'DOUBLE', bookable: 0 },
        { start: '2020-08-21', end: '2020-08-30', invTypeCode: 'DOUBLE', bookable: 1 },
      ],
    });
    // The same message to a receiver without delta or closing-season support names both gaps.
    expect(() =>
      decodeFreeRooms(
        parseOta(alpineBitsSample('v_2020_10', 'FreeRooms-OTA_HotelInvCountNotifRQ-delta.xml')),
        {
          categories: true,
        },
      ),
    ).toThrow(/a delta \(no UniqueID\) needs the receiver’s accept_deltas capability/);
  });

  it('reads a pushed reservation without keeping the card number', () => {
    const [reservation] = decodeReservations(
      parseOta(alpineBitsSample('v_2020_10', 'GuestRequests-OTA_HotelResNotifRQ-reservation-push.xml')),
    );
    expect(reservation).toMatchObject({
      id: '6b34fe24ac2ff810',
      status: 'Reserved',
      hotelCode: '123',
      guest: { name: 'Otto Mustermann', email: 'otto.mustermann@example.com' },
      roomStays: [
        {
          roomTypeCode: 'bigsuite',
          ratePlanCode: '123456-xyz',
          arrival: '2012-01-01',
          departure: '2012-01-12',
          adults: 2,
          childAges: [9, 3],
          total: { amount: '299', currency: 'EUR' },
          guaranteed: true,
        },
      ],
    });
    expect(JSON.stringify(reservation)).not.toContain('4444333322221111');
    const [cancelled] = decodeReservations(
      parseOta(alpineBitsSample('v_2020_10', 'GuestRequests-OTA_ResRetrieveRS-cancellation.xml')),
    );
    expect(cancelled).toMatchObject({ id: 'c24e8b15ca469388', status: 'Cancelled', roomStays: [] });
  });

  it('reads a pull channel’s acknowledgement: taken over, and refused by RecordID', () => {
    expect(
      decodeNotifReport(parseOta(alpineBitsSample('v_2020_10', 'GuestRequests-OTA_ReadRQ-ack.xml'))),
    ).toEqual({
      acknowledged: ['6b34fe24ac2ff810', 'c24e8b15ca469388', '1000000000000001'],
      refused: [{ id: 'f054bbd2f5ebab9', text: 'Unable to process reservation' }],
    });
  });

  it('pulls: reads the OTA_ReadRQ sample, and builds a read, its answer and the acknowledgement that read back the same', () => {
    expect(
      decodeReadRequest(parseOta(alpineBitsSample('v_2020_10', 'GuestRequests-OTA_ReadRQ.xml'))),
    ).toEqual({
      hotelCode: '123',
    });
    expect(decodeReadRequest(parseOta(buildReadRequest('alpine')))).toEqual({ hotelCode: 'alpine' });
    expect(() => decodeReadRequest(parseOta('<OTA_ReadRQ><ReadRequests/></OTA_ReadRQ>'))).toThrow(
      /HotelCode is required/,
    );
    const answer = parseOta(
      buildResRetrieve({
        hotelCode: 'alpine',
        reservations: [RESERVED_DOUBLE, { id: 'R2', status: 'Cancelled', createdAt: '2027-01-02T10:00:00Z' }],
      }),
    );
    expect(readOutcome(answer).success).toBe(true);
    expect(decodeReservations(answer)).toMatchObject([
      {
        id: 'R1',
        status: 'Reserved',
        hotelCode: 'alpine',
        roomStays: [{ roomTypeCode: 'DBL', arrival: '2027-02-01', adults: 2, childAges: [7] }],
      },
      { id: 'R2', status: 'Cancelled', roomStays: [] },
    ]);
    const report = buildNotifReport([
      { id: 'R1' },
      { id: 'R2', cancellation: true },
      { id: 'R3', refusal: 'room code "SUITE" is not mapped' },
    ]);
    expect(report).toContain('<UniqueID Type="15" ID="R2"');
    expect(decodeNotifReport(parseOta(report))).toEqual({
      acknowledged: ['R1', 'R2'],
      refused: [{ id: 'R3', text: 'room code "SUITE" is not mapped' }],
    });
  });

  it('builds FreeRooms deltas and complete sets that read back the same', () => {
    const items = [
      { start: '2027-01-01', end: '2027-01-04', invTypeCode: 'dbl', bookable: 5 },
      { start: '2027-01-05', end: '2027-01-05', invTypeCode: 'dbl', bookable: 0 },
    ];
    const delta = decodeFreeRooms(
      parseOta(buildInvCountNotif({ hotelCode: 'alpine', completeSet: false, items })),
      {
        categories: true,
        deltas: true,
      },
    );
    expect(delta).toEqual({ hotelCode: 'alpine', completeSet: false, reset: false, items });
    const reset = decodeFreeRooms(
      parseOta(buildInvCountNotif({ hotelCode: 'alpine', completeSet: true, items: [] })),
      { categories: true },
    );
    expect(reset).toMatchObject({ completeSet: true, reset: true, items: [] });
  });

  it('builds restrictions and rates that read back the same', () => {
    const restrictions = [
      {
        start: '2027-02-01',
        end: '2027-02-03',
        invTypeCode: 'DOUBLE',
        closed: false,
        closedToArrival: true,
        closedToDeparture: false,
        minLos: 2,
        maxLos: null,
      },
      {
        start: '2027-02-04',
        end: '2027-02-04',
        invTypeCode: 'DOUBLE',
        closed: true,
        closedToArrival: false,
        closedToDeparture: true,
        minLos: null,
        maxLos: 7,
      },
    ];
    expect(
      decodeRestrictionsNotif(parseOta(buildRestrictionsNotif({ hotelCode: 'H', items: restrictions }))),
    ).toEqual(restrictions);
    const rates = [
      {
        start: '2027-02-01',
        end: '2027-02-28',
        invTypeCode: 'DOUBLE',
        ratePlanCode: 'FLEX',
        amount: '130.00',
        currency: 'EUR',
      },
    ];
    expect(decodeRateAmountNotif(parseOta(buildRateAmountNotif({ hotelCode: 'H', items: rates })))).toEqual(
      rates,
    );
    expect(() =>
      decodeRateAmountNotif(
        parseOta(
          buildRateAmountNotif({
            hotelCode: 'H',
            items: [{ ...rates[0]!, amount: 'free', ratePlanCode: '' }],
          }),
        ),
      ),
    ).toThrow(
      /InvTypeCode and RatePlanCode are required; RateAmountMessage 1: AmountAfterTax must be an amount/,
    );
  });

  it('answers with Success and warnings, or with Errors, and reads them back', () => {
    const ok = readOutcome(
      parseOta(
        buildOutcome('OTA_HotelInvCountNotifRS', {
          warnings: [{ type: '11', text: 'last full set is old' }],
        }),
      ),
    );
    expect(ok).toEqual({
      success: true,
      warnings: [{ type: '11', text: 'last full set is old' }],
      errors: [],
    });
    const failed = readOutcome(
      parseOta(
        buildOutcome('OTA_HotelInvCountNotifRS', {
          errors: [{ type: '13', code: '404', text: 'unknown room' }],
        }),
      ),
    );
    expect(failed).toMatchObject({
      success: false,
      errors: [{ type: '13', code: '404', text: 'unknown room' }],
    });
    expect(() => parseOta('<OTA_HotelInvCountNotifRS><Success/>')).toThrow(/malformed XML at line 1/);
    expect(() => parseOta('<Foo/>')).toThrow(/Foo is not an OpenTravel message/);
  });
});
