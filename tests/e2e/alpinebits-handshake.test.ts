import { basicAuthorization } from '../../connectors/ota/alpinebits/protocol';
import {
  FREE_ROOMS,
  FREE_ROOMS_CATEGORIES,
  readPingResponse,
  type Handshake,
} from '../../connectors/ota/alpinebits/handshake';
import { readOutcome } from '../../connectors/ota/alpinebits/responses';
import { parseOta } from '../../connectors/ota/alpinebits/xml';
import { alpineBitsSample } from '../support/alpinebits-samples';
import { holdStay } from '../../db/stays/holds';
import { addDays, localDate } from '../../domain/stays/dates';
import { SANDBOX_OTA_HANDSHAKE } from '../../sandbox/ota/alpinebits';
import { eventually, http, uniqueId } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';
import { upsertDoublesLodge } from '../support/properties';

/**
 * AlpineBits as the standard has every client begin: Handshaking. The hub answers it (and the
 * older getVersion / getCapabilities) on its push endpoint, and handshakes with each OTA it sends
 * to, sending only what that OTA declared.
 */
describe('AlpineBits handshaking end to end', () => {
  let hub: TestHub;
  let propertyId: string;
  const today = localDate(Date.now(), 'Europe/Vienna');
  const SPARE: Handshake = {
    // ota-c as a plain AlpineBits 2020-10 OTA: FreeRooms by categories, no deltas, nothing else.
    versions: [
      {
        version: '2020-10',
        actions: [{ action: 'action_OTA_Ping' }, { action: FREE_ROOMS, supports: [FREE_ROOMS_CATEGORIES] }],
      },
    ],
  };

  /** What ota-c refused before this suite: the sandbox is shared by every suite of a run. */
  let refusedBefore: number;
  const refusedByOtaC = async () =>
    (
      await http.get<{ ota: Record<string, { refused: number }> }>(
        `${process.env.CROSSDOCK_SANDBOX_URL}/__sandbox/stats`,
      )
    ).data.ota['ota-c']!.refused;

  beforeAll(async () => {
    propertyId = uniqueId('hs');
    refusedBefore = await refusedByOtaC();
    await http.put(`${process.env.CROSSDOCK_SANDBOX_URL}/__sandbox/ota/ota-c/settings`, { handshake: SPARE });
    hub = await startTestHub((config) => {
      config.connectors = config.connectors.filter(
        (c) => c.kind !== 'ota' || ['alpine-ota-a', 'alpine-ota-c'].includes(c.id),
      );
      for (const connector of config.connectors.filter((c) => c.kind === 'ota')) {
        connector.options.propertyId = propertyId;
        connector.options.hotelCode = propertyId;
        connector.options.horizonDays = 20;
        connector.options.ratePlans = { flex: 'FLEX' };
        connector.options.roomTypes = { dbl: connector.id === 'alpine-ota-a' ? 'DOUBLE' : 'dbl-room' };
        connector.options.requestsPerMinute = 600;
      }
    });
    await upsertDoublesLodge(hub.services.sequelize, { id: propertyId, rooms: 4, amount: '90.00' });
  });
  afterAll(async () => {
    await http.put(`${hub.sandboxUrl}/__sandbox/ota/ota-c/settings`, { handshake: SANDBOX_OTA_HANDSHAKE });
    await hub?.stop();
  });

  /** A request to the hub's AlpineBits endpoint as an OTA sends it. */
  async function toHub(action: string, request?: string, version = '2020-10') {
    const form = new FormData();
    form.set('action', action);
    if (request !== undefined) form.set('request', request);
    const response = await fetch(`${hub.apiUrl}/alpinebits/alpine-ota-a`, {
      method: 'POST',
      body: form,
      headers: {
        Authorization: basicAuthorization('ota', process.env.CROSSDOCK_SANDBOX_OTA_PUSH_PASSWORD!),
        'X-AlpineBits-ClientProtocolVersion': version,
      },
    });
    return { status: response.status, body: await response.text() };
  }

  it('answers the official Handshaking samples with what both sides support, echoing the client', async () => {
    for (const version of ['v_2018_10', 'v_2020_10']) {
      const answer = await toHub(
        'OTA_Ping:Handshaking',
        alpineBitsSample(version, 'Handshake-OTA_PingRQ.xml'),
      );
      expect(answer.status).toBe(200);
      const doc = parseOta(answer.body);
      expect(readOutcome(doc).success).toBe(true);
      // The sample offers Ping, BaseRates and RatePlans in 2018-10; the hub serves Ping and reservation pushes.
      expect(readPingResponse(doc)).toEqual({
        versions: [{ version: '2018-10', actions: [{ action: 'action_OTA_Ping' }] }],
      });
      expect(answer.body).toContain('action_OTA_HotelRatePlanNotif_RatePlans'); // the EchoData, as sent
    }
    const ours = {
      versions: [
        {
          version: '2020-10',
          actions: [{ action: 'action_OTA_Ping' }, { action: 'action_OTA_HotelResNotif_GuestRequests' }],
        },
      ],
    };
    const modern = await toHub(
      'OTA_Ping:Handshaking',
      `<OTA_PingRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="8.000"><EchoData>${JSON.stringify(ours)}</EchoData></OTA_PingRQ>`,
    );
    expect(readPingResponse(parseOta(modern.body))).toEqual(ours);
    const broken = await toHub(
      'OTA_Ping:Handshaking',
      '<OTA_PingRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="8.000"><EchoData>{}</EchoData></OTA_PingRQ>',
    );
    expect(readOutcome(parseOta(broken.body)).errors[0]!.text).toContain('OTA_PingRQ/EchoData must be');
  });

  it('answers getVersion and getCapabilities, reads the official push samples, and refuses other actions as the protocol says', async () => {
    expect(await toHub('getVersion', undefined, '2017-10')).toEqual({ status: 200, body: 'OK:2020-10' });
    expect((await toHub('getCapabilities', undefined, '2017-10')).body).toBe(
      'OK:action_getVersion,action_getCapabilities,action_OTA_Ping,action_OTA_HotelResNotif_GuestRequests',
    );
    for (const version of ['v_2018_10', 'v_2020_10']) {
      const pushed = await toHub(
        'OTA_HotelResNotif:GuestRequests',
        alpineBitsSample(version, 'GuestRequests-OTA_HotelResNotifRQ-reservation-push.xml'),
      );
      // It follows the schema and is read; its hotel (123, in 2012) is not this connection's, and
      // a push answer that acknowledges nothing goes as a protocol error naming each reservation.
      expect(pushed).toEqual({
        status: 400,
        body: 'ERROR:6b34fe24ac2ff810: hotel 123 is not sold through this connection',
      });
    }
    expect(
      await toHub(
        'OTA_HotelRatePlan:BaseRates',
        alpineBitsSample('v_2020_10', 'BaseRates-OTA_HotelRatePlanRQ.xml'),
      ),
    ).toEqual({
      status: 400,
      body: 'ERROR:unknown or missing action',
    });
  });

  it('has the sandbox OTAs refuse, as real ones do, a message that breaks the AlpineBits schemas', async () => {
    const form = new FormData();
    form.set('action', 'OTA_HotelInvCountNotif:FreeRooms');
    form.set(
      'request',
      alpineBitsSample('v_2020_10', 'FreeRooms-OTA_HotelInvCountNotifRQ.xml').replace(
        /InvTypeCode="[^"]*"/,
        'InvTypeCode="TOO-LONG-CODE"',
      ),
    );
    const response = await fetch(`${hub.sandboxUrl}/alpinebits/ota-a`, {
      method: 'POST',
      body: form,
      headers: {
        Authorization: basicAuthorization('crossdock', process.env.CROSSDOCK_SANDBOX_OTA_PASSWORD!),
        'X-AlpineBits-ClientProtocolVersion': '2020-10',
      },
    });
    const outcome = readOutcome(parseOta(await response.text()));
    expect(outcome.success).toBe(false);
    expect(outcome.errors[0]!.text).toMatch(
      /^schema: line \d+: .*InvTypeCode.*'TOO-LONG-CODE'.*exceeds the allowed maximum length of '8'/,
    );
  });

  it('handshakes with each OTA and sends only what it declared: no deltas, no restrictions, no rates', async () => {
    const codes = { 'ota-a': 'DOUBLE', 'ota-c': 'dbl-room' } as const;
    const ari = async (ota: keyof typeof codes, date: string) =>
      (
        await http.get<{
          dates: Record<
            string,
            { free: number | null; restrictions: unknown; rates: Record<string, string> }
          >;
        }>(`${hub.sandboxUrl}/__sandbox/ota/${ota}/ari`, {
          params: { hotel: propertyId, code: codes[ota], from: date, to: date },
        })
      ).data.dates[date]!;
    const night = addDays(today, 5);
    for (const ota of ['ota-a', 'ota-c'] as const)
      await eventually(`${ota} to show the first complete set`, async () =>
        (await ari(ota, night)).free === 4 ? true : undefined,
      );
    // A change: ota-a (deltas declared) gets a delta, ota-c a complete set it takes whole.
    await holdStay(hub.services.sequelize, {
      tenantId: 'alpine',
      reservationKey: uniqueId('hs-hold'),
      stay: {
        propertyId,
        roomTypeId: 'dbl',
        ratePlanId: 'flex',
        arrival: night,
        departure: addDays(night, 1),
        guests: { adults: 2, children: 0 },
        guest: { name: 'Test' },
      },
    });
    for (const ota of ['ota-a', 'ota-c'] as const)
      await eventually(`${ota} to show the hold`, async () =>
        (await ari(ota, night)).free === 3 ? true : undefined,
      );
    expect(await ari('ota-a', night)).toMatchObject({
      rates: { FLEX: '90.00' },
      restrictions: expect.any(Object),
    });
    expect(await ari('ota-c', night)).toEqual({ free: 3, restrictions: null, rates: {} });
    expect(await refusedByOtaC()).toBe(refusedBefore); // no delta was sent it, so none was refused
  });
});
