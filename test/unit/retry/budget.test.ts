import { describe, expect, it } from 'vitest';
import { isHealthyStatus, RetryBudget, retryCostOf, rewardOf } from '../../../src/retry/budget.js';
import { BOX_RETRY_DEFAULTS } from '../../../src/options/policy.js';

const params = BOX_RETRY_DEFAULTS.budget;

describe('RetryBudget', () => {
  it('starts full and spends only what it holds', () => {
    const budget = new RetryBudget(12);
    expect(budget.tokens).toBe(12);
    expect(budget.take(5)).toBe(true);
    expect(budget.take(5)).toBe(true);
    expect(budget.tokens).toBe(2);
    expect(budget.take(5)).toBe(false);
    expect(budget.tokens).toBe(2);
    expect(budget.take(2)).toBe(true);
    expect(budget.take(0)).toBe(true);
    expect(budget.tokens).toBe(0);
  });

  it('earns back up to maxTokens, never beyond', () => {
    const budget = new RetryBudget(10);
    budget.take(10);
    budget.earn(4);
    expect(budget.tokens).toBe(4);
    budget.earn(100);
    expect(budget.tokens).toBe(10);
  });

  it('the default parameters bound an outage at 100 retries, and 5 successes buy the next', () => {
    const budget = new RetryBudget(params.maxTokens);
    let retries = 0;
    while (budget.take(retryCostOf(params, 503))) retries += 1;
    expect(retries).toBe(100);
    let successes = 0;
    while (!budget.take(retryCostOf(params, 503))) {
      budget.earn(rewardOf(params, 0));
      successes += 1;
    }
    expect(successes).toBe(5);
  });
});

describe('costs and rewards', () => {
  it.each<[number | undefined, number]>([
    [429, 1],
    [503, 5],
    [500, 5],
    [undefined, 5],
  ])('a retry after %s costs %i', (status, cost) => {
    expect(retryCostOf(params, status)).toBe(cost);
  });

  it('a success refunds its last retry, or earns successReward', () => {
    expect(rewardOf(params, 0)).toBe(1);
    expect(rewardOf(params, 5)).toBe(5);
    expect(rewardOf({ ...params, successReward: 0.25 }, 0)).toBe(0.25);
  });

  it.each([200, 201, 202, 204, 302, 304, 400, 401, 404, 409, 412, 499, 600, 0])('%i is a healthy answer', (status) => {
    expect(isHealthyStatus(status)).toBe(true);
  });

  it.each([429, 500, 502, 503, 504, 507, 599])('%i is not', (status) => {
    expect(isHealthyStatus(status)).toBe(false);
  });
});
