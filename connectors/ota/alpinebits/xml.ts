import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/** OpenTravel message roots the hub reads or writes, as AlpineBits uses them. */
export const OTA_MESSAGE_TYPES = [
  'OTA_PingRQ',
  'OTA_PingRS',
  'OTA_HotelAvailNotifRQ',
  'OTA_HotelAvailNotifRS',
  'OTA_HotelInvCountNotifRQ',
  'OTA_HotelInvCountNotifRS',
  'OTA_HotelRateAmountNotifRQ',
  'OTA_HotelRateAmountNotifRS',
  'OTA_HotelResNotifRQ',
  'OTA_HotelResNotifRS',
  'OTA_ReadRQ',
  'OTA_ResRetrieveRS',
  'OTA_NotifReportRQ',
  'OTA_NotifReportRS',
  'OTA_HotelDescriptiveContentNotifRQ',
  'OTA_HotelDescriptiveContentNotifRS',
  'OTA_HotelDescriptiveInfoRQ',
  'OTA_HotelDescriptiveInfoRS',
  'OTA_HotelRatePlanNotifRQ',
  'OTA_HotelRatePlanNotifRS',
  'OTA_HotelRatePlanRQ',
  'OTA_HotelRatePlanRS',
  'OTA_HotelPostEventNotifRQ',
  'OTA_HotelPostEventNotifRS',
] as const;
export type OtaMessageType = (typeof OTA_MESSAGE_TYPES)[number];

/** A message that breaks the XML, OpenTravel or AlpineBits rules; each problem names what and where. */
export class OtaMessageError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'OtaMessageError';
  }
}

export type XmlNode = { [name: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlNode[] | string[] | undefined;

/** Elements that may repeat: always arrays, so one and many read the same. */
const REPEATING = new Set([
  'AvailStatusMessage',
  'Inventory',
  'InvCount',
  'RateAmountMessage',
  'Rate',
  'BaseByGuestAmt',
  'HotelReservation',
  'RoomStay',
  'RoomType',
  'RatePlan',
  'GuestCount',
  'ResGuest',
  'Error',
  'Warning',
  'HotelReadRequest',
  'LengthOfStay',
  'RestrictionStatus',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  textNodeName: '#text',
  isArray: (name) => REPEATING.has(name),
});

export interface OtaDocument {
  type: OtaMessageType;
  /** The message's `Version` attribute, as sent. */
  version?: string;
  root: XmlNode;
}

/** Parses an OpenTravel message; malformed XML or an unknown root is refused with the reason. */
export function parseOta(xml: string): OtaDocument {
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true)
    throw new OtaMessageError([`malformed XML at line ${wellFormed.err.line}: ${wellFormed.err.msg}`]);
  const parsed = parser.parse(xml) as XmlNode;
  const names = Object.keys(parsed).filter((k) => !k.startsWith('?') && k !== '#text');
  if (names.length !== 1) throw new OtaMessageError(['expected exactly one root element']);
  const type = names[0]!;
  if (!(OTA_MESSAGE_TYPES as readonly string[]).includes(type))
    throw new OtaMessageError([`${type} is not an OpenTravel message the hub knows`]);
  const root = (typeof parsed[type] === 'object' ? parsed[type] : {}) as XmlNode;
  return { type: type as OtaMessageType, version: attr(root, 'Version'), root };
}

/** An attribute's value, or undefined. */
export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[`@${name}`];
  return typeof value === 'string' ? value : undefined;
}

/** A child element (the first, if it repeats); an empty element reads as `{}`. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  const value = node?.[name];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'object' ? first : first === '' ? {} : { '#text': first };
}

/** Every child element of a name, in document order. */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) =>
    typeof v === 'object' ? v : v === '' ? {} : { '#text': v },
  );
}

/** The element's text content, trimmed. */
export function text(node: XmlNode | undefined): string | undefined {
  if (!node) return undefined;
  const value = node['#text'];
  return typeof value === 'string' ? value.trim() : undefined;
}

/** True when an element carries neither attributes nor children. */
export function isEmpty(node: XmlNode): boolean {
  return Object.keys(node).length === 0;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  format: true,
  suppressEmptyNode: true,
  textNodeName: '#text',
});

export const OTA_NAMESPACE = 'http://www.opentravel.org/OTA/2003/05';

/** Serialises a message with the OpenTravel namespace and an XML declaration. */
export function buildOta(type: OtaMessageType, body: XmlNode, version: string): string {
  const root = { '@xmlns': OTA_NAMESPACE, '@Version': version, ...body };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [type]: root }) as string}`;
}
