// What the plugin adds to what axios gives back: a response's `boxStatus`, a plain error's fields.

/**
 * Box's status class for an HTTP status, after Box's own status table:
 * 200-299 `success`, 300-399 `redirect` (the client must act), 400-499 `client-error`,
 * 500-599 `server-error`, anything else `unknown`.
 *
 * @example
 * ```ts
 * import { classifyStatus, type BoxStatusKind } from 'axios-box-status';
 *
 * const kind: BoxStatusKind = classifyStatus(404); // 'client-error'
 * ```
 */
export type BoxStatusKind = 'success' | 'redirect' | 'client-error' | 'server-error' | 'unknown';

/**
 * What the plugin learned about a call. Found on `response.boxStatus` of every response the
 * plugin lets through and on `error.boxStatus` of every {@link BoxApiError}.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box);
 * const res = await box.get('/folders/0');
 * const status = res.boxStatus; // { status: 200, kind: 'success', retryable: false, attempts: 1, requestId: '...' }
 * console.log(`${status?.kind} after ${status?.attempts} attempt(s)`);
 * ```
 */
export interface BoxStatus {
  /** HTTP status of the final response. */
  status: number;
  /** Box's status class of {@link BoxStatus.status}; the HTTP status decides, never a body field. */
  kind: BoxStatusKind;
  /**
   * Whether the retry policy treats this status as retryable (the default statuses when retries
   * are off), whether or not this call was retried. A 202 is retryable only with Retry-After.
   */
  retryable: boolean;
  /** Requests sent for this call: 1 when nothing was retried. */
  attempts: number;
  /** Box's request id: the body's `request_id`, else the `box-request-id` header. */
  requestId?: string | undefined;
  /** The final response's Retry-After in milliseconds, when it had a usable one. */
  retryAfterMs?: number | undefined;
  /**
   * Why a retryable final response was not retried (a 202 not polled because the body is a
   * one-shot stream or its Retry-After is too long, a POST 503...); undefined otherwise.
   */
  notRetriedReason?: string | undefined;
  /**
   * Whole milliseconds the call spent waiting, not sending: retry backoffs and Retry-After waits,
   * the shared rate-limit pause, a rate-limit slot, a token refresh. 0 for a response no
   * transport sent (a cache hit).
   */
  waitedMs: number;
  /**
   * Whole milliseconds from the call's start (its request reaching the plugin's adapter) to its
   * settling, attempts and waits included. 0 for a response no transport sent.
   */
  durationMs: number;
}

/**
 * What the plugin adds to the plain axios errors it lets through (network errors, timeouts,
 * cancellations): `(error as AxiosError & BoxPlainErrorFields).boxAttempts`. Not an augmentation
 * of AxiosError, which axios's CommonJS types declare as a type alias that cannot be augmented.
 *
 * @example
 * ```ts
 * import axios, { type AxiosError } from 'axios';
 * import { attachBoxStatus, type BoxPlainErrorFields } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0', timeout: 10_000 });
 * attachBoxStatus(box);
 * await box.get('/users/me').catch((error: unknown) => {
 *   if (!axios.isAxiosError(error)) throw error;
 *   const { boxAttempts, boxNotRetriedReason } = error as AxiosError & BoxPlainErrorFields;
 *   console.log(error.code, boxAttempts, boxNotRetriedReason);
 * });
 * ```
 */
export interface BoxPlainErrorFields {
  /** Requests sent for the call. */
  boxAttempts?: number | undefined;
  /** Why a retryable failure was not retried. */
  boxNotRetriedReason?: string | undefined;
}
