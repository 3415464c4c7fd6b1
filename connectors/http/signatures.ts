import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of a payload, in the encoding the partner uses. */
export function hmacSha256(secret: string, payload: Buffer | string, encoding: 'base64' | 'hex'): string {
  return createHmac('sha256', secret).update(payload).digest(encoding);
}

/** Compares a presented signature with the expected one in constant time. */
export function signaturesMatch(expected: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
