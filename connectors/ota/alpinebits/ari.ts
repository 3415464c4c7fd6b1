import { isCalendarDate } from '../../../domain/stays/dates';
import type { NightRestrictions } from '../../../domain/channels/ari';
import { attr, buildOta, child, children, OtaMessageError, type OtaDocument } from './xml';

/**
 * Restrictions and rates as OpenTravel's ARI messages carry them: `OTA_HotelAvailNotifRQ` with
 * a length of stay and a restriction status per range (stop-sell = Master closed, closed to
 * arrival or departure), and `OTA_HotelRateAmountNotifRQ` with an amount per rate plan and range.
 */
export interface RestrictionRange extends NightRestrictions {
  start: string;
  /** Inclusive. */
  end: string;
  invTypeCode: string;
}

export interface RateRange {
  start: string;
  end: string;
  invTypeCode: string;
  ratePlanCode: string;
  amount: string;
  currency: string;
}

const RESTRICTIONS = {
  Master: 'closed',
  Arrival: 'closedToArrival',
  Departure: 'closedToDeparture',
} as const;

export function buildRestrictionsNotif(message: { hotelCode: string; items: RestrictionRange[] }): string {
  return buildOta(
    'OTA_HotelAvailNotifRQ',
    {
      AvailStatusMessages: {
        '@HotelCode': message.hotelCode,
        // One restriction status per message, as OpenTravel allows; lengths of stay ride on the first.
        AvailStatusMessage: message.items.flatMap((item) =>
          (Object.keys(RESTRICTIONS) as Array<keyof typeof RESTRICTIONS>).map((restriction, i) => ({
            StatusApplicationControl: {
              '@Start': item.start,
              '@End': item.end,
              '@InvTypeCode': item.invTypeCode,
            },
            ...(i === 0
              ? {
                  LengthsOfStay: {
                    LengthOfStay: [
                      {
                        '@Time': String(item.minLos ?? 1),
                        '@TimeUnit': 'Day',
                        '@MinMaxMessageType': 'SetMinLOS',
                      },
                      // 0: no maximum.
                      {
                        '@Time': String(item.maxLos ?? 0),
                        '@TimeUnit': 'Day',
                        '@MinMaxMessageType': 'SetMaxLOS',
                      },
                    ],
                  },
                }
              : {}),
            RestrictionStatus: [
              { '@Status': item[RESTRICTIONS[restriction]] ? 'Close' : 'Open', '@Restriction': restriction },
            ],
          })),
        ),
      },
    },
    '4',
  );
}

/** Reads restrictions back into ranges (what an OTA does with the message). */
export function decodeRestrictionsNotif(doc: OtaDocument): RestrictionRange[] {
  if (doc.type !== 'OTA_HotelAvailNotifRQ')
    throw new OtaMessageError([`${doc.type} carries no restrictions`]);
  const problems: string[] = [];
  const ranges = new Map<string, RestrictionRange>();
  children(child(doc.root, 'AvailStatusMessages'), 'AvailStatusMessage').forEach((message, index) => {
    const where = `AvailStatusMessage ${index + 1}`;
    const control = child(message, 'StatusApplicationControl');
    const start = attr(control, 'Start') ?? '';
    const end = attr(control, 'End') ?? '';
    const invTypeCode = attr(control, 'InvTypeCode') ?? '';
    if (!isCalendarDate(start) || !isCalendarDate(end) || start > end || !invTypeCode) {
      problems.push(`${where}: StatusApplicationControl needs Start, End and InvTypeCode`);
      return;
    }
    const key = `${invTypeCode} ${start} ${end}`;
    const range = ranges.get(key) ?? {
      start,
      end,
      invTypeCode,
      closed: false,
      closedToArrival: false,
      closedToDeparture: false,
      minLos: null,
      maxLos: null,
    };
    for (const los of children(child(message, 'LengthsOfStay'), 'LengthOfStay')) {
      const time = Number(attr(los, 'Time'));
      if (attr(los, 'MinMaxMessageType') === 'SetMinLOS') range.minLos = time > 1 ? time : null;
      if (attr(los, 'MinMaxMessageType') === 'SetMaxLOS') range.maxLos = time > 0 ? time : null;
    }
    for (const status of children(message, 'RestrictionStatus')) {
      const field = RESTRICTIONS[attr(status, 'Restriction') as keyof typeof RESTRICTIONS];
      if (!field) problems.push(`${where}: Restriction must be Master, Arrival or Departure`);
      else range[field] = attr(status, 'Status') === 'Close';
    }
    ranges.set(key, range);
  });
  if (problems.length > 0) throw new OtaMessageError(problems);
  return [...ranges.values()];
}

export function buildRateAmountNotif(message: { hotelCode: string; items: RateRange[] }): string {
  return buildOta(
    'OTA_HotelRateAmountNotifRQ',
    {
      RateAmountMessages: {
        '@HotelCode': message.hotelCode,
        RateAmountMessage: message.items.map((item) => ({
          StatusApplicationControl: {
            '@Start': item.start,
            '@End': item.end,
            '@InvTypeCode': item.invTypeCode,
            '@RatePlanCode': item.ratePlanCode,
          },
          Rates: {
            Rate: [
              {
                BaseByGuestAmts: {
                  BaseByGuestAmt: [{ '@AmountAfterTax': item.amount, '@CurrencyCode': item.currency }],
                },
              },
            ],
          },
        })),
      },
    },
    '4',
  );
}

export function decodeRateAmountNotif(doc: OtaDocument): RateRange[] {
  if (doc.type !== 'OTA_HotelRateAmountNotifRQ') throw new OtaMessageError([`${doc.type} carries no rates`]);
  const problems: string[] = [];
  const ranges = children(child(doc.root, 'RateAmountMessages'), 'RateAmountMessage').map(
    (message, index) => {
      const control = child(message, 'StatusApplicationControl');
      const amount = child(
        child(child(child(message, 'Rates'), 'Rate'), 'BaseByGuestAmts'),
        'BaseByGuestAmt',
      );
      const range = {
        start: attr(control, 'Start') ?? '',
        end: attr(control, 'End') ?? '',
        invTypeCode: attr(control, 'InvTypeCode') ?? '',
        ratePlanCode: attr(control, 'RatePlanCode') ?? '',
        amount: attr(amount, 'AmountAfterTax') ?? '',
        currency: attr(amount, 'CurrencyCode') ?? '',
      };
      if (!isCalendarDate(range.start) || !isCalendarDate(range.end) || range.start > range.end)
        problems.push(
          `RateAmountMessage ${index + 1}: Start and End must be dates with Start on or before End`,
        );
      if (!range.invTypeCode || !range.ratePlanCode)
        problems.push(`RateAmountMessage ${index + 1}: InvTypeCode and RatePlanCode are required`);
      if (!/^\d+(\.\d{1,2})?$/.test(range.amount))
        problems.push(`RateAmountMessage ${index + 1}: AmountAfterTax must be an amount`);
      return range;
    },
  );
  if (problems.length > 0) throw new OtaMessageError(problems);
  return ranges;
}
