import type { CancelToken, GenericAbortSignal } from 'axios';
import type { ResolvedPolicy } from './options.js';

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

/**
 * Resolve after `ms`, or as soon as the signal aborts or the token cancels, clearing the timer
 * and every listener either way. It never rejects: the caller checks for a cancel afterwards.
 */
export function waitMs(ms: number, signal: GenericAbortSignal | undefined, token: CancelToken | undefined): Promise<void> {
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (): void => {
      if (timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      signal?.removeEventListener?.('abort', done);
      token?.unsubscribe(done);
      resolve();
    };
    timer = setTimeout(done, ms);
    signal?.addEventListener?.('abort', done);
    // subscribe() calls back at once when the token is already cancelled.
    token?.subscribe(done);
    if (signal?.aborted) done();
  });
}
