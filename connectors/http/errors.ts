import { ApplicationFailure } from '@temporalio/common';
import { AxiosError } from 'axios';

/** Failure types a connector raises; workflows and retry policies refer to them by name. */
export const PARTNER_REJECTED = 'PartnerRejected';
export const PARTNER_RATE_LIMITED = 'PartnerRateLimited';
export const PARTNER_UNAVAILABLE = 'PartnerUnavailable';
export const PARTNER_TIMEOUT = 'PartnerTimeout';

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function retryAfterMs(header: unknown, now = Date.now()): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What any HTTP client's error says about the response, if there was one. */
interface HttpErrorFacts {
  status?: number;
  retryAfter?: unknown;
  location?: unknown;
  body?: unknown;
  method?: string;
  url?: string;
  timedOut: boolean;
  message: string;
}

function factsOf(error: unknown): HttpErrorFacts | undefined {
  if (error instanceof AxiosError) {
    return {
      status: error.response?.status,
      retryAfter: error.response?.headers?.['retry-after'],
      location: error.response?.headers?.location,
      body: error.response?.data as unknown,
      method: error.config?.method,
      url: error.config?.url,
      timedOut: error.code === AxiosError.ECONNABORTED || error.code === AxiosError.ETIMEDOUT,
      message: error.message,
    };
  }
  // got (used by shopify-api-node): HTTPError carries `response`, TimeoutError has name and code.
  const got = error as {
    name?: string;
    code?: string;
    message?: string;
    response?: { statusCode?: number; headers?: Record<string, unknown>; body?: unknown };
    options?: { method?: string; url?: URL };
  };
  if (
    got &&
    typeof got === 'object' &&
    (got.name === 'HTTPError' || got.name === 'TimeoutError' || got.name === 'RequestError')
  ) {
    return {
      status: got.response?.statusCode,
      retryAfter: got.response?.headers?.['retry-after'],
      body: got.response?.body,
      method: got.options?.method,
      url: got.options?.url?.pathname,
      timedOut: got.name === 'TimeoutError' || got.code === 'ETIMEDOUT',
      message: got.message ?? String(error),
    };
  }
  return undefined;
}

/**
 * Turns a partner HTTP error into a Temporal failure with the right retry behaviour:
 * 3xx (a redirect, not followed) and 4xx (but 429) cannot succeed on retry; 429 retries after
 * the partner's Retry-After; 5xx, timeouts and network errors retry with the activity's backoff.
 */
export function classifyHttpError(partner: string, error: unknown): ApplicationFailure {
  const facts = factsOf(error);
  if (!facts) {
    return ApplicationFailure.create({
      message: `${partner}: ${String(error)}`,
      type: PARTNER_UNAVAILABLE,
      cause: error as Error,
    });
  }
  const { status } = facts;
  const details = [{ partner, status, body: facts.body, method: facts.method, url: facts.url }];
  if (status === 429) {
    return ApplicationFailure.create({
      message: `${partner} rate-limited the request (429)`,
      type: PARTNER_RATE_LIMITED,
      details,
      nextRetryDelay: retryAfterMs(facts.retryAfter),
    });
  }
  if (status !== undefined && status >= 300 && status < 400) {
    // Partner clients do not follow redirects: the connector's base URL is out of date.
    return ApplicationFailure.create({
      message: `${partner} answered with a redirect (${status}) to ${String(facts.location)}: check the connector's base URL`,
      type: PARTNER_REJECTED,
      details,
      nonRetryable: true,
    });
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return ApplicationFailure.create({
      message: `${partner} rejected the request (${status}): ${describeBody(facts.body)}`,
      type: PARTNER_REJECTED,
      details,
      nonRetryable: true,
    });
  }
  if (status !== undefined) {
    return ApplicationFailure.create({
      message: `${partner} failed (${status})`,
      type: PARTNER_UNAVAILABLE,
      details,
    });
  }
  if (facts.timedOut) {
    return ApplicationFailure.create({ message: `${partner} timed out`, type: PARTNER_TIMEOUT, details });
  }
  return ApplicationFailure.create({
    message: `${partner} unreachable: ${facts.message}`,
    type: PARTNER_UNAVAILABLE,
    details,
  });
}

/** The partner's HTTP status inside a classified failure, for connectors that treat one as an answer. */
export function partnerStatus(failure: unknown): number | undefined {
  if (!(failure instanceof ApplicationFailure)) return undefined;
  return (failure.details?.[0] as { status?: number } | undefined)?.status;
}

/**
 * What the partner answered when it refused a request (a classified 4xx): status and body, for
 * connectors that recognise one refusal among others. Undefined for any other failure.
 */
export function partnerRefusal(failure: unknown): { status?: number; body?: unknown } | undefined {
  if (!(failure instanceof ApplicationFailure) || failure.type !== PARTNER_REJECTED) return undefined;
  return failure.details?.[0] as { status?: number; body?: unknown } | undefined;
}

/**
 * The partner's own words for a refusal, from each partner's error shape: EasyPost's `error`
 * (with `errors[]` naming fields), QuickBooks' `Fault.Error[]` (with `element`), Xero's
 * `Elements[].ValidationErrors[]`, Square's `errors[]` (with `field`), Shopify's `errors`.
 */
export function describeBody(body: unknown): string {
  if (body && typeof body === 'object') {
    const json = body as Record<string, unknown>;
    const error = json.error as
      { message?: unknown; errors?: Array<{ field?: string; message?: string }> } | undefined;
    if (error && typeof error.message === 'string')
      return [
        error.message,
        ...(error.errors ?? []).map((e) => `${e.field ? `${e.field}: ` : ''}${e.message ?? ''}`),
      ].join('; ');
    const fault = json.Fault as
      { Error?: Array<{ Message?: string; Detail?: string; element?: string; code?: string }> } | undefined;
    if (fault?.Error?.length)
      return fault.Error.map(
        (e) =>
          `${e.element ? `${e.element}: ` : ''}${e.Detail ?? e.Message ?? ''}${e.code ? ` (${e.code})` : ''}`,
      ).join('; ');
    const elements = json.Elements as Array<{ ValidationErrors?: Array<{ Message?: string }> }> | undefined;
    if (elements?.length)
      return (
        elements.flatMap((e) => (e.ValidationErrors ?? []).map((v) => v.Message ?? '')).join('; ') ||
        String(json.Message)
      );
    const errors = json.errors;
    if (Array.isArray(errors) && errors.every((e) => e && typeof e === 'object' && 'detail' in e))
      return (errors as Array<{ detail?: string; field?: string; code?: string }>)
        .map((e) => `${e.field ? `${e.field}: ` : ''}${e.detail ?? ''}${e.code ? ` (${e.code})` : ''}`)
        .join('; ');
    if (errors !== undefined) return JSON.stringify(errors).slice(0, 300);
    if (typeof json.Detail === 'string') return json.Detail;
  }
  return typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body ?? null).slice(0, 200);
}
