import type { InternalAxiosRequestConfig } from 'axios';

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
}

/** How a computed backoff is randomised. */
export type BoxJitter = 'full' | 'equal' | 'none';

/**
 * The retry policy of an instance (`attachBoxStatus(instance, { retry })`), and the fields a
 * request may override through `config.boxRetry`. An `undefined` field keeps the default.
 */
export interface BoxRetryPolicy {
  /**
   * Retries after the first request; a whole number from 0 to 100.
   * @default 4 (5 attempts in all, as Box's own SDKs)
   */
  retries?: number | undefined;
  /**
   * Backoff before retry n is `min(maxDelayMs, baseDelayMs * 2 ** (n - 1))`, then jittered.
   * Set together with `maxDelayMs`, it must not exceed it.
   * @default 1000
   */
  baseDelayMs?: number | undefined;
  /**
   * Cap on one computed backoff wait (Retry-After is capped by `maxRetryAfterMs` instead).
   * At most 2147483647, the longest wait a timer can hold.
   * @default 30000
   */
  maxDelayMs?: number | undefined;
  /**
   * `full`: a random wait in [0, backoff]; `equal`: in [backoff / 2, backoff]; `none`: backoff.
   * Never applied to a Retry-After wait.
   * @default 'full'
   */
  jitter?: BoxJitter | undefined;
  /**
   * A Retry-After up to this long is waited exactly; a longer one gives up at once, and the error
   * (or the 202 response) carries `retryAfterMs` so the caller can schedule the call later.
   * @default 60000
   */
  maxRetryAfterMs?: number | undefined;
  /**
   * Statuses (400-599) that are retried. A 202 with Retry-After is always polled.
   * @default 429 and every 5xx except 501, 505 and 507
   */
  statuses?: readonly number[] | undefined;
  /**
   * Called before each retry's wait, and awaited. It may change `event.config` (a fresh
   * Authorization header, say) and the change is sent. Throwing stops the call with that very
   * error. An abort while it runs rejects the call at once, without waiting for it.
   * @default undefined
   */
  onRetry?: ((event: BoxRetryEvent) => void | Promise<void>) | undefined;
}

/** What `onRetry` receives before each retry. */
export interface BoxRetryEvent {
  /** The attempt about to be sent: 2 for the first retry. */
  attempt: number;
  /** The wait before it, in milliseconds. */
  delayMs: number;
  /** Whether the wait is the server's Retry-After (waited exactly) or a computed backoff. */
  delaySource: 'retry-after' | 'backoff';
  /** Why it is retried: `status 503`, `retry-after` (a 202 not ready yet), `timeout`, `ECONNRESET`... */
  reason: string;
  /** The status of the failed attempt, when it had a response. */
  status?: number | undefined;
  /** The failed attempt's Retry-After in milliseconds, when it had one. */
  retryAfterMs?: number | undefined;
  /** The failed attempt's error: an AxiosError whose `response.data` is still the raw body. */
  error: unknown;
  /** The config the next attempt is sent with; changes made here are sent. */
  config: InternalAxiosRequestConfig;
}

/**
 * Per-request retry settings, as `config.boxRetry`: `false` sends the request once; an object
 * overrides fields of the instance's policy (and turns retries on for this request when the
 * instance has `retry: false`).
 */
export type BoxRequestRetry =
  | false
  | (BoxRetryPolicy & {
      /**
       * Declare a POST or PATCH safe to repeat (an idempotency key, say) so that it is retried like
       * a GET; `false` makes a GET, PUT or DELETE retried only where Box certainly did not act.
       * @default undefined (GET, HEAD, OPTIONS, PUT and DELETE are idempotent; POST and PATCH not)
       */
      idempotent?: boolean | undefined;
    });

/** Options of {@link attachBoxStatus}. */
export interface BoxStatusOptions {
  /**
   * The retry policy, or `false` to classify and convert errors only.
   * @default {} (every field at its default)
   */
  retry?: false | BoxRetryPolicy | undefined;
}

/** What {@link attachBoxStatus} returns. */
export interface BoxStatusHandle {
  /**
   * Remove the plugin: the instance behaves as plain axios again. A call already under way
   * retries no more; one that had not reached its adapter yet goes out as plain axios.
   */
  eject(): void;
}

declare module 'axios' {
  interface AxiosRequestConfig {
    /** Per-request retry settings of axios-box-status. */
    boxRetry?: BoxRequestRetry | undefined;
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
