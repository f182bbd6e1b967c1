import type { InternalAxiosRequestConfig } from 'axios';

/**
 * What `onRetry` receives before each retry. `JSON.stringify(event)` shows its config as the
 * method and the redacted URL only.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, type BoxRetryEvent } from 'axios-box-status';
 *
 * const onRetry = (event: BoxRetryEvent) =>
 *   console.warn(`Box ${event.reason}: attempt ${event.attempt} in ${Math.round(event.delayMs)} ms (${event.delaySource})`);
 * attachBoxStatus(axios.create({ baseURL: 'https://api.box.com/2.0' }), { retry: { onRetry } });
 * ```
 */
export interface BoxRetryEvent {
  /** The attempt about to be sent: 2 for the first retry. */
  attempt: number;
  /**
   * The wait before it, in milliseconds, as planned when the retry was granted (a rate-limit
   * pause that begins later may hold the retry longer).
   */
  delayMs: number;
  /**
   * Where the wait comes from: the failed attempt's own Retry-After (waited exactly), a computed
   * backoff, the instance's shared rate-limit pause when that ends later than either, or (for the
   * one re-send after a 401, reason `unauthorized`) the token refresh it waits for, which
   * `delayMs` (0) does not count.
   */
  delaySource: 'retry-after' | 'backoff' | 'rate-limit' | 'refresh';
  /**
   * Why it is retried: `status 503`, `retry-after` (a 202 not ready yet), `timeout`, `ECONNRESET`...,
   * or `unauthorized` (the re-send after a 401, with a refreshed token).
   */
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
