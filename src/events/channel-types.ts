import type { BoxAuthRefreshReason } from '../auth/types.js';
import type { BoxRetryEvent } from '../options/retry-policy.js';

/**
 * What `axios-box-status:retry` tells: a retry, or a 401's re-send, is about to wait and go.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * import { BOX_CHANNELS, type BoxRetryMessage } from 'axios-box-status';
 *
 * diagnostics_channel.subscribe(BOX_CHANNELS.retry, (message) => {
 *   const retry = message as BoxRetryMessage;
 *   console.log(`${retry.method} ${retry.url}: attempt ${retry.attempt} in ${retry.delayMs} ms (${retry.status ?? retry.code})`);
 * });
 * ```
 */
export interface BoxRetryMessage {
  /** The request's method, upper case. */
  method: string;
  /** The request's URL (base joined), credential-like query values redacted. */
  url: string | undefined;
  /** The attempt about to be sent: 2 for the first retry. */
  attempt: number;
  /** The status of the failed attempt, when it had a response. */
  status?: number | undefined;
  /** The transport's code of the failed attempt (`ECONNRESET`, `ECONNREFUSED`...), when it had no response. */
  code?: string | undefined;
  /** Whole milliseconds it waits before the attempt (rounded up). */
  delayMs: number;
  /** What the wait is: as `onRetry`'s {@link BoxRetryEvent.delaySource}. */
  delaySource: BoxRetryEvent['delaySource'];
  /** Why it is retried: `status 503`, `retry-after`, `ECONNRESET`, `timeout`, `unauthorized`... */
  reason: string;
}

/**
 * What `axios-box-status:pause` tells: a response made its scope pause.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * import { BOX_CHANNELS, type BoxPauseMessage } from 'axios-box-status';
 *
 * diagnostics_channel.subscribe(BOX_CHANNELS.pause, (message) => {
 *   const { scope, ms, status } = message as BoxPauseMessage;
 *   console.warn(`Box answered ${status}: requests for ${scope} wait ${ms} ms`);
 * });
 * ```
 */
export interface BoxPauseMessage {
  /** Whose limits: the `scope` option's answer (by default the `As-User` header, else `'default'`). */
  scope: string;
  /** Whole milliseconds the pause lasts from now (rounded up). */
  ms: number;
  /** The status that paused it: 429, or a 503 with Retry-After. */
  status: number;
}

/**
 * What `axios-box-status:wait` tells: a request waits before it is sent.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * import { BOX_CHANNELS, type BoxWaitMessage } from 'axios-box-status';
 *
 * let waitedMs = 0;
 * diagnostics_channel.subscribe(BOX_CHANNELS.wait, (message) => {
 *   waitedMs += (message as BoxWaitMessage).ms;
 * });
 * ```
 */
export interface BoxWaitMessage {
  /** Whose limits the request counts against. */
  scope: string;
  /** Whole milliseconds it waits (rounded up). */
  ms: number;
  /** What holds it: the scope's rate-limit pause, or the wait for a slot under `rateLimit`. */
  holder: 'pause' | 'rate-limit';
}

/**
 * What `axios-box-status:refresh` tells: a BoxAuth's token refresh ended.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * import { BOX_CHANNELS, type BoxRefreshMessage } from 'axios-box-status';
 *
 * diagnostics_channel.subscribe(BOX_CHANNELS.refresh, (message) => {
 *   const { reason, ok, durationMs } = message as BoxRefreshMessage;
 *   if (!ok) console.error(`token refresh (${reason}) failed after ${durationMs} ms`);
 * });
 * ```
 */
export interface BoxRefreshMessage {
  /** Why it ran. */
  reason: BoxAuthRefreshReason;
  /** Whether it gave a token. */
  ok: boolean;
  /** Whole milliseconds it took. */
  durationMs: number;
}

/**
 * What `axios-box-status:give-up` tells: a call ends with an error.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * import { BOX_CHANNELS, type BoxGiveUpMessage } from 'axios-box-status';
 *
 * diagnostics_channel.subscribe(BOX_CHANNELS.giveUp, (message) => {
 *   const { method, url, attempts, reason } = message as BoxGiveUpMessage;
 *   console.error(`gave up on ${method} ${url} after ${attempts} attempt(s): ${reason}`);
 * });
 * ```
 */
export interface BoxGiveUpMessage {
  /** The request's method, upper case. */
  method: string;
  /** The request's URL (base joined), credential-like query values redacted. */
  url: string | undefined;
  /** Requests sent for the call. */
  attempts: number;
  /**
   * Why it ends: the error's `notRetriedReason` when it has one (the deadline, the budget, a
   * write Box may have acted on...), else `retries exhausted`, `not retryable`, `retries are
   * off`, `cancelled` or `the token refresh failed`.
   */
  reason: string;
  /** The final status, when the call ends with a response (a Box error). */
  status?: number | undefined;
  /** The transport's code, when it ends without one (`ECONNREFUSED`, `ETIMEDOUT`...). */
  code?: string | undefined;
}
