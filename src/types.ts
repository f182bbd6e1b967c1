import type { InternalAxiosRequestConfig } from 'axios';
import type { BoxAuth } from './auth-types.js';
import type { BoxRateRule, BoxStateStore } from './store-types.js';
import type { BoxRequestRetry, BoxRetryPolicy } from './policy-types.js';
import type { BoxAxiosInstance } from './typed-instance.js';

/**
 * Box's status class for an HTTP status, after Box's own status table:
 * 200-299 `success`, 300-399 `redirect` (the client must act), 400-499 `client-error`,
 * 500-599 `server-error`, anything else `unknown`.
 */
export type BoxStatusKind = 'success' | 'redirect' | 'client-error' | 'server-error' | 'unknown';

/**
 * What the plugin learned about a call. Found on `response.boxStatus` of every response the
 * plugin lets through and on `error.boxStatus` of every {@link BoxApiError}.
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

/** Options of {@link attachBoxStatus}. */
export interface BoxStatusOptions {
  /**
   * The retry policy, or `false` to classify and convert errors only.
   * @default {} (every field at its default)
   */
  retry?: false | BoxRetryPolicy | undefined;
  /**
   * A managed access token (`createBoxAuth`): every attempt to one of its origins carries it, a
   * missing or expiring one is refreshed first, and a 401 to it is refreshed once and re-sent
   * once. One BoxAuth may serve several instances.
   * @default undefined (requests carry whatever Authorization the caller gives them)
   */
  auth?: BoxAuth | undefined;
  /**
   * Where the pauses and the rate limits' windows are kept. Give several attachments (or, with
   * `createRedisStore`, several processes) one store and they wait out each other's pauses and
   * share each other's limits.
   * @default a memory store of the attachment's own (createMemoryStore())
   */
  store?: BoxStateStore | undefined;
  /**
   * Whose limits a request counts against: Box keeps its limits per user.
   * @default the request's `As-User` header, else `'default'`
   */
  scope?: ((config: InternalAxiosRequestConfig) => string) | undefined;
  /**
   * Keep to rate limits before Box has to refuse: a request waits for a slot in each of the
   * windows it counts in (abortably, within its deadline) instead of being sent into a 429.
   * `true`: Box's documented per-user limits (`BOX_RATE_LIMITS`); `{ rules }`: your own.
   * @default false
   */
  rateLimit?: boolean | { rules?: readonly BoxRateRule[] | undefined } | undefined;
}

/** What {@link attachBoxStatus} returns. */
export interface BoxStatusHandle {
  /**
   * Remove the plugin: the instance behaves as plain axios again. A call already under way
   * retries no more (a retry waiting for its backoff is not sent: the failure it was for settles
   * the call, with `notRetriedReason: 'the plugin was ejected'`); one that had not reached its
   * adapter yet goes out as plain axios.
   */
  eject(): void;
  /**
   * Counts since attach, and the state of the budget and of the shared pause. A fresh object on
   * each call, cheap enough to poll for metrics.
   */
  stats(): BoxStatusStats;
  /**
   * The instance attached to, typed so that its responses' `boxStatus` is not optional (the same
   * object: `handle.instance === instance`).
   */
  readonly instance: BoxAxiosInstance;
}

/** What {@link BoxStatusHandle.stats} returns. */
export interface BoxStatusStats {
  /** Calls the plugin has run. */
  calls: number;
  /** Requests sent for those calls, retries and re-sends included. */
  attempts: number;
  /**
   * Retries sent (202 polls included). `attempts - retries - resends` is the number of calls that
   * sent at least one request (a call cancelled or ended by its deadline during a pause may send
   * none).
   */
  retries: number;
  /** Retries refused because the budget held too few tokens. */
  retriesRefusedByBudget: number;
  /** Calls that `deadlineMs` ended (a retry it refused, or an attempt or a wait it cut short). */
  callsEndedByDeadline: number;
  /**
   * Re-sends after a 401 with a refreshed token (`auth`): attempts, but not retries.
   */
  resends: number;
  /** Tokens in the budget now; undefined when the budget is off. */
  tokens: number | undefined;
  /** The budget's `maxTokens`; undefined when the budget is off. */
  maxTokens: number | undefined;
  /** Milliseconds until the shared rate-limit pause ends (the longest, of any scope); 0 when none is in force. */
  rateLimitPauseMs: number;
}

declare module 'axios' {
  interface AxiosRequestConfig {
    /** Per-request retry settings of axios-box-status. */
    boxRetry?: BoxRequestRetry | undefined;
    /**
     * `false`: axios-box-status sends this request as the caller made it, without the managed
     * token, and its 401 refreshes nothing (a token endpoint called through the same instance).
     */
    boxAuth?: false | undefined;
  }
  interface AxiosResponse {
    /** Set by axios-box-status on every response it lets through. */
    boxStatus?: BoxStatus | undefined;
  }
}

/**
 * What the plugin adds to the plain axios errors it lets through (network errors, timeouts,
 * cancellations): `(error as AxiosError & BoxPlainErrorFields).boxAttempts`. Not an augmentation
 * of AxiosError, which axios's CommonJS types declare as a type alias that cannot be augmented.
 */
export interface BoxPlainErrorFields {
  /** Requests sent for the call. */
  boxAttempts?: number | undefined;
  /** Why a retryable failure was not retried. */
  boxNotRetriedReason?: string | undefined;
}
