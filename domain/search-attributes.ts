import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

/**
 * Custom search attributes that ops filter by in the Temporal UI, e.g.
 * `CrossdockTenant = "acme" AND CrossdockStatus = "rejected"`.
 * Registered on the dev server at start and on real clusters by the worker.
 */
export const SA_TENANT = defineSearchAttributeKey('CrossdockTenant', SearchAttributeType.KEYWORD);
export const SA_CHANNEL = defineSearchAttributeKey('CrossdockChannel', SearchAttributeType.KEYWORD);
export const SA_ORDER_ID = defineSearchAttributeKey('CrossdockOrderId', SearchAttributeType.KEYWORD);
export const SA_STATUS = defineSearchAttributeKey('CrossdockStatus', SearchAttributeType.KEYWORD);

/** Set on return workflows only (which also carry the order id they belong to). */
export const SA_RMA_ID = defineSearchAttributeKey('CrossdockRmaId', SearchAttributeType.KEYWORD);

/** Set on reservation workflows: the reservation and the property it is for. */
export const SA_RESERVATION_ID = defineSearchAttributeKey(
  'CrossdockReservationId',
  SearchAttributeType.KEYWORD,
);
export const SA_PROPERTY = defineSearchAttributeKey('CrossdockPropertyId', SearchAttributeType.KEYWORD);
/** A stay's arrival and departure dates (midnight UTC of each date), for listings and ops' filters. */
export const SA_ARRIVAL = defineSearchAttributeKey('CrossdockArrival', SearchAttributeType.DATETIME);
export const SA_DEPARTURE = defineSearchAttributeKey('CrossdockDeparture', SearchAttributeType.DATETIME);

/** An order's total (Double, for sorting and ranges; the exact amount stays in the order) and currency. */
export const SA_TOTAL = defineSearchAttributeKey('CrossdockTotal', SearchAttributeType.DOUBLE);
export const SA_CURRENCY = defineSearchAttributeKey('CrossdockCurrency', SearchAttributeType.KEYWORD);
/** The partner connector a process waits on now (a carrier for moving parcels, a store for payment). */
export const SA_CONNECTOR = defineSearchAttributeKey('CrossdockConnector', SearchAttributeType.KEYWORD);
/** True while a process waits for a person (an exception, an overbooked stay, an approval, a set-aside). */
export const SA_NEEDS_ATTENTION = defineSearchAttributeKey(
  'CrossdockNeedsAttention',
  SearchAttributeType.BOOL,
);
/** When the process entered its current status: "waiting for more than a day" is a filter on it. */
export const SA_WAITING_SINCE = defineSearchAttributeKey(
  'CrossdockWaitingSince',
  SearchAttributeType.DATETIME,
);

/** A calendar date as the Datetime search attributes hold it. */
export function dateAttribute(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/**
 * The attributes that find each process, from the fields of its view that fill them, in the order
 * they are set: by the intake at start, or by the process itself when something else started it.
 */
const IDENTIFYING_ATTRIBUTES = {
  order: { tenantId: SA_TENANT, channel: SA_CHANNEL, id: SA_ORDER_ID, status: SA_STATUS },
  return: { tenantId: SA_TENANT, orderId: SA_ORDER_ID, id: SA_RMA_ID, status: SA_STATUS },
  reservation: { tenantId: SA_TENANT, channel: SA_CHANNEL, id: SA_RESERVATION_ID, propertyId: SA_PROPERTY },
} as const;
type IdentifiedProcess = keyof typeof IDENTIFYING_ATTRIBUTES;

/** The search attributes that find a process of this kind, filled from its identifying fields. */
export function searchIdentity<K extends IdentifiedProcess>(
  kind: K,
  fields: Record<keyof (typeof IDENTIFYING_ATTRIBUTES)[K], string>,
): SearchAttributePair[] {
  return Object.entries(IDENTIFYING_ATTRIBUTES[kind]).map(([field, key]) => ({
    key,
    value: fields[field as keyof typeof fields],
  }));
}

export const ALL_SEARCH_ATTRIBUTES = [
  SA_TENANT,
  SA_CHANNEL,
  SA_ORDER_ID,
  SA_STATUS,
  SA_RMA_ID,
  SA_RESERVATION_ID,
  SA_PROPERTY,
  SA_ARRIVAL,
  SA_DEPARTURE,
  SA_TOTAL,
  SA_CURRENCY,
  SA_CONNECTOR,
  SA_NEEDS_ATTENTION,
  SA_WAITING_SINCE,
];
