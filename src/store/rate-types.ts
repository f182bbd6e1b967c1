import type { InternalAxiosRequestConfig } from 'axios';

/**
 * One window a request must find room in: at most `max` requests in any `perMs` milliseconds.
 * What a {@link BoxStateStore}'s `acquire` is asked about.
 *
 * @example
 * ```ts
 * import { createMemoryStore, type BoxRateWindow } from 'axios-box-status';
 *
 * const searches: BoxRateWindow = { name: 'searches per second', max: 6, perMs: 1000 };
 * const store = createMemoryStore();
 * const waitMs = await store.acquire('default', [searches]); // 0: a slot was taken
 * ```
 */
export interface BoxRateWindow {
  /** The rule's name: the window's key, within a scope. */
  readonly name: string;
  /** The most requests in the window. */
  readonly max: number;
  /** The window's length, in milliseconds. */
  readonly perMs: number;
}

/**
 * A rate limit the plugin keeps to (`rateLimit.rules`), in every scope.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, BOX_RATE_LIMITS, type BoxRateRule } from 'axios-box-status';
 *
 * const metadata: BoxRateRule = { name: 'metadata queries', max: 10, perMs: 1000, match: (config) => /\/metadata_queries\//.test(config.url ?? '') };
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box, { rateLimit: { rules: [...BOX_RATE_LIMITS, metadata] } });
 * ```
 */
export interface BoxRateRule {
  /** Names the rule's window: unique among the rules. */
  name: string;
  /** The most requests of one scope, matching the rule, in any window of `perMs`. A whole number from 1. */
  max: number;
  /** The window, in milliseconds. */
  perMs: number;
  /**
   * Which requests count: `all`; `upload` (a POST to `/files/content` or `/files/:id/content`, or
   * any request to `upload.box.com`); `search` (a request to `/search`); or a function of the
   * request's config.
   * @default 'all'
   */
  match?: 'all' | 'upload' | 'search' | ((config: InternalAxiosRequestConfig) => boolean) | undefined;
}

/**
 * A rule's window as a store paces it now, in one scope: what `store.status().limits` and
 * `handle.stats().rateLimits` report.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, type BoxEffectiveLimit } from 'axios-box-status';
 *
 * const handle = attachBoxStatus(axios.create({ baseURL: 'https://api.box.com/2.0' }), { rateLimit: true });
 * // Rules Box has lately held below their max (after a 429), per user.
 * const lowered: BoxEffectiveLimit[] = handle.stats().rateLimits.filter((limit) => limit.effectiveMax < limit.max);
 * ```
 */
export interface BoxEffectiveLimit {
  /** Whose limit it is (the Box user). */
  scope: string;
  /** The rule's name. */
  name: string;
  /** The rule's `max`. */
  max: number;
  /**
   * The max kept to now: `max`, or, after a 429 met by a request the rule counts, 0.7 of the
   * effective max then (at least 1), climbing back by one for each window after the 429's pause.
   */
  effectiveMax: number;
  /** The rule's window, in milliseconds. */
  perMs: number;
}
