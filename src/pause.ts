import type { ResolvedPolicy } from './defaults.js';

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
  if (retryAfterMs !== undefined && (status === 429 || status === 503)) {
    return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  }
  if (status === 429) {
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
