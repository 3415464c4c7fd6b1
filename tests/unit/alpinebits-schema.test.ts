import { buildInvCountNotif, decodeFreeRooms } from '../../connectors/ota/alpinebits/free-rooms';
import {
  buildPingRequest,
  buildPingResponse,
  HUB_AS_CLIENT,
  HUB_AS_SERVER,
  intersectHandshakes,
  readPingRequest,
} from '../../connectors/ota/alpinebits/handshake';
import {
  buildNotifReport,
  buildReadRequest,
  buildResNotif,
  buildResNotifResponse,
  buildResRetrieve,
} from '../../connectors/ota/alpinebits/reservations';
import { buildOutcome } from '../../connectors/ota/alpinebits/responses';
import { AlpineBitsSchemas } from '../../connectors/ota/alpinebits/schema';
import { alpineBitsOptionsSchema } from '../../connectors/ota/alpinebits-channel';
import { connectorOptions } from '../../connectors/options';
import type { ConnectorConfig } from '../../platform/config/schema';
import { parseOta } from '../../connectors/ota/alpinebits/xml';
import { INVALID } from '../support/alpinebits-invalid';
import { alpineBitsSample, alpineBitsSampleFiles, RESERVED_DOUBLE } from '../support/alpinebits-samples';
import { alpineBitsSchemaDir, type AlpineBitsSchemaVersion } from '../../platform/infra/alpinebits-schemas';
import { readSettings } from '../../platform/settings';

const VERSIONS: Array<[string, AlpineBitsSchemaVersion]> = [
  ['v_2018_10', '2018-10'],
  ['v_2020_10', '2020-10'],
];

/**
 * The official AlpineBits schemas (XSD and RELAX NG of each version) against the official samples
 * and against every message the hub and its sandbox OTAs build.
 */
describe('AlpineBits schemas', () => {
  const schemas = new AlpineBitsSchemas(alpineBitsSchemaDir(readSettings().cacheDir));
  afterAll(() => schemas.close());

  it.each(
    VERSIONS.flatMap(([dir, version]) =>
      alpineBitsSampleFiles(dir).map((file) => [version, dir, file] as const),
    ),
  )('the %s schemas take the official sample %s/%s', async (version, dir, file) => {
    expect(await schemas.problems(alpineBitsSample(dir, file), version)).toEqual([]);
  });

  it('refuses every invalid official sample: with the schema’s complaint where the schemas state the rule, else the hub names the rule', async () => {
    const bySchema: Record<string, RegExp> = {};
    for (const [dir, version] of VERSIONS)
      for (const file of alpineBitsSampleFiles(dir, 'invalid')) {
        const xml = alpineBitsSample(dir, 'invalid', file);
        const problems = await schemas.problems(xml, version);
        if (problems.length > 0) {
          bySchema[`${dir}/${file}`] = new RegExp(problems[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
          continue;
        }
        // A rule no schema can state (conditions between values, order, overlaps): the hub's reader names it.
        const { capabilities, problem } = INVALID[`${dir}/${file}`]!;
        expect(() => decodeFreeRooms(parseOta(xml), capabilities)).toThrow(problem);
      }
    expect(Object.keys(bySchema).sort()).toEqual([
      'v_2018_10/HotelAvailNotifRQ_err_bookinglimit-null.xml',
      'v_2018_10/HotelAvailNotifRQ_err_bookinglimitmessagetype-null.xml',
      'v_2018_10/HotelAvailNotifRQ_err_invtypecode-null.xml',
      'v_2018_10/HotelAvailNotifRQ_err_no-hotelcode-and-hotelname.xml',
      'v_2020_10/HotelAvailNotifRQ_err_no-hotelcode-and-hotelname.xml',
    ]);
    expect(String(bySchema['v_2018_10/HotelAvailNotifRQ_err_invtypecode-null.xml'])).toContain(
      'line 16: Element AvailStatusMessage has extra content: StatusApplicationControl',
    );
    expect(String(bySchema['v_2020_10/HotelAvailNotifRQ_err_no-hotelcode-and-hotelname.xml'])).toContain(
      'Element Inventories failed to validate attributes',
    );
  });

  it('names the element and line of what breaks a schema, and refuses what is not XML at all', async () => {
    const push = alpineBitsSample('v_2020_10', 'GuestRequests-OTA_HotelResNotifRQ-reservation-push.xml');
    const unknownElement = push.replace('<HotelReservations>', '<HotelReservations><Surprise/>');
    const problems = await schemas.problems(unknownElement, '2020-10');
    expect(problems.join('\n')).toMatch(/line \d+: .*Surprise.*not expected/);
    await expect(schemas.check(unknownElement, '2020-10')).rejects.toThrow(
      /AlpineBits 2020-10 schema: line \d+: .*Surprise/,
    );
    expect((await schemas.problems('<OTA_PingRQ', '2020-10')).length).toBeGreaterThan(0);
  });

  it('takes every message the hub builds, as client and as server, in each version it speaks', async () => {
    const items = [
      { start: '2027-01-01', end: '2027-01-04', invTypeCode: 'DOUBLE', bookable: 5 },
      { start: '2027-01-05', end: '2027-01-05', invTypeCode: 'DOUBLE', bookable: 0 },
    ];
    const results = [
      { id: 'R1' },
      { id: 'R2', cancellation: true },
      { id: 'R3', refusal: 'room code "SUITE" is not mapped' },
    ];
    const asClient: Record<string, string> = {
      handshake: buildPingRequest(HUB_AS_CLIENT),
      'FreeRooms delta': buildInvCountNotif({ hotelCode: 'alpine', completeSet: false, items }),
      'FreeRooms complete set': buildInvCountNotif({ hotelCode: 'alpine', completeSet: true, items }),
      'FreeRooms reset': buildInvCountNotif({ hotelCode: 'alpine', completeSet: true, items: [] }),
      pull: buildReadRequest('alpine'),
      acknowledgement: buildNotifReport(results),
      'acknowledgement refusing all': buildNotifReport([{ id: 'R3', refusal: 'not mapped' }]),
    };
    for (const [what, xml] of Object.entries(asClient))
      expect({ what, problems: await schemas.problems(xml, '2020-10') }).toEqual({ what, problems: [] });

    for (const [dir, version] of VERSIONS) {
      const { declared, echo } = readPingRequest(parseOta(alpineBitsSample(dir, 'Handshake-OTA_PingRQ.xml')));
      const asServer: Record<string, string> = {
        'handshake answer': buildPingResponse(intersectHandshakes(HUB_AS_SERVER, declared), echo),
        'push answer': buildResNotifResponse(results),
      };
      for (const [what, xml] of Object.entries(asServer))
        expect({ what, version, problems: await schemas.problems(xml, version) }).toEqual({
          what,
          version,
          problems: [],
        });
    }
  });

  it('has no room in a push answer for Errors or for refusing every reservation: those go as protocol errors', async () => {
    for (const [, version] of VERSIONS) {
      expect(
        (await schemas.problems(buildResNotifResponse([{ id: 'R1', refusal: 'sold out' }]), version)).join(),
      ).toMatch(/Missing child element\(s\)\. Expected is \( \{[^}]+\}HotelReservations \)/);
      expect(
        (
          await schemas.problems(
            buildOutcome('OTA_HotelResNotifRS', { errors: [{ type: '13', code: '450', text: 'x' }] }),
            version,
          )
        ).join(),
      ).toMatch(/Errors': This element is not expected/);
    }
  });

  it('stops start-up on a room code longer than an AlpineBits InvTypeCode may be', () => {
    const connector = {
      id: 'alpine-ota-x',
      options: { propertyId: 'p', hotelCode: 'H', roomTypes: { dbl: 'double-room' } },
    } as unknown as ConnectorConfig;
    expect(() => connectorOptions(connector, alpineBitsOptionsSchema)).toThrow(
      'connector alpine-ota-x: options.roomTypes.dbl: an AlpineBits InvTypeCode has at most 8 characters',
    );
  });

  it('takes what the sandbox OTAs build: pull answers, pushes and refusals', async () => {
    const message = {
      hotelCode: 'alpine',
      reservations: [
        {
          ...RESERVED_DOUBLE,
          guaranteed: true,
          guest: { givenName: 'Otto', surname: 'Mustermann', email: 'otto@example.com' },
        },
        {
          id: 'R3',
          status: 'Reserved' as const,
          createdAt: '2027-01-01T10:00:00Z',
          rooms: [
            {
              roomTypeCode: 'DBL',
              arrival: '2027-02-01',
              departure: '2027-02-02',
              adults: 2,
              guaranteed: true,
            },
            {
              roomTypeCode: 'FAM',
              arrival: '2027-02-01',
              departure: '2027-02-02',
              adults: 3,
              childAges: [4],
            },
          ],
        },
        { id: 'R2', status: 'Cancelled' as const, createdAt: '2027-01-02T10:00:00Z' },
      ],
    };
    const built: Record<string, string> = {
      'pull answer': buildResRetrieve(message),
      'empty pull answer': buildResRetrieve({ hotelCode: 'alpine', reservations: [] }),
      push: buildResNotif(message),
      'FreeRooms refused': buildOutcome('OTA_HotelInvCountNotifRS', {
        errors: [{ type: '13', code: '402', text: 'unknown InvTypeCode "SUITE"' }],
      }),
      'FreeRooms taken with a warning': buildOutcome('OTA_HotelInvCountNotifRS', {
        warnings: [{ type: '11', text: 'rooms above the contract are ignored' }],
      }),
    };
    for (const [what, xml] of Object.entries(built))
      expect({ what, problems: await schemas.problems(xml, '2020-10') }).toEqual({ what, problems: [] });
  });
});
