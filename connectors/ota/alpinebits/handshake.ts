import { attr, buildOta, child, children, OtaMessageError, text, type OtaDocument } from './xml';

/**
 * AlpineBits Handshaking (since 2018-10): the client sends `OTA_Ping:Handshaking` with an
 * `OTA_PingRQ` whose EchoData is JSON naming every version, action and capability it supports;
 * the server answers with the intersection in a Warning of Type 11, Status `ALPINEBITS_HANDSHAKE`,
 * and echoes the client's EchoData. Each side then uses only what both declared.
 */
export const HANDSHAKE_ACTION = 'OTA_Ping:Handshaking';

/** FreeRooms capabilities AlpineBits 2020-10 names in a handshake. */
export const FREE_ROOMS = 'action_OTA_HotelInvCountNotif_FreeRooms';
export const FREE_ROOMS_DELTAS = 'OTA_HotelInvCountNotif_accept_deltas';
export const FREE_ROOMS_CATEGORIES = 'OTA_HotelInvCountNotif_accept_categories';
export const GUEST_REQUESTS_PULL = 'action_OTA_Read';
export const GUEST_REQUESTS_PUSH = 'action_OTA_HotelResNotif_GuestRequests';
/**
 * Restrictions and rates as this hub sends them are not AlpineBits actions (AlpineBits carries
 * them in RatePlans): they go only to an OTA that names these in its handshake.
 */
export const RESTRICTIONS_EXTENSION = 'action_OTA_HotelAvailNotif_Restrictions';
export const RATES_EXTENSION = 'action_OTA_HotelRateAmountNotif_Rates';

export interface HandshakeAction {
  action: string;
  supports?: string[];
}

export interface HandshakeVersion {
  version: string;
  actions: HandshakeAction[];
}

export interface Handshake {
  versions: HandshakeVersion[];
}

/** What the hub serves to OTAs that push to it: the handshake itself and reservation pushes. */
export const HUB_AS_SERVER: Handshake = {
  versions: ['2020-10', '2018-10'].map((version) => ({
    version,
    actions: [{ action: 'action_OTA_Ping' }, { action: GUEST_REQUESTS_PUSH }],
  })),
};

/** What the hub sends to an OTA as a client (AlpineBits 2020-10 FreeRooms, GuestRequests pull). */
export const HUB_AS_CLIENT: Handshake = {
  versions: [
    {
      version: '2020-10',
      actions: [
        { action: 'action_OTA_Ping' },
        { action: FREE_ROOMS, supports: [FREE_ROOMS_CATEGORIES, FREE_ROOMS_DELTAS] },
        { action: GUEST_REQUESTS_PULL },
        { action: RESTRICTIONS_EXTENSION },
        { action: RATES_EXTENSION },
      ],
    },
  ],
};

/** What both sides support: the versions both name, in each the actions both name, their common capabilities. */
export function intersectHandshakes(ours: Handshake, theirs: Handshake): Handshake {
  const versions: HandshakeVersion[] = [];
  for (const mine of ours.versions) {
    const other = theirs.versions.find((v) => v.version === mine.version);
    if (!other) continue;
    const actions = mine.actions.flatMap((action) => {
      const match = other.actions.find((a) => a.action === action.action);
      if (!match) return [];
      const supports = (action.supports ?? []).filter((s) => (match.supports ?? []).includes(s));
      return [{ action: action.action, ...(supports.length ? { supports } : {}) }];
    });
    if (actions.length > 0) versions.push({ version: mine.version, actions });
  }
  return { versions };
}

/** The handshake JSON in a message's text, refused with the reason when it is not one. */
export function parseHandshakeJson(json: string | undefined, where: string): Handshake {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json ?? '');
  } catch {
    throw new OtaMessageError([`${where} is not JSON`]);
  }
  const versions = (parsed as { versions?: unknown }).versions;
  const valid =
    Array.isArray(versions) &&
    versions.every(
      (v: { version?: unknown; actions?: unknown }) =>
        typeof v?.version === 'string' &&
        Array.isArray(v.actions) &&
        (v.actions as Array<{ action?: unknown; supports?: unknown }>).every(
          (a) =>
            typeof a?.action === 'string' &&
            (a.supports === undefined ||
              (Array.isArray(a.supports) && a.supports.every((s) => typeof s === 'string'))),
        ),
    );
  if (!valid)
    throw new OtaMessageError([
      `${where} must be {"versions": [{"version", "actions": [{"action", "supports"?}]}]}`,
    ]);
  return parsed as Handshake;
}

/** The client's declaration in an `OTA_PingRQ`, and its EchoData as sent (to be echoed back). */
export function readPingRequest(doc: OtaDocument): { declared: Handshake; echo: string } {
  if (doc.type !== 'OTA_PingRQ') throw new OtaMessageError([`a handshake is an OTA_PingRQ, not ${doc.type}`]);
  const echo = text(child(doc.root, 'EchoData'));
  return { declared: parseHandshakeJson(echo, 'OTA_PingRQ/EchoData'), echo: echo ?? '' };
}

export function buildPingRequest(ours: Handshake, version = '8.000'): string {
  return buildOta('OTA_PingRQ', { EchoData: JSON.stringify(ours) }, version);
}

/** The server's answer: what both support, and the client's EchoData as it came. */
export function buildPingResponse(agreed: Handshake, echo: string, version = '8.000'): string {
  return buildOta(
    'OTA_PingRS',
    {
      Success: '',
      Warnings: {
        Warning: [{ '@Type': '11', '@Status': 'ALPINEBITS_HANDSHAKE', '#text': JSON.stringify(agreed) }],
      },
      EchoData: echo,
    },
    version,
  );
}

/** What the server agreed to, from its `OTA_PingRS`. */
export function readPingResponse(doc: OtaDocument): Handshake {
  if (doc.type !== 'OTA_PingRS')
    throw new OtaMessageError([`a handshake is answered by OTA_PingRS, not ${doc.type}`]);
  const errors = children(child(doc.root, 'Errors'), 'Error').map((e) => text(e) ?? '');
  if (errors.length) throw new OtaMessageError([`the handshake was refused: ${errors.join('; ')}`]);
  const warning = children(child(doc.root, 'Warnings'), 'Warning').find(
    (w) => attr(w, 'Type') === '11' && attr(w, 'Status') === 'ALPINEBITS_HANDSHAKE',
  );
  if (!warning) throw new OtaMessageError(['OTA_PingRS carries no ALPINEBITS_HANDSHAKE warning']);
  return parseHandshakeJson(text(warning), 'OTA_PingRS/Warnings/Warning');
}

/** Whether an agreed handshake lets a version use an action (and, when named, a capability of it). */
export function agreed(handshake: Handshake, version: string, action: string, capability?: string): boolean {
  const found = handshake.versions
    .find((v) => v.version === version)
    ?.actions.find((a) => a.action === action);
  return Boolean(found) && (capability === undefined || Boolean(found!.supports?.includes(capability)));
}

/** The actions of versions before 2018-10 (`getVersion`, `getCapabilities`): the plain-text answers. */
export function legacyAnswer(action: string, handshake: Handshake): string | undefined {
  if (action === 'getVersion') return `OK:${handshake.versions[0]?.version ?? ''}`;
  if (action === 'getCapabilities') {
    const actions = new Set(['action_getVersion', 'action_getCapabilities']);
    for (const version of handshake.versions) for (const a of version.actions) actions.add(a.action);
    return `OK:${[...actions].join(',')}`;
  }
  return undefined;
}
