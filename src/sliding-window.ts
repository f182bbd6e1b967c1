import type { BoxRateWindow } from './store-types.js';

/**
 * A window as the pacer keeps it: with `marginMs`, each request it lets through is counted until
 * that much after its slot (the latest it may reach Box, until its answer tells better).
 */
export interface PacedWindow extends BoxRateWindow {
  readonly marginMs?: number;
}

/** One scope's requests in one rule's window, in order of the time each is counted at, kept for twice the window. */
interface Log {
  readonly times: number[];
  keepMs: number;
}

/** How many acquires between two sweeps of the logs of scopes that went quiet. */
const SWEEP_EVERY = 1024;

/**
 * Sliding windows kept in this process: per scope and rule, the times the requests it let
 * through are counted at. In no window of `perMs` does a scope count more than `max` (times
 * `share`: the part of each limit this process keeps to, when it shares the limit with others it
 * cannot reach).
 *
 * Box counts a request when it arrives: a request is counted at the latest it may arrive (its slot
 * plus the window's margin; once answered, its slot plus the time it took), so that none counted
 * here reaches Box inside a window Box counts as full. A window's `perMs` may vary a little from
 * one request to the next (for a store without margins, the pacer widens it by the latency it
 * sees), so times are kept for twice the window, not forgotten the moment a narrower window would
 * let them go.
 */
export class SlidingWindows {
  readonly #logs = new Map<string, Log>();
  #untilSweep = SWEEP_EVERY;

  /**
   * Count a request of `scope` in every window, when each has room: 0. Else count it in none, and
   * answer the milliseconds until the fullest one has room.
   */
  acquire(scope: string, windows: readonly PacedWindow[], now: number, share = 1): number {
    if ((this.#untilSweep -= 1) <= 0) this.#sweep(now);
    let wait = 0;
    const logs: Log[] = [];
    for (const window of windows) {
      const log = this.#log(scope, window);
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
    logs.forEach((log, i) => insert(log.times, now + (windows[i]?.marginMs ?? 0)));
    return 0;
  }

  /** Count a request of `scope` in every window at `at`, room or not: one another keeper of the limit let through. */
  count(scope: string, windows: readonly BoxRateWindow[], at: number): void {
    for (const window of windows) insert(this.#log(scope, window).times, at);
  }

  /**
   * A request of `scope` counted at `from[i]` in `windows[i]` is now known to have reached Box by
   * `to`: counted then instead.
   */
  settle(scope: string, windows: readonly BoxRateWindow[], from: readonly number[], to: number): void {
    windows.forEach((window, i) => {
      const { times } = this.#log(scope, window);
      const at = times.lastIndexOf(from[i] as number);
      // Gone already when its whole window has passed.
      if (at === -1) return;
      times.splice(at, 1);
      insert(times, to);
    });
  }

  /** How many logs (scope and rule) it keeps. */
  get size(): number {
    return this.#logs.size;
  }

  #log(scope: string, window: BoxRateWindow): Log {
    const key = `${scope}\n${window.name}`;
    let log = this.#logs.get(key);
    if (!log) {
      log = { times: [], keepMs: 0 };
      this.#logs.set(key, log);
    }
    log.keepMs = Math.max(log.keepMs, 2 * window.perMs);
    return log;
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

/** Put `at` in `times`, keeping them in order (most come last: search from the end). */
function insert(times: number[], at: number): void {
  let i = times.length;
  while (i > 0 && (times[i - 1] as number) > at) i -= 1;
  times.splice(i, 0, at);
}
