import {
  agreed,
  buildPingRequest,
  buildPingResponse,
  intersectHandshakes,
  legacyAnswer,
  readPingRequest,
  readPingResponse,
  type Handshake,
  type HandshakeAction,
} from '../../connectors/ota/alpinebits/handshake';
import { parseOta } from '../../connectors/ota/alpinebits/xml';
import { alpineBitsSample } from '../support/alpinebits-samples';

const PING: HandshakeAction = { action: 'action_OTA_Ping' };

/** FreeRooms with the given `OTA_HotelInvCountNotif_accept_…` capabilities. */
function freeRooms(...accepts: string[]): HandshakeAction {
  return {
    action: 'action_OTA_HotelInvCountNotif_FreeRooms',
    supports: accepts.map((what) => `OTA_HotelInvCountNotif_accept_${what}`),
  };
}

/** A handshake of the versions named, in the order named, each with its actions. */
function handshake(versions: Record<string, HandshakeAction[]>): Handshake {
  return { versions: Object.entries(versions).map(([version, actions]) => ({ version, actions })) };
}

describe('AlpineBits handshaking', () => {
  it('reads the official OTA_PingRQ and OTA_PingRS samples of 2018-10 and 2020-10', () => {
    for (const version of ['v_2018_10', 'v_2020_10']) {
      const request = readPingRequest(parseOta(alpineBitsSample(version, 'Handshake-OTA_PingRQ.xml')));
      expect(request.declared.versions[0]!.actions.map((a) => a.action)).toContain('action_OTA_Ping');
      const response = readPingResponse(parseOta(alpineBitsSample(version, 'Handshake-OTA_PingRS.xml')));
      expect(response.versions[0]!.actions.map((a) => a.action)).toContain('action_OTA_Ping');
    }
  });

  it('answers the intersection: versions both name, actions both name, capabilities both name', () => {
    const ours = handshake({
      '2020-10': [PING, freeRooms('categories', 'deltas'), { action: 'action_OTA_Read' }],
      '2018-10': [PING],
    });
    const theirs = handshake({
      '2020-10': [
        PING,
        freeRooms('categories', 'rooms'),
        { action: 'action_OTA_HotelRatePlanNotif_RatePlans' },
      ],
      '2017-10': [PING],
    });
    const both = intersectHandshakes(ours, theirs);
    expect(both).toEqual(handshake({ '2020-10': [PING, freeRooms('categories')] }));
    expect(
      agreed(
        both,
        '2020-10',
        'action_OTA_HotelInvCountNotif_FreeRooms',
        'OTA_HotelInvCountNotif_accept_deltas',
      ),
    ).toBe(false);
    expect(agreed(both, '2020-10', 'action_OTA_HotelInvCountNotif_FreeRooms')).toBe(true);
    expect(agreed(both, '2020-10', 'action_OTA_Read')).toBe(false);
  });

  it('builds a request and an answer that read back the same, echoing the client’s EchoData', () => {
    const ours = handshake({ '2020-10': [PING] });
    const request = readPingRequest(parseOta(buildPingRequest(ours)));
    expect(request.declared).toEqual(ours);
    const answer = parseOta(buildPingResponse(ours, request.echo));
    expect(readPingResponse(answer)).toEqual(ours);
    expect(
      JSON.parse(String((answer.root.EchoData as { '#text'?: string } | string | undefined) ?? '{}')),
    ).toEqual(ours);
  });

  it('refuses an OTA_PingRQ whose EchoData is not a handshake, naming why', () => {
    const broken =
      '<OTA_PingRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="8.000"><EchoData>{"nope": 1}</EchoData></OTA_PingRQ>';
    expect(() => readPingRequest(parseOta(broken))).toThrow('OTA_PingRQ/EchoData must be {"versions"');
    const notJson =
      '<OTA_PingRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="8.000"><EchoData>hello</EchoData></OTA_PingRQ>';
    expect(() => readPingRequest(parseOta(notJson))).toThrow('OTA_PingRQ/EchoData is not JSON');
  });

  it('answers the getVersion and getCapabilities of clients older than 2018-10', () => {
    const ours = handshake({ '2020-10': [PING, { action: 'action_OTA_HotelResNotif_GuestRequests' }] });
    expect(legacyAnswer('getVersion', ours)).toBe('OK:2020-10');
    expect(legacyAnswer('getCapabilities', ours)).toBe(
      'OK:action_getVersion,action_getCapabilities,action_OTA_Ping,action_OTA_HotelResNotif_GuestRequests',
    );
    expect(legacyAnswer('OTA_Read:GuestRequests', ours)).toBeUndefined();
  });
});
