import type { BoxRateWindow } from './store-types.js';

/** One scope's requests in one rule's window, oldest first, kept for twice the window. */
interface Log {
  readonly times: number[];
  keepMs: number;
}

/** How many acquires between two sweeps of the logs of scopes that went quiet. */
const SWEEP_EVERY = 1024;

/**
 * Sliding windows kept in this process: per scope and rule, the times of the requests it let
 * through. In no window of `perMs` does a scope count more than `max` (times `share`: the part of
 * each limit this process keeps to, when it shares the limit with others it cannot reach).
 *
 * A window's `perMs` may vary a little from one request to the next (the pacer widens it by the
 * latency it sees), so times are kept for twice the window, not forgotten the moment a narrower
 * window would let them go.
 */
export class SlidingWindows {
  readonly #logs = new Map<string, Log>();
  #untilSweep = SWEEP_EVERY;

  /**
   * Count a request of `scope` in every window, when each has room: 0. Else count it in none, and
   * answer the milliseconds until the fullest one has room.
   */
  acquire(scope: string, windows: readonly BoxRateWindow[], now: number, share = 1): number {
    if ((this.#untilSweep -= 1) <= 0) this.#sweep(now);
    let wait = 0;
    const logs: Log[] = [];
    for (const window of windows) {
      const key = `${scope}\n${window.name}`;
      let log = this.#logs.get(key);
      if (!log) {
        log = { times: [], keepMs: 0 };
        this.#logs.set(key, log);
      }
      log.keepMs = Math.max(log.keepMs, 2 * window.perMs);
      const { times } = log;
      let expired = 0;
      while (expired < times.length && (times[expired] as number) <= now - log.keepMs) expired += 1;
      if (expired > 0) times.splice(0, expired);
      // Those within the window are the newest: count back from the end.
      let inWindow = 0;
      while (inWindow < times.length && (times[times.length - 1 - inWindow] as number) > now - window.perMs) inWindow += 1;
      const max = Math.max(1, Math.floor(window.max * share));
      // Room comes when the oldest of the last `max` requests leaves the window.
      if (inWindow >= max) wait = Math.max(wait, (times[times.length - max] as number) + window.perMs - now);
      logs.push(log);
    }
    if (wait > 0) return wait;
    for (const log of logs) log.times.push(now);
    return 0;
  }

  /** How many logs (scope and rule) it keeps. */
  get size(): number {
    return this.#logs.size;
  }

  /** Forget the logs whose every time has left them: a scope per user must not grow forever. */
  #sweep(now: number): void {
    this.#untilSweep = SWEEP_EVERY;
    for (const [key, log] of this.#logs) {
      const newest = log.times[log.times.length - 1];
      if (newest === undefined || newest <= now - log.keepMs) this.#logs.delete(key);
    }
  }
}
