import type { HeldToken } from './options.js';
import type { BoxStoredToken, BoxTokenStore } from '../store/token-store-types.js';
import { waitMs } from '../util/wait.js';

/** How often a process that waits for another's refresh looks for its token in the store. */
const STORE_POLL_MS = 25;
/**
 * The longest a refresh lock lasts unrenewed: a holder that dies blocks the others this long at
 * most. A quarter of refreshTimeoutMs when that is shorter, so that the lease of a short refresh
 * is renewed a few times over rather than outliving it.
 */
const LEASE_MS = 5000;
const SHORTEST_LEASE_MS = 100;
/** How long one store call may take before the refresh carries on without it. */
const STORE_CALL_MS = 1000;

/** What a refresh shared through a store needs of the BoxAuth. */
export interface SharedRefresh {
  readonly store: BoxTokenStore;
  readonly key: string;
  /** Names this refresh as the lock's holder. */
  readonly owner: string;
  /** Aborted when the refresh is abandoned: it stops waiting, and stops renewing its lock. */
  readonly signal: AbortSignal;
  /** The lock's length for a store that cannot renew it (the refresh's whole time). */
  readonly refreshTimeoutMs: number;
  /** Whether the store's token serves (another process's, not the one being replaced, not due). */
  usable(token: BoxStoredToken): boolean;
  /** What the store's token teaches (another process's refresh token). */
  learn(token: BoxStoredToken): void;
  /** Refresh in this process. */
  refresh(): Promise<HeldToken>;
}

/**
 * A store call that never fails the refresh nor holds it: what it throws, or an answer slower
 * than STORE_CALL_MS, gives `fallback`. A store that is away then costs a fleet its sharing, not
 * its calls, as the Redis store's own fallback does.
 */
export async function quietly<T>(call: () => T | Promise<T>, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(call),
      new Promise<T>((resolve) => {
        timer = setTimeout(resolve, STORE_CALL_MS, fallback);
      }),
    ]);
  } catch {
    return fallback;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A token newer than the one being replaced, through the store: the one another process put there
 * when it serves; else refreshed here under the store's lock, a lease of at most LEASE_MS renewed
 * while the refresh runs and let lapse once it is abandoned; else (another process holds the lock)
 * the one that process puts there, or, should it die, refreshed here once its lease lapses.
 */
export async function obtainShared(shared: SharedRefresh): Promise<HeldToken & { fromStore?: boolean }> {
  const { store, key, owner, signal } = shared;
  const renewable = typeof store.renewRefresh === 'function';
  const ttlMs = renewable ? Math.max(SHORTEST_LEASE_MS, Math.min(LEASE_MS, shared.refreshTimeoutMs / 4)) : shared.refreshTimeoutMs;
  const fromStore = async (): Promise<(HeldToken & { fromStore: true }) | undefined> => {
    const token = await quietly(() => store.readToken(key), undefined);
    if (token) shared.learn(token);
    return token && shared.usable(token) ? { expiresAt: undefined, ...token, fromStore: true } : undefined;
  };
  for (;;) {
    const found = await fromStore();
    if (found) return found;
    signal.throwIfAborted();
    // A store whose lock cannot be had (it threw, it hangs) leaves this process to refresh alone.
    if (await quietly(() => store.lockRefresh(key, ttlMs, owner), true)) {
      const renewal = renewable ? setInterval(() => void quietly(() => store.renewRefresh?.(key, ttlMs, owner), false), ttlMs / 3) : undefined;
      const stop = (): void => clearInterval(renewal);
      signal.addEventListener('abort', stop);
      try {
        // The process that held the lock before may have written its token since the read above.
        return (await fromStore()) ?? (await shared.refresh());
      } finally {
        stop();
        signal.removeEventListener('abort', stop);
        await quietly(() => store.unlockRefresh(key, owner), undefined);
      }
    }
    await waitMs(STORE_POLL_MS, signal, undefined);
  }
}
