import { PENDING_POLL_MS } from './adaptive-limits.js';
import type { BoxRateWindow } from './store-types.js';

/**
 * One scope's requests in one rule's window, in order of the time each is counted at, kept for
 * twice the window; and how many of those at each time are not yet answered.
 */
interface Log {
  readonly times: number[];
  readonly pending: Map<number, number>;
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
 * Box counts a request when it arrives, which may be long after its slot (a slow network, a busy
 * process). A request taken as pending is counted as if it arrived a whole window after its slot,
 * until `settle` says when it was answered: it reached Box by then. A window's `perMs` may vary a
 * little from one request to the next (for a store without answers, the pacer widens it by the
 * latency it sees), so times are kept for twice the window, not forgotten the moment a narrower
 * window would let them go.
 */
export class SlidingWindows {
  readonly #logs = new Map<string, Log>();
  #untilSweep = SWEEP_EVERY;

  /**
   * Count a request of `scope` in every window (as pending: until `settle`), when each has room:
   * 0. Else count it in none, and answer the milliseconds until the fullest one has room (or, when
   * the request that holds the room is pending, until it is worth asking again).
   */
  acquire(scope: string, windows: readonly BoxRateWindow[], now: number, share = 1, pending = false): number {
    if ((this.#untilSweep -= 1) <= 0) this.#sweep(now);
    let wait = 0;
    const logs: Log[] = [];
    for (const window of windows) {
      const log = this.#log(scope, window);
      const { times } = log;
      let expired = 0;
      while (expired < times.length && (times[expired] as number) <= now - log.keepMs) log.pending.delete(times[expired++] as number);
      if (expired > 0) times.splice(0, expired);
      // Those within the window are the newest: count back from the end.
      let inWindow = 0;
      while (inWindow < times.length && (times[times.length - 1 - inWindow] as number) > now - window.perMs) inWindow += 1;
      const max = Math.max(1, Math.floor(window.max * share));
      if (inWindow >= max) {
        // Room comes when the oldest of the last `max` requests leaves the window.
        const holder = times[times.length - max] as number;
        const room = holder + window.perMs - now;
        wait = Math.max(wait, log.pending.has(holder) ? Math.min(room, PENDING_POLL_MS) : room);
      }
      logs.push(log);
    }
    if (wait > 0) return wait;
    logs.forEach((log, i) => {
      if (!pending) return insert(log.times, now);
      const at = now + (windows[i] as BoxRateWindow).perMs;
      insert(log.times, at);
      log.pending.set(at, (log.pending.get(at) ?? 0) + 1);
    });
    return 0;
  }

  /**
   * The pending request of `scope` counted at `from[i]` in `windows[i]` was answered: it reached
   * Box by `to`, and is counted then instead.
   */
  settle(scope: string, windows: readonly BoxRateWindow[], from: readonly number[], to: number): void {
    windows.forEach((window, i) => {
      const log = this.#log(scope, window);
      const at = from[i] as number;
      const index = log.times.lastIndexOf(at);
      // Gone already when its whole window has passed.
      if (index === -1) return;
      log.times.splice(index, 1);
      const left = (log.pending.get(at) ?? 1) - 1;
      if (left > 0) log.pending.set(at, left);
      else log.pending.delete(at);
      insert(log.times, to);
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
      log = { times: [], pending: new Map(), keepMs: 0 };
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
