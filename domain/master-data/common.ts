import { z } from 'zod';
import { nonBlank } from '../shared/text';
import { fromMinorUnits, moneySchema, toMinorUnits } from '../shared/money';

/** Ids a tenant chooses (locations, properties, room types, rate plans) become parts of URLs. */
export const CODE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const code = z.string().regex(CODE_PATTERN, 'must be 1-64 letters, digits, ".", "_" or "-"');

export const countryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code');
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code');

/** A decimal amount, kept as "140.00" however it was written ("140", "140.0"). */
export const moneyAmount = moneySchema('140.00').transform((amount) => fromMinorUnits(toMinorUnits(amount)));

export const name = nonBlank(200);

/** What a stored record is managed by: the tenant's setup file, or the REST API. */
export const MANAGERS = ['file', 'api'] as const;
export type Manager = (typeof MANAGERS)[number];

/**
 * A value in a canonical form: keys sorted, absent (undefined or null) fields dropped, so the
 * same record read back from PostgreSQL or parsed from a file compares equal.
 */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key];
      if (field !== undefined && field !== null) out[key] = sortKeys(field);
    }
    return out;
  }
  return value;
}

/** The top-level fields whose values differ between two records (both canonicalised). */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((key) => canonical(before[key]) !== canonical(after[key]));
}
