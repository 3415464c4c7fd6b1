import { z } from 'zod';

/**
 * Free text that must say something: trimmed, then 1 to `max` characters. Its JSON Schema
 * carries `pattern: \S` too, so a client reading the OpenAPI document knows that blank (spaces,
 * tabs) is refused like empty.
 */
export function nonBlank(max: number) {
  return z.string().trim().min(1).max(max).regex(/\S/, 'must not be blank');
}
