import type { BoxEffectiveLimit, BoxRateWindow } from './rate-types.js';
import type { BoxTokenStore } from './token-store-types.js';

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
export interface BoxStateStore extends BoxPacingStore, BoxTokenStore {}

/**
 * What an attachment keeps in a store: the pauses and the windows ({@link BoxPauseStore} and
 * {@link BoxWindowStore}). A store of your own for `attachBoxStatus({ store })` needs only these.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, createMemoryStore, type BoxPacingStore } from 'axios-box-status';
 *
 * // Two instances that wait out each other's pauses, and log each one Box asks for.
 * const inner = createMemoryStore();
 * const store: BoxPacingStore = {
 *   pauseMs: (scope) => inner.pauseMs(scope),
 *   pause: (scope, ms) => {
 *     console.log(`Box asked ${scope} to pause ${ms} ms`);
 *     inner.pause(scope, ms);
 *   },
 *   acquire: (scope, windows, heedPause, slot) => inner.acquire(scope, windows, heedPause, slot),
 * };
 * attachBoxStatus(axios.create({ baseURL: 'https://api.box.com/2.0' }), { store });
 * attachBoxStatus(axios.create({ baseURL: 'https://upload.box.com/api/2.0' }), { store });
 * ```
 */
export interface BoxPacingStore extends BoxPauseStore, BoxWindowStore {}

/**
 * The rate-limit pauses of a store, per scope: one part of a {@link BoxStateStore}.
 *
 * @example
 * ```ts
 * import { createMemoryStore, type BoxPauseStore } from 'axios-box-status';
 *
 * const pauses: BoxPauseStore = createMemoryStore();
 * pauses.pause('user-1', 2000);
 * console.log(pauses.pauseMs('user-1')); // about 2000
 * ```
 */
export interface BoxPauseStore {

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
}

/**
 * The pacer's sliding windows of a store, per scope: one part of a {@link BoxStateStore}.
 *
 * @example
 * ```ts
 * import { createMemoryStore, type BoxWindowStore } from 'axios-box-status';
 *
 * const windows: BoxWindowStore = createMemoryStore();
 * const waitMs = await windows.acquire('user-1', [{ name: 'calls', max: 10, perMs: 1000 }]);
 * console.log(waitMs); // 0: a slot was taken
 * ```
 */
export interface BoxWindowStore {
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
   * answered, as if 10 s (or a window, when longer) after its slot (it may not have arrived yet);
   * then at its slot plus `lagMs`, shared by everything that shares the store. To a store without
   * it, `acquire` is given windows already widened by the attachment's own latency margin.
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
}
