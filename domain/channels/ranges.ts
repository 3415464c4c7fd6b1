import { addDays } from '../stays/dates';

export interface DatedValue<K extends string, V> {
  key: K;
  date: string;
  value: V;
}

export interface DatedRange<K extends string, V> {
  key: K;
  start: string;
  /** Inclusive, as OpenTravel ranges are. */
  end: string;
  value: V;
}

/**
 * Merges per-date values into ranges: consecutive dates of one key with an equal value become
 * one range, so a channel gets one line per run instead of one per night. Input order is free.
 */
export function toRanges<K extends string, V>(
  values: Array<DatedValue<K, V>>,
  equal: (a: V, b: V) => boolean = (a, b) => a === b,
): Array<DatedRange<K, V>> {
  const sorted = [...values].sort((a, b) =>
    a.key === b.key ? (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) : a.key < b.key ? -1 : 1,
  );
  const ranges: Array<DatedRange<K, V>> = [];
  for (const { key, date, value } of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && last.key === key && addDays(last.end, 1) === date && equal(last.value, value))
      last.end = date;
    else ranges.push({ key, start: date, end: date, value });
  }
  return ranges;
}

/**
 * Ranges grouped into messages of at most `limit` ranges, a room type never split across two
 * (its nights are acknowledged together); a room type with more ranges than the limit goes alone.
 * Room types keep the order they first appear in, and each one's ranges their own order.
 */
export function inMessages<R>(ranges: R[], roomTypeOf: (range: R) => string, limit: number): R[][] {
  const byType = new Map<string, R[]>();
  for (const range of ranges) {
    const type = roomTypeOf(range);
    byType.set(type, [...(byType.get(type) ?? []), range]);
  }
  const messages: R[][] = [];
  let current: R[] = [];
  for (const group of byType.values()) {
    if (current.length > 0 && current.length + group.length > limit) {
      messages.push(current);
      current = [];
    }
    current = [...current, ...group];
  }
  if (current.length > 0) messages.push(current);
  return messages;
}
