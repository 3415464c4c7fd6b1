import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The `Authorization` header of HTTP Basic auth. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Actions of the protocol before 2018-10 that a server still answers. */
export const LEGACY_ACTIONS = ['getVersion', 'getCapabilities'];

export type AlpineBitsRequest =
  { action: string; request: string; version: string } | { status: 400 | 401; error: string };

/**
 * An AlpineBits server's reading of an HTTP request: Basic auth, the client's protocol version
 * header, and the multipart/form-data parameters `action` and `request`. A protocol error comes
 * back with the status and the text to answer as `ERROR:<text>`.
 */
export async function readAlpineBitsRequest(
  headers: IncomingHttpHeaders,
  body: Buffer,
  expectedAuthorization: string,
): Promise<AlpineBitsRequest> {
  if (!sameSecret(headers.authorization ?? '', expectedAuthorization))
    return { status: 401, error: 'invalid username or password' };
  const version = headers['x-alpinebits-clientprotocolversion'];
  if (typeof version !== 'string' || !version)
    return { status: 400, error: 'missing X-AlpineBits-ClientProtocolVersion' };
  let form: FormData;
  try {
    form = await new Response(body, {
      headers: { 'content-type': String(headers['content-type'] ?? '') },
    }).formData();
  } catch {
    return { status: 400, error: 'the body must be multipart/form-data' };
  }
  const action = form.get('action');
  const request = form.get('request');
  if (typeof action !== 'string') return { status: 400, error: 'the action parameter is missing' };
  // Before 2018-10, getVersion and getCapabilities came without a request document.
  if (typeof request !== 'string' && !LEGACY_ACTIONS.includes(action))
    return { status: 400, error: 'the request parameter is missing' };
  return { action, request: typeof request === 'string' ? request : '', version };
}
