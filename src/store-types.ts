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

/**
 * A token as a store keeps it for every process that shares it: what a {@link BoxStateStore}
 * of your own reads and writes.
 *
 * @example
 * ```ts
 * import { createMemoryStore, type BoxStoredToken } from 'axios-box-status';
 *
 * const store = createMemoryStore();
 * const token: BoxStoredToken = { accessToken: 'a token', expiresAt: Date.now() + 3_600_000, issuedAt: Date.now() };
 * await store.writeToken('ccg:my-app', token);
 * ```
 */
export interface BoxStoredToken {
  /** The access token. */
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt?: number | undefined;
  /** The refresh token that came with it (OAuth 2.0), for whichever process refreshes next. */
  refreshToken?: string | undefined;
  /**
   * When it was issued, in epoch milliseconds: with `expiresAt`, its whole lifetime, by which every
   * process times its refresh (a short-lived token is refreshed at half its life).
   */
  issuedAt?: number | undefined;
}

/**
 * Where the state that calls share is kept, per scope (whose limits a request counts against: a
 * Box user): the rate-limit pause, the pacer's windows, and a BoxAuth's token and refresh lock.
 * `createMemoryStore()` keeps it in one process (the default, private to each attachment);
 * `createRedisStore()` (`axios-box-status/redis`) shares it across processes. A store never fails
 * a call: what it cannot share it keeps locally.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, createMemoryStore, type BoxStateStore } from 'axios-box-status';
 *
 * // A store of your own may wrap one: here, counting the pauses Box asked for.
 * const inner = createMemoryStore();
 * let pauses = 0;
 * const store: BoxStateStore = {
 *   ...inner,
 *   pause(scope, ms) {
 *     pauses += 1;
 *     inner.pause(scope, ms);
 *   },
 * };
 * attachBoxStatus(axios.create({ baseURL: 'https://api.box.com/2.0' }), { store });
 * ```
 */
export interface BoxStateStore {
  /**
   * Milliseconds the pause of `scope` still runs, 0 when none; without a scope, the longest pause
   * of any scope. Asked before every send, so it answers at once (a store shared across processes
   * keeps a local mirror of the pauses).
   */
  pauseMs(scope?: string): number;
  /**
   * Make sure `pauseMs(scope)` knows the pause that the store's sharers hold for `scope`: asked
   * before each request of `scope` is sent. A store shared across processes reads it on the scope's
   * first use (and again when its news may have been missed), so that a process that starts, or
   * first acts for a user, during a pause does not send into it; undefined when it knows already.
   * Never rejects. A store without it has every pause at hand.
   */
  learnPause?(scope: string): void | Promise<void>;
  /** Make `scope` pause at least `ms` from now: a longer pause in force is never shortened. */
  pause(scope: string, ms: number): void;
  /**
   * Take one slot in each of `windows` for a request of `scope`, when every one has room (then
   * the request counts in all of them), and answer 0; else take none, and answer how many
   * milliseconds to wait before asking again. A store may also answer a wait while the scope is
   * paused (a pause it learnt of before this process did), unless `heedPause` is false: the
   * request is one that ignores pauses (`shareRateLimit: false`). `slot`, when given, names the
   * slot taken, for `reportLag`.
   */
  acquire(scope: string, windows: readonly BoxRateWindow[], heedPause?: boolean, slot?: object): number | Promise<number>;
  /**
   * The request of `scope` that took `slot` in `windows` was answered (or failed) `lagMs` after it
   * asked for it: it reached Box, if it did, within that time of its slot. A store with this
   * method counts each request as Box does, by when it arrives, at the latest it may have: until
   * answered, as if a whole window after its slot (it may not have arrived yet); then at its slot
   * plus `lagMs`, shared by everything that shares the store. To a store without it, `acquire` is
   * given windows already widened by the attachment's own latency margin.
   */
  reportLag?(scope: string, windows: readonly BoxRateWindow[], lagMs: number, slot?: object): void | Promise<void>;
  /**
   * A request of `scope` that took a slot in `windows` met a 429 (after its pause, if any, was
   * set): Box enforces less than their max now. A store with this method lowers their effective
   * max, for everything that shares it (adaptive limits).
   */
  rateLimited?(scope: string, windows: readonly BoxRateWindow[]): void | Promise<void>;
  /**
   * The rules as paced now (each one's effective max, per scope): of `scope`, or without one, of
   * every scope used lately. Answers at once.
   */
  limits?(scope?: string): BoxEffectiveLimit[];
  /** The token kept under `key`, if any. */
  readToken(key: string): BoxStoredToken | undefined | Promise<BoxStoredToken | undefined>;
  /** Keep `token` under `key`, for every process that shares the store. */
  writeToken(key: string, token: BoxStoredToken): void | Promise<void>;
  /**
   * Take the refresh lock of `key` for at most `ttlMs`: true when this caller now holds it (and
   * refreshes), false when another does (and this one waits for its token). `owner` names the
   * holder (a BoxAuth's refresh): only it may renew or release the lock. A store written before
   * owners existed may ignore it.
   */
  lockRefresh(key: string, ttlMs: number, owner?: string): boolean | Promise<boolean>;
  /** Release the refresh lock of `key`, if `owner` (or, without an owner, this caller) holds it. */
  unlockRefresh(key: string, owner?: string): void | Promise<void>;
  /**
   * Extend the refresh lock of `key` to `ttlMs` from now, when `owner` still holds it (true);
   * false when it lapsed or another holds it. A BoxAuth renews its lock while its refresh runs,
   * so that the lock can be short: a process that dies holding it blocks the others only until
   * it lapses. A store without this method is given locks as long as `refreshTimeoutMs`.
   */
  renewRefresh?(key: string, ttlMs: number, owner: string): boolean | Promise<boolean>;
}
