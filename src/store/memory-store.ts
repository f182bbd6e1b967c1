import { PENDING_MS } from '../pacing/adaptive-limits.js';
import { ScopedPauses } from '../pacing/pause.js';
import { SlidingWindows } from '../pacing/sliding-window.js';
import type { BoxEffectiveLimit, BoxRateWindow } from './rate-types.js';
import type { BoxStateStore } from './store-types.js';
import type { BoxStoredToken } from './token-store-types.js';
import { clock } from '../util/wait.js';

/**
 * A BoxStateStore in this process's memory: what an attachment has by default (one of its own).
 * Give one to several attachments (`attachBoxStatus(instance, { store })`) and BoxAuths to make
 * them share their pauses, windows, adaptive limits and tokens.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, createMemoryStore } from 'axios-box-status';
 *
 * // Two instances acting for one Box user: a 429 on either pauses both.
 * const store = createMemoryStore();
 * const api = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * const upload = axios.create({ baseURL: 'https://upload.box.com/api/2.0' });
 * attachBoxStatus(api, { store, rateLimit: true });
 * attachBoxStatus(upload, { store, rateLimit: true });
 * ```
 */
export function createMemoryStore(): BoxStateStore {
  return localStore();
}

/**
 * The state of this process, keeping to `share()` of each limit: all of it for a memory store;
 * for a Redis store while Redis is away, this process's part of what the fleet shares.
 */
export function localStore(
  share: () => number = () => 1,
): BoxStateStore & {
  readToken(key: string): BoxStoredToken | undefined;
  renewRefresh(key: string, ttlMs: number, owner: string): boolean;
  reportLag(scope: string, windows: readonly BoxRateWindow[], lagMs: number, slot?: object): void;
  rateLimited(scope: string, windows: readonly BoxRateWindow[]): void;
  limits(scope?: string): BoxEffectiveLimit[];
} {
  const pauses = new ScopedPauses();
  const windows = new SlidingWindows();
  /** The slots taken and not yet answered: when, and the time each window counts each at until then. */
  const slots = new WeakMap<object, { takenAt: number; countedAt: number[] }>();
  const tokens = new Map<string, BoxStoredToken>();
  /** Refresh locks: when each expires, on the monotonic clock, and whose it is. */
  const locks = new Map<string, { until: number; owner: string | undefined }>();
  const holder = (key: string) => {
    const lock = locks.get(key);
    return lock && lock.until > clock() ? lock : undefined;
  };
  return {
    pauseMs: (scope) => pauses.pauseMs(scope),
    pause: (scope, ms) => pauses.pause(scope, ms),
    acquire(scope, rules, _heedPause, slot) {
      const now = clock();
      // A slot the caller names is pending until reportLag settles it.
      const wait = windows.acquire(scope, rules, now, share(), slot !== undefined);
      if (wait === 0 && slot) slots.set(slot, { takenAt: now, countedAt: rules.map((window) => now + Math.max(PENDING_MS, window.perMs)) });
      return wait;
    },
    reportLag(scope, rules, lagMs, slot) {
      const taken = slot && slots.get(slot);
      if (!taken) return;
      slots.delete(slot);
      windows.settle(scope, rules, taken.countedAt, taken.takenAt + lagMs);
    },
    // The pause this 429 set is already in force: the limit climbs back from its end.
    rateLimited: (scope, rules) => windows.rateLimited(scope, rules, clock(), pauses.pauseMs(scope)),
    limits: (scope) => windows.limits(scope, clock()),
    readToken: (key) => tokens.get(key),
    writeToken: (key, token) => void tokens.set(key, { ...token }),
    lockRefresh(key, ttlMs, owner) {
      if (holder(key)) return false;
      locks.set(key, { until: clock() + ttlMs, owner });
      return true;
    },
    renewRefresh(key, ttlMs, owner) {
      const lock = holder(key);
      if (!lock || lock.owner !== owner) return false;
      lock.until = clock() + ttlMs;
      return true;
    },
    unlockRefresh(key, owner) {
      // A lock taken without an owner (by a caller that knows none) is anyone's to release.
      const lock = locks.get(key);
      if (lock?.owner === undefined || lock.owner === owner) locks.delete(key);
    },
  };
}
