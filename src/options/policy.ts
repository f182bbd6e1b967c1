import { BOX_RETRY_DEFAULTS, DEFAULT_POLICY, type ResolvedBudget, type ResolvedPolicy } from './defaults.js';
import { aBoolean, aFunction, aStore, checkKeys, fail, isNumberIn, isRecord, layOver, milliseconds, oneOf, wholeNumber, type Rule as RuleOf } from './rules.js';
import type { BoxRequestRetry, BoxRetryBudget, BoxRetryPolicy } from './retry-policy.js';
import { AUTHORIZE } from '../errors/brand.js';
import type { InternalAxiosRequestConfig } from 'axios';
import type { AuthorizingBoxAuth } from '../auth/call-auth.js';
import { resolveRateLimit, type PacedRule } from '../rate-limits.js';
import type { BoxStateStore } from '../store-types.js';
import type { BoxStatusOptions } from '../types.js';

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
    if (perRequest) {
      throw new TypeError(
        `axios-box-status: ${name} cannot be set per request: the bucket belongs to the instance (set retry.budget.maxTokens)`,
      );
    }
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

/** The options of `attachBoxStatus`, validated. */
export interface ResolvedOptions {
  /** The instance's retry policy, or `false` to send every request once. */
  readonly retry: ResolvedPolicy | false;
  readonly auth: AuthorizingBoxAuth | undefined;
  /** The store given; undefined for one of the attachment's own. */
  readonly store: BoxStateStore | undefined;
  readonly scope: ((config: InternalAxiosRequestConfig) => string) | undefined;
  readonly rateLimit: readonly PacedRule[];
}

/** A BoxAuth made by createBoxAuth (of any copy of the package): the call loop needs its helper. */
const anAuth: RuleOf = (value, name) =>
  typeof (value as Partial<AuthorizingBoxAuth> | null)?.[AUTHORIZE] === 'function'
    ? value
    : fail(name, 'a BoxAuth made by createBoxAuth()', value);

const OPTION_RULES: { readonly [K in keyof BoxStatusOptions]-?: RuleOf } = {
  retry: (value) => (value === false ? false : resolvePolicy(value, DEFAULT_POLICY, 'retry')),
  auth: anAuth,
  store: aStore,
  scope: aFunction,
  rateLimit: (value, name) => resolveRateLimit(value, name),
};

const DEFAULT_OPTIONS: ResolvedOptions = Object.freeze({
  retry: DEFAULT_POLICY,
  auth: undefined,
  store: undefined,
  scope: undefined,
  rateLimit: Object.freeze([]),
});

/** Validate the options of `attachBoxStatus`, once, at attach. */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === undefined) return DEFAULT_OPTIONS;
  if (!isRecord(options)) fail('options', 'an object', options);
  checkKeys(options, OPTION_RULES, '');
  const out: Record<string, unknown> = { ...DEFAULT_OPTIONS };
  for (const key in OPTION_RULES) {
    const value = options[key];
    if (value !== undefined) out[key] = OPTION_RULES[key as keyof BoxStatusOptions](value, key, undefined);
  }
  return out as unknown as ResolvedOptions;
}

/** What one call runs by: a policy with every field filled, and whether it retries at all. */
export interface CallPolicy extends ResolvedPolicy {
  /** False: the request is sent once (`boxRetry: false`, or an instance with `retry: false`). */
  readonly retry: boolean;
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
