import { statusTreatment } from '../box/statuses.js';
import type { ResolvedPolicy } from '../options/policy.js';
import { clock } from '../util/wait.js';

type PausePolicy = Pick<ResolvedPolicy, 'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs'>;

/**
 * How long a response makes the whole instance wait, in milliseconds, or undefined when it does
 * not: a 429 for its Retry-After (without one: the backoff `ownDelayMs` its own retry waits, or
 * a first backoff when it is not retried), a 503 only with a Retry-After. Capped by
 * `maxRetryAfterMs`. Pure.
 */
export function sharedPauseMs(
  status: number,
  retryAfterMs: number | undefined,
  policy: PausePolicy,
  ownDelayMs?: number,
): number | undefined {
  const pauses = statusTreatment(status).pauses;
  if (retryAfterMs !== undefined && pauses !== 'never') {
    return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  }
  if (pauses === 'always') {
    return Math.min(ownDelayMs ?? Math.min(policy.baseDelayMs, policy.maxDelayMs), policy.maxRetryAfterMs);
  }
  return undefined;
}

/** The rate-limit pause of one attachment: the time before which none of its requests is sent. */
export class RateLimitPause {
  /** When the pause ends, on the `performance.now()` clock; 0 when none is in force. */
  untilMs = 0;

  extend(untilMs: number): void {
    if (untilMs > this.untilMs) this.untilMs = untilMs;
  }

  remainingMs(now: number): number {
    if (this.untilMs === 0) return 0;
    if (this.untilMs <= now) {
      this.untilMs = 0;
      return 0;
    }
    return this.untilMs - now;
  }
}

/**
 * The pauses of every scope, kept in this process, with the longest of them at hand: asked before
 * every send, it must answer at once, and without a scope when none is in force.
 */
export class ScopedPauses {
  readonly #byScope = new Map<string, RateLimitPause>();
  readonly #longest = new RateLimitPause();

  /** Milliseconds the pause of `scope` still runs (without one: the longest); 0 when none. */
  pauseMs(scope?: string, at?: number): number {
    // Asked before every send: without a pause it reads no clock and clears nothing (a Map's
    // clear() allocates a new table even when empty, a tenth of the plugin's cost per call).
    if (this.#longest.untilMs === 0) return 0;
    const now = at ?? clock();
    if (this.#longest.remainingMs(now) === 0) {
      this.#byScope.clear();
      return 0;
    }
    if (scope === undefined) return this.#longest.remainingMs(now);
    return this.#byScope.get(scope)?.remainingMs(now) ?? 0;
  }

  /** Make `scope` pause at least `ms` from now. */
  pause(scope: string, ms: number, now = clock()): void {
    let pause = this.#byScope.get(scope);
    if (!pause) {
      pause = new RateLimitPause();
      this.#byScope.set(scope, pause);
    }
    pause.extend(now + ms);
    this.#longest.extend(now + ms);
  }
}
