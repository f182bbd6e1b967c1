import { effectiveMax, lowerOn429, PENDING_MS, PENDING_POLL_MS, type Lowered } from './adaptive-limits.js';
import type { BoxEffectiveLimit, BoxRateWindow } from '../store/rate-types.js';

/**
 * One scope's requests in one rule's window, in order of the time each is counted at, kept for
 * twice the window; and what the last 429 left of the rule's max.
 */
interface Log {
  readonly scope: string;
  readonly times: number[];
  keepMs: number;
  rule: BoxRateWindow;
  lowered: Lowered | undefined;
}

/** How many acquires between two sweeps of the logs of scopes that went quiet. */
const SWEEP_EVERY = 1024;

/**
 * Sliding windows kept in this process: per scope and rule, the times the requests it let
 * through are counted at. In no window of `perMs` does a scope count more than the rule's
 * effective max (its `max`, cut by the 429s it was told of: adaptive-limits.ts), times `share`:
 * the part of each limit this process keeps to, when it shares the limit with others it cannot
 * reach.
 *
 * Box counts a request when it arrives, which may be long after its slot (a slow network, a busy
 * process). A request taken as pending is counted as if it arrived `PENDING_MS` after its slot (a
 * window, when longer), until `settle` says when it was answered: it reached Box by then. (So a
 * time still to come is a pending request's.) A window's `perMs` may vary a
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
      while (expired < times.length && (times[expired] as number) <= now - log.keepMs) expired += 1;
      if (expired > 0) times.splice(0, expired);
      // Those within the window are the newest: count back from the end.
      let inWindow = 0;
      while (inWindow < times.length && (times[times.length - 1 - inWindow] as number) > now - window.perMs) inWindow += 1;
      const max = Math.max(1, Math.floor(effectiveMax(window, log.lowered, now) * share));
      if (inWindow >= max) {
        // Room comes when the oldest of the last `max` requests leaves the window.
        const holder = times[times.length - max] as number;
        const room = holder + window.perMs - now;
        wait = Math.max(wait, holder > now ? Math.min(room, PENDING_POLL_MS) : room);
      }
      logs.push(log);
    }
    if (wait > 0) return wait;
    for (const log of logs) insert(log.times, pending ? now + Math.max(PENDING_MS, log.rule.perMs) : now);
    return 0;
  }

  /**
   * The pending request of `scope` counted at `from[i]` in `windows[i]` was answered: it reached
   * Box by `to`, and is counted then instead.
   */
  settle(scope: string, windows: readonly BoxRateWindow[], from: readonly number[], to: number): void {
    windows.forEach((window, i) => {
      const { times } = this.#log(scope, window);
      const index = times.lastIndexOf(from[i] as number);
      // Gone already when its whole window has passed.
      if (index === -1) return;
      times.splice(index, 1);
      insert(times, to);
    });
  }

  /** A request of `scope` in `windows` met a 429 `now`, and the scope is paused for `pausedMs`. */
  rateLimited(scope: string, windows: readonly BoxRateWindow[], now: number, pausedMs: number): void {
    for (const window of windows) {
      const log = this.#log(scope, window);
      log.lowered = lowerOn429(window, log.lowered, now, pausedMs);
    }
  }

  /** The rules of `scope` (else of every scope) used lately, as paced now. */
  limits(scope: string | undefined, now: number): BoxEffectiveLimit[] {
    const limits: BoxEffectiveLimit[] = [];
    for (const log of this.#logs.values()) {
      const { name, max, perMs } = log.rule;
      if (scope === undefined || log.scope === scope) limits.push({ scope: log.scope, name, max, effectiveMax: effectiveMax(log.rule, log.lowered, now), perMs });
    }
    return limits;
  }

  /** How many logs (scope and rule) it keeps. */
  get size(): number {
    return this.#logs.size;
  }

  #log(scope: string, window: BoxRateWindow): Log {
    const key = `${scope}\n${window.name}`;
    let log = this.#logs.get(key);
    if (!log) {
      log = { scope, times: [], keepMs: 0, rule: window, lowered: undefined };
      this.#logs.set(key, log);
    }
    log.rule = window;
    log.keepMs = Math.max(log.keepMs, 2 * window.perMs);
    return log;
  }

  /**
   * Forget the logs whose every time has left them and whose limit is whole again: a scope per
   * user must not grow forever, nor forget a limit Box lowered.
   */
  #sweep(now: number): void {
    this.#untilSweep = SWEEP_EVERY;
    for (const [key, log] of this.#logs) {
      const newest = log.times[log.times.length - 1];
      const whole = effectiveMax(log.rule, log.lowered, now) >= log.rule.max;
      if ((newest === undefined || newest <= now - log.keepMs) && whole) this.#logs.delete(key);
    }
  }
}

/** Put `at` in `times`, keeping them in order (most come last: search from the end). */
function insert(times: number[], at: number): void {
  let i = times.length;
  while (i > 0 && (times[i - 1] as number) > at) i -= 1;
  times.splice(i, 0, at);
}
