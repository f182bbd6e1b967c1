import { ScopedPauses } from './pause.js';
import { SlidingWindows } from './sliding-window.js';
import type { BoxStateStore, BoxStoredToken } from './store-types.js';
import { clock } from './wait.js';

/**
 * A BoxStateStore in this process's memory: what an attachment has by default (one of its own).
 * Give one to several attachments (`attachBoxStatus(instance, { store })`) and BoxAuths to make
 * them share their pauses, windows and tokens.
 */
export function createMemoryStore(): BoxStateStore {
  return localStore();
}

/**
 * The state of this process, keeping to `share()` of each limit: all of it for a memory store;
 * for a Redis store while Redis is away, this process's part of what the fleet shares.
 */
export function localStore(share: () => number = () => 1): BoxStateStore & { readToken(key: string): BoxStoredToken | undefined } {
  const pauses = new ScopedPauses();
  const windows = new SlidingWindows();
  const tokens = new Map<string, BoxStoredToken>();
  /** Refresh locks: when each expires, on the monotonic clock. */
  const locks = new Map<string, number>();
  return {
    pauseMs: (scope) => pauses.pauseMs(scope),
    pause: (scope, ms) => pauses.pause(scope, ms),
    acquire: (scope, rules) => windows.acquire(scope, rules, clock(), share()),
    readToken: (key) => tokens.get(key),
    writeToken: (key, token) => void tokens.set(key, { ...token }),
    lockRefresh(key, ttlMs) {
      const now = clock();
      if ((locks.get(key) ?? 0) > now) return false;
      locks.set(key, now + ttlMs);
      return true;
    },
    unlockRefresh: (key) => void locks.delete(key),
  };
}
