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

/**
 * Turns a partner HTTP error into a Temporal failure with the right retry behaviour:
 * 4xx (but 429) cannot succeed on retry; 429 retries after the partner's Retry-After;
 * 5xx, timeouts and network errors retry with the activity's backoff.
 */
export function classifyHttpError(partner: string, error: unknown): ApplicationFailure {
  if (!(error instanceof AxiosError)) {
    return ApplicationFailure.create({
      message: `${partner}: ${String(error)}`,
      type: PARTNER_UNAVAILABLE,
      cause: error as Error,
    });
  }
  const status = error.response?.status;
  const details = [
    {
      partner,
      status,
      body: error.response?.data as unknown,
      method: error.config?.method,
      url: error.config?.url,
    },
  ];
  if (status === 429) {
    const delay = retryAfterMs(error.response?.headers?.['retry-after']);
    return ApplicationFailure.create({
      message: `${partner} rate-limited the request (429)`,
      type: PARTNER_RATE_LIMITED,
      details,
      nextRetryDelay: delay,
    });
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return ApplicationFailure.create({
      message: `${partner} rejected the request (${status}): ${describeBody(error.response?.data)}`,
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
  if (error.code === AxiosError.ECONNABORTED || error.code === AxiosError.ETIMEDOUT) {
    return ApplicationFailure.create({ message: `${partner} timed out`, type: PARTNER_TIMEOUT, details });
  }
  return ApplicationFailure.create({
    message: `${partner} unreachable: ${error.message}`,
    type: PARTNER_UNAVAILABLE,
    details,
  });
}

function describeBody(body: unknown): string {
  if (body && typeof body === 'object') {
    const error = (body as { error?: { message?: unknown } }).error;
    if (error && typeof error.message === 'string') return error.message;
  }
  return typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body ?? null).slice(0, 200);
}
