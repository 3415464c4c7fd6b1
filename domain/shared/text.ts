import { z } from 'zod';

/**
 * PostgreSQL stores the NUL character (U+0000) in neither text nor JSON: text that arrives with
 * one (a partner's webhook; the REST API refuses it at its door with 422) is refused by the
 * schema, so an order becomes `rejected` naming the field instead of failing to be stored. A rule
 * a JSON Schema pattern could state, kept out of the documents' patterns (one pattern a field).
 */
const storable = (text: string) => !text.includes('\u0000');
const NUL_REFUSED = 'must not contain the NUL character (U+0000)';

/**
 * Free text that must say something: trimmed, then 1 to `max` characters. Its JSON Schema
 * carries `pattern: \S` too, so a client reading the OpenAPI document knows that blank (spaces,
 * tabs) is refused like empty.
 */
export function nonBlank(max: number) {
  return z.string().trim().min(1).max(max).regex(/\S/, 'must not be blank').refine(storable, NUL_REFUSED);
}

/** Free text of at most `max` characters (trimmed first when asked) that can be stored. */
export function storableText(max: number, options: { trim?: boolean } = {}) {
  return (options.trim ? z.string().trim() : z.string()).max(max).refine(storable, NUL_REFUSED);
}
