import type { ResolvedPolicy } from '../options/policy.js';

type BackoffPolicy = Pick<ResolvedPolicy, 'baseDelayMs' | 'maxDelayMs' | 'jitter'>;

/**
 * The wait before retry `retry` (1 for the first retry): `min(maxDelayMs, baseDelayMs * 2 **
 * (retry - 1))`, jittered with `random()` (a number in [0, 1), clamped into it). Pure.
 */
export function backoffDelayMs(retry: number, policy: BackoffPolicy, random: () => number): number {
  // 2 ** n is Infinity from n = 1024 on, and 0 * Infinity would be NaN.
  const ceiling =
    policy.baseDelayMs === 0 ? 0 : Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  if (policy.jitter === 'none') return ceiling;
  const r = random();
  const unit = r > 0 && r < 1 ? r : 0;
  return policy.jitter === 'equal' ? ceiling / 2 + (unit * ceiling) / 2 : unit * ceiling;
}

/**
 * The wait before a retry: the server's Retry-After exactly when it gave one (server timing beats
 * computed backoff, and jitter never shortens it), else the jittered backoff. Pure.
 */
export function retryDelayMs(
  retry: number,
  policy: BackoffPolicy,
  retryAfterMs: number | undefined,
  random: () => number,
): { delayMs: number; delaySource: 'retry-after' | 'backoff' } {
  return retryAfterMs === undefined
    ? { delayMs: backoffDelayMs(retry, policy, random), delaySource: 'backoff' }
    : { delayMs: retryAfterMs, delaySource: 'retry-after' };
}
