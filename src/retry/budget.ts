import { statusTreatment } from '../box/statuses.js';
import type { ResolvedBudget } from '../options/policy.js';
import { budgetEmpty } from './reasons.js';

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

/** What a retry after `status` (undefined for a transport failure) costs (see box/statuses.ts). */
export function retryCostOf(params: ResolvedBudget, status: number | undefined): number {
  const cost = status === undefined ? 'retryCost' : statusTreatment(status).cost;
  return cost === 'free' ? 0 : params[cost];
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
  return statusTreatment(status).healthy;
}

/**
 * One call's dealings with the instance's budget: a retry's tokens are reserved when it is
 * granted, spent when it is sent, refunded when it never is; the call's end may earn some back.
 */
export class BudgetAccount {
  #reserved = 0;
  /** What the last paid retry spent: a call that ends well earns it back. */
  #lastCost = 0;
  readonly #bucket: RetryBudget | undefined;
  readonly #params: ResolvedBudget | false;

  constructor(bucket: RetryBudget | undefined, params: ResolvedBudget | false) {
    this.#bucket = bucket;
    this.#params = params;
  }

  /**
   * Reserve what a retry after `status` (undefined: a transport failure) costs. Undefined when
   * granted (or free: no budget, or a 202 poll); else why it was refused.
   */
  reserve(status: number | undefined): string | undefined {
    const bucket = this.#bucket;
    const params = this.#params;
    if (!bucket || params === false) return undefined;
    const cost = retryCostOf(params, status);
    // A poll of a 202 (Box saying "not ready yet", not a failure) is free.
    if (cost === 0) return undefined;
    if (!bucket.take(cost)) {
      return budgetEmpty(bucket.tokens, bucket.maxTokens, cost);
    }
    this.#reserved = cost;
    return undefined;
  }

  /** The reserved retry is being sent. */
  spend(): void {
    if (this.#reserved > 0) this.#lastCost = this.#reserved;
    this.#reserved = 0;
  }

  /** A retry granted but never sent (cancelled, cut by the deadline, stopped by onRetry) gives its tokens back. */
  refund(): void {
    if (this.#reserved > 0) this.#bucket?.earn(this.#reserved);
    this.#reserved = 0;
  }

  /** The call ended with a response of `status`: a healthy one earns tokens back. */
  close(status: number): void {
    if (this.#bucket && this.#params && isHealthyStatus(status)) this.#bucket.earn(rewardOf(this.#params, this.#lastCost));
  }
}
