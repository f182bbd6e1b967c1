import type { ResolvedBudget } from './options.js';

/**
 * The retry budget of one attachment: a token bucket. Retries spend, healthy answers earn back,
 * and the bucket never holds more than `maxTokens`. Every call of the instance shares it, so an
 * outage costs Box a bounded number of retries however many calls are made. What a retry costs
 * and a success earns is the call's policy's (a request may override it); the bucket is not.
 */
export class RetryBudget {
  tokens: number;

  constructor(readonly maxTokens: number) {
    this.tokens = maxTokens;
  }

  /** Spend `cost` tokens when the bucket holds that many; false (and nothing spent) otherwise. */
  take(cost: number): boolean {
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Put `tokens` back, up to `maxTokens`. */
  earn(tokens: number): void {
    this.tokens = Math.min(this.maxTokens, this.tokens + tokens);
  }
}

/** What a retry after `status` (undefined for a transport failure) costs. */
export function retryCostOf(params: ResolvedBudget, status: number | undefined): number {
  return status === 429 ? params.throttledRetryCost : params.retryCost;
}

/**
 * What a call that ended well earns: what its last retry spent, or `successReward` when it was
 * not retried at the budget's expense.
 */
export function rewardOf(params: ResolvedBudget, lastRetryCost: number): number {
  return lastRetryCost > 0 ? lastRetryCost : params.successReward;
}

/** Whether a final status says Box was well enough to answer: anything but a 429 or a 5xx. */
export function isHealthyStatus(status: number): boolean {
  return status !== 429 && !(status >= 500 && status <= 599);
}
