import type { AuthorizingBoxAuth } from '../auth/authorizer.js';
import type { Gates } from '../pacing/gates.js';
import type { RetryBudget } from '../retry/budget.js';
import type { BoxStatusStats } from '../types.js';

// What an attachment (attach.ts) gives the loop of each of its calls (run-call.ts).

/** Counts since attach, as `stats()` reports them. */
export type CallCounts = Omit<BoxStatusStats, 'tokens' | 'maxTokens' | 'rateLimitPauseMs' | 'rateLimits'>;

/** What the calls of one attachment share. */
export interface CallHost {
  /** False once ejected: a call under way then retries no more. */
  readonly active: boolean;
  /** The pause, the rate limits and the store they are kept in. */
  readonly gates: Gates;
  readonly budget: RetryBudget | undefined;
  readonly counts: CallCounts;
  /** The managed token, when the instance has one. */
  readonly auth: AuthorizingBoxAuth | undefined;
}
