import type { InternalAxiosRequestConfig } from 'axios';
import type { BoxAuth } from './auth/types.js';
import type { BoxEffectiveLimit, BoxRateRule } from './store/rate-types.js';
import type { BoxPacingStore } from './store/store-types.js';
import type { BoxRequestRetry, BoxRetryPolicy } from './options/retry-policy.js';
import type { BoxAxiosInstance } from './box-axios-instance.js';
import type { BoxStatus } from './status-types.js';

// What a response and a plain error carry is status-types.ts.
export type { BoxPlainErrorFields, BoxStatus, BoxStatusKind } from './status-types.js';

/**
 * Options of {@link attachBoxStatus}. Every field is optional; `undefined` keeps the default.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, type BoxStatusOptions } from 'axios-box-status';
 *
 * const options: BoxStatusOptions = {
 *   retry: { retries: 3, deadlineMs: 30_000 },
 *   rateLimit: true,
 *   scope: (config) => String(config.headers.get('As-User') ?? 'service account'),
 * };
 * attachBoxStatus(axios.create({ baseURL: 'https://api.box.com/2.0' }), options);
 * ```
 */
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
  store?: BoxPacingStore | undefined;
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
  rateLimit?:
    | boolean
    | {
        /** The rules to keep to. @default BOX_RATE_LIMITS */
        rules?: readonly BoxRateRule[] | undefined;
      }
    | undefined;
}

/**
 * What {@link attachBoxStatus} returns.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * const handle = attachBoxStatus(box);
 * console.log(handle.stats().calls);
 * handle.eject(); // plain axios again
 * ```
 */
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

/**
 * What {@link BoxStatusHandle.stats} returns.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * const handle = attachBoxStatus(box);
 * setInterval(() => {
 *   const { calls, retries, retriesRefusedByBudget, tokens, rateLimitPauseMs } = handle.stats();
 *   console.log({ calls, retries, retriesRefusedByBudget, tokens, rateLimitPauseMs });
 * }, 60_000).unref();
 * ```
 */
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
  /** Whole milliseconds until the shared rate-limit pause ends, rounded down (the longest, of any scope); 0 when none is in force. */
  rateLimitPauseMs: number;
  /**
   * The `rateLimit` rules as paced now, per scope used lately: each one's effective max (cut by a
   * 429, climbing back by one a window), as the store keeps it (for a shared store, the fleet's).
   * Empty without `rateLimit`, or with a store that keeps none (no `limits()`).
   */
  rateLimits: BoxEffectiveLimit[];
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
