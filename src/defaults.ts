import type { BoxJitter, BoxRetryBudget, BoxRetryEvent } from './policy-types.js';

/** The longest delay `setTimeout` holds (2^31 - 1 ms); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

function defaultStatuses(): number[] {
  const statuses = [429];
  for (let status = 500; status <= 599; status += 1) {
    // Box: 501 and 505 will never succeed, 507 (out of storage) needs the user to act.
    if (status !== 501 && status !== 505 && status !== 507) statuses.push(status);
  }
  return statuses;
}

/** A budget with every field filled. */
export type ResolvedBudget = Readonly<Required<{ [K in keyof BoxRetryBudget]: number }>>;

/**
 * The policy every unset field falls back to (frozen). Extend `statuses` from it rather than
 * repeat the list.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, BOX_RETRY_DEFAULTS } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * // Box's retryable statuses, and a proxy's 408 too.
 * attachBoxStatus(box, { retry: { statuses: [...BOX_RETRY_DEFAULTS.statuses, 408] } });
 * ```
 */
export const BOX_RETRY_DEFAULTS: Readonly<{
  /** 4: five attempts in all. */
  retries: number;
  /** 1000 ms. */
  baseDelayMs: number;
  /** 30000 ms. */
  maxDelayMs: number;
  /** `'full'`. */
  jitter: BoxJitter;
  /** 60000 ms. */
  maxRetryAfterMs: number;
  /** 429 and every 5xx except 501, 505 and 507. */
  statuses: readonly number[];
  /** `{ maxTokens: 500, retryCost: 5, throttledRetryCost: 1, successReward: 1 }`. */
  budget: ResolvedBudget;
  /** `true`. */
  shareRateLimit: boolean;
  /** `undefined`: no deadline. */
  deadlineMs: number | undefined;
}> = Object.freeze({
  retries: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  jitter: 'full',
  maxRetryAfterMs: 60_000,
  statuses: Object.freeze(defaultStatuses()),
  // 500 / 5: a full outage costs at most 100 retries, and after it five successes buy the
  // next retry (the AWS SDKs' standard retry quota has the same shape).
  budget: Object.freeze({ maxTokens: 500, retryCost: 5, throttledRetryCost: 1, successReward: 1 }),
  shareRateLimit: true,
  deadlineMs: undefined,
});

/** A validated policy with every field filled. */
export interface ResolvedPolicy {
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: BoxJitter;
  readonly maxRetryAfterMs: number;
  readonly statuses: ReadonlySet<number>;
  readonly onRetry: ((event: BoxRetryEvent) => void | Promise<void>) | undefined;
  /** The instance's budget parameters; per request, `false` to retry outside the budget. */
  readonly budget: ResolvedBudget | false;
  readonly shareRateLimit: boolean;
  readonly deadlineMs: number | undefined;
  /** Per request only: overrides the method's own idempotency. */
  readonly idempotent: boolean | undefined;
}

export const DEFAULT_POLICY: ResolvedPolicy = Object.freeze({
  ...BOX_RETRY_DEFAULTS,
  statuses: new Set(BOX_RETRY_DEFAULTS.statuses),
  onRetry: undefined,
  idempotent: undefined,
});
