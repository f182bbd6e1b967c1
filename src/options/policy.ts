import { defaultRetriedStatuses } from '../box/statuses.js';
import { perRequestBucketError } from '../errors/messages.js';
import type { BoxRequestRetry, BoxRetryBudget, BoxRetryPolicy } from './retry-policy.js';
import { aBoolean, aFunction, fail, isNumberIn, layOver, milliseconds, oneOf, wholeNumber, type Rule as RuleOf } from './rules.js';

// The retry policy's one shape is BoxRetryPolicy (retry-policy.ts, public, with its TSDoc): the
// defaults, the resolved policy and the rules below are derived from it, so that a new field is
// its type there, its default and its rule here, and the code that reads it.

/** Every field of `T` set: what a policy is once laid over its defaults. */
type Filled<T> = { readonly [K in keyof T]-?: Exclude<T[K], undefined> };

/** A budget with every field filled. */
export type ResolvedBudget = Filled<BoxRetryBudget>;

/** The fields a policy has a default for, filled (`deadlineMs`: none by default). */
export type RetryDefaults = Filled<Omit<BoxRetryPolicy, 'onRetry' | 'budget' | 'deadlineMs'>> & {
  readonly budget: ResolvedBudget;
  readonly deadlineMs: number | undefined;
};

/** A validated policy with every field filled. */
export type ResolvedPolicy = Omit<RetryDefaults, 'statuses' | 'budget'> & {
  readonly statuses: ReadonlySet<number>;
  readonly onRetry: BoxRetryPolicy['onRetry'];
  /** The instance's budget parameters; per request, `false` to retry outside the budget. */
  readonly budget: ResolvedBudget | false;
  /** Per request only: overrides the method's own idempotency. */
  readonly idempotent: Exclude<BoxRequestRetry, false>['idempotent'];
};

/** What one call runs by: a policy with every field filled, and whether it retries at all. */
export type CallPolicy = ResolvedPolicy & {
  /** False: the request is sent once (`boxRetry: false`, or an instance with `retry: false`). */
  readonly retry: boolean;
};

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
export const BOX_RETRY_DEFAULTS: RetryDefaults = Object.freeze({
  retries: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  jitter: 'full',
  maxRetryAfterMs: 60_000,
  statuses: Object.freeze(defaultRetriedStatuses()),
  // 500 / 5: a full outage costs at most 100 retries, and after it five successes buy the
  // next retry (the AWS SDKs' standard retry quota has the same shape).
  budget: Object.freeze({ maxTokens: 500, retryCost: 5, throttledRetryCost: 1, successReward: 1 }),
  shareRateLimit: true,
  deadlineMs: undefined,
});

export const DEFAULT_POLICY: ResolvedPolicy = Object.freeze({
  ...BOX_RETRY_DEFAULTS,
  statuses: new Set(BOX_RETRY_DEFAULTS.statuses),
  onRetry: undefined,
  idempotent: undefined,
});

const MAX_RETRIES = 100;
const MAX_TOKENS = 1_000_000_000;

/** What a rule knows besides the value: the policy it is laid over, and whether per request. */
interface Context {
  readonly base: ResolvedPolicy;
  readonly perRequest: boolean;
}

type Rule = RuleOf<Context>;

// Zero would never refill an empty bucket, nor hold a retry: `above` for maxTokens and successReward.
const tokens =
  (above: boolean): Rule =>
  (value, name) =>
    isNumberIn(value, 0, MAX_TOKENS) && !(above && value === 0)
      ? value
      : fail(name, `a number of tokens ${above ? 'above 0' : 'from 0'} to ${MAX_TOKENS}`, value);

const statuses: Rule = (value, name) => {
  if (!Array.isArray(value)) fail(name, 'an array of statuses', value);
  for (const status of value as unknown[]) {
    if (!isNumberIn(status, 400, 599) || !Number.isInteger(status)) {
      fail(name, 'an array of whole numbers from 400 to 599', status);
    }
  }
  return new Set(value as number[]);
};

const BUDGET_RULES: { readonly [K in keyof BoxRetryBudget]-?: Rule } = {
  maxTokens: (value, name, { perRequest }) => {
    if (perRequest) throw perRequestBucketError(name);
    return tokens(true)(value, name, undefined as never);
  },
  retryCost: tokens(false),
  throttledRetryCost: tokens(false),
  successReward: tokens(true),
};

const budget: Rule = (value, name, context) => {
  if (value === false) return false;
  const base = context.base.budget;
  if (context.perRequest && base === false) {
    fail(name, 'false or unset on an instance without a budget (retry.budget: false)', value);
  }
  const out = layOver(value, base || BOX_RETRY_DEFAULTS.budget, BUDGET_RULES, name, context) as ResolvedBudget;
  // A cost above the bucket would refuse every such retry: a mistake, not a policy.
  for (const cost of ['retryCost', 'throttledRetryCost'] as const) {
    if (out[cost] <= out.maxTokens) continue;
    // Name the option that was set: a small maxTokens alone falls below the default cost.
    if ((value as Record<string, unknown>)[cost] === undefined) {
      fail(`${name}.maxTokens`, `at least ${cost} (${out[cost]})`, out.maxTokens);
    }
    fail(`${name}.${cost}`, `at most maxTokens (${out.maxTokens})`, out[cost]);
  }
  return out;
};

/** Each policy option's rule, in the order the options are listed in messages. */
const POLICY_RULES: { readonly [K in keyof BoxRetryPolicy]-?: Rule } = {
  retries: wholeNumber(0, MAX_RETRIES),
  baseDelayMs: milliseconds(0),
  maxDelayMs: milliseconds(0),
  jitter: oneOf('full', 'equal', 'none'),
  maxRetryAfterMs: milliseconds(0),
  statuses,
  onRetry: aFunction,
  budget,
  shareRateLimit: aBoolean,
  deadlineMs: milliseconds(1),
};

const REQUEST_RULES: { readonly [K in keyof Exclude<BoxRequestRetry, false>]-?: Rule } = {
  ...POLICY_RULES,
  idempotent: aBoolean,
};

/**
 * Validate `input` and lay it over `base`; `undefined` fields keep the base. Neither argument is
 * mutated. Throws a TypeError that names the option (`${prefix}.retries`) and the value.
 */
export function resolvePolicy<T extends ResolvedPolicy>(input: unknown, base: T, prefix: 'retry' | 'boxRetry'): T {
  const perRequest = prefix === 'boxRetry';
  const out = layOver(input, base, perRequest ? REQUEST_RULES : POLICY_RULES, prefix, { base, perRequest });
  // Set together, a base above the cap is a mistake; set apart (a cap below the default base, a
  // per-request base above the instance's cap), the formula caps every wait at maxDelayMs.
  const { baseDelayMs, maxDelayMs } = input as Record<string, unknown>;
  if (baseDelayMs !== undefined && maxDelayMs !== undefined && out.baseDelayMs > out.maxDelayMs) {
    fail(`${prefix}.baseDelayMs`, `at most maxDelayMs (${out.maxDelayMs})`, out.baseDelayMs);
  }
  return out;
}

/** The policies of an attachment's calls, worked out once at attach. */
export interface Policies {
  /** A request without `boxRetry`. */
  readonly normal: CallPolicy;
  /**
   * `boxRetry: false`: sent once, with no deadline, but still keeping to the instance's
   * rate-limit pause and paying into its budget.
   */
  readonly once: CallPolicy;
  /** What a `boxRetry` object is laid over: the instance's policy, or the defaults. */
  readonly base: CallPolicy;
}

/**
 * The policies of an attachment. With `retry: false` a request may still turn retries on with a
 * `boxRetry` object, over the defaults; its other requests neither wait for nor start a pause.
 */
export function policiesOf(retry: ResolvedPolicy | false): Policies {
  const base: CallPolicy = Object.freeze({ ...(retry || DEFAULT_POLICY), retry: true });
  const once: CallPolicy = Object.freeze({
    ...base,
    retry: false,
    deadlineMs: undefined,
    shareRateLimit: retry !== false && base.shareRateLimit,
  });
  return Object.freeze({ normal: retry ? base : once, once, base });
}

/** The policy of one request: the instance's, overridden by `config.boxRetry`. */
export function callPolicy(policies: Policies, boxRetry: BoxRequestRetry | undefined): CallPolicy {
  if (boxRetry === undefined) return policies.normal;
  if (boxRetry === false) return policies.once;
  return resolvePolicy(boxRetry, policies.base, 'boxRetry');
}
