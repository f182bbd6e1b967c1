import type {
  BoxJitter,
  BoxRequestRetry,
  BoxRetryBudget,
  BoxRetryEvent,
  BoxRetryPolicy,
  BoxStatusOptions,
} from './types.js';

/** The longest delay `setTimeout` holds (2^31 - 1 ms); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;
const MAX_RETRIES = 100;
const MAX_TOKENS = 1_000_000_000;

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

/** The policy every unset field falls back to. */
export const BOX_RETRY_DEFAULTS: Readonly<{
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  jitter: BoxJitter;
  maxRetryAfterMs: number;
  statuses: readonly number[];
  budget: ResolvedBudget;
  shareRateLimit: boolean;
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

const JITTERS: ReadonlySet<string> = new Set<BoxJitter>(['full', 'equal', 'none']);
const POLICY_KEYS: ReadonlySet<string> = new Set<keyof BoxRetryPolicy>([
  'retries',
  'baseDelayMs',
  'maxDelayMs',
  'jitter',
  'maxRetryAfterMs',
  'statuses',
  'onRetry',
  'budget',
  'shareRateLimit',
  'deadlineMs',
]);
const BUDGET_KEYS: ReadonlySet<string> = new Set<keyof BoxRetryBudget>([
  'maxTokens',
  'retryCost',
  'throttledRetryCost',
  'successReward',
]);
const REQUEST_KEYS: ReadonlySet<string> = new Set([...POLICY_KEYS, 'idempotent']);
const OPTION_KEYS: ReadonlySet<string> = new Set<keyof BoxStatusOptions>(['retry']);

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array (${value.length} items)`;
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object';
}

function fail(name: string, expected: string, value: unknown): never {
  throw new TypeError(`axios-box-status: ${name} must be ${expected}, received ${describe(value)}`);
}

/** A plain object literal: a Map, a Date or a class instance is no options object. */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function checkKeys(input: Record<string, unknown>, known: ReadonlySet<string>, prefix: string): void {
  for (const key of Object.keys(input)) {
    if (!known.has(key)) {
      throw new TypeError(
        `axios-box-status: unknown option ${prefix}${key} (known: ${[...known].join(', ')})`,
      );
    }
  }
}

function delay(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TIMER_MS) {
    fail(name, `a number of milliseconds from 0 to ${MAX_TIMER_MS}`, value);
  }
  return value;
}

function tokens(name: string, value: unknown, min: 'zero' | 'positive'): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (min === 'positive' && value === 0) ||
    value > MAX_TOKENS
  ) {
    fail(name, `a number of tokens ${min === 'zero' ? 'from 0' : 'above 0'} to ${MAX_TOKENS}`, value);
  }
  return value;
}

function resolveBudget(input: unknown, base: ResolvedBudget, name: string, perRequest: boolean): ResolvedBudget {
  if (!isRecord(input)) fail(name, 'false or an object', input);
  checkKeys(input, BUDGET_KEYS, `${name}.`);
  const { maxTokens, retryCost, throttledRetryCost, successReward } = input;
  if (perRequest && maxTokens !== undefined) {
    throw new TypeError(
      `axios-box-status: ${name}.maxTokens cannot be set per request: the bucket belongs to the instance (set retry.budget.maxTokens)`,
    );
  }
  const out = { ...base };
  if (maxTokens !== undefined) out.maxTokens = tokens(`${name}.maxTokens`, maxTokens, 'positive');
  if (retryCost !== undefined) out.retryCost = tokens(`${name}.retryCost`, retryCost, 'zero');
  if (throttledRetryCost !== undefined) {
    out.throttledRetryCost = tokens(`${name}.throttledRetryCost`, throttledRetryCost, 'zero');
  }
  // Zero would never refill an empty bucket: after an outage the client would never retry again.
  if (successReward !== undefined) out.successReward = tokens(`${name}.successReward`, successReward, 'positive');
  // A cost above the bucket would refuse every such retry: a mistake, not a policy.
  for (const cost of ['retryCost', 'throttledRetryCost'] as const) {
    if (out[cost] <= out.maxTokens) continue;
    // Name the option that was set: a small maxTokens alone falls below the default cost.
    if (input[cost] === undefined) fail(`${name}.maxTokens`, `at least ${cost} (${out[cost]})`, out.maxTokens);
    fail(`${name}.${cost}`, `at most maxTokens (${out.maxTokens})`, out[cost]);
  }
  return Object.freeze(out);
}

/**
 * Validate `input` and lay it over `base`; `undefined` fields keep the base. Neither argument is
 * mutated. Throws a TypeError that names the option (`${prefix}.retries`) and the value.
 */
export function resolvePolicy(
  input: unknown,
  base: ResolvedPolicy,
  prefix: 'retry' | 'boxRetry',
): ResolvedPolicy {
  if (!isRecord(input)) fail(prefix, 'false or an object', input);
  const perRequest = prefix === 'boxRetry';
  checkKeys(input, perRequest ? REQUEST_KEYS : POLICY_KEYS, `${prefix}.`);

  const { retries, baseDelayMs, maxDelayMs, jitter, maxRetryAfterMs, statuses, onRetry } = input;
  const out = { ...base };
  if (retries !== undefined) {
    if (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 0 || retries > MAX_RETRIES) {
      fail(`${prefix}.retries`, `a whole number from 0 to ${MAX_RETRIES}`, retries);
    }
    out.retries = retries;
  }
  if (baseDelayMs !== undefined) out.baseDelayMs = delay(`${prefix}.baseDelayMs`, baseDelayMs);
  if (maxDelayMs !== undefined) out.maxDelayMs = delay(`${prefix}.maxDelayMs`, maxDelayMs);
  if (maxRetryAfterMs !== undefined) {
    out.maxRetryAfterMs = delay(`${prefix}.maxRetryAfterMs`, maxRetryAfterMs);
  }
  if (jitter !== undefined) {
    if (typeof jitter !== 'string' || !JITTERS.has(jitter)) {
      fail(`${prefix}.jitter`, `one of 'full', 'equal', 'none'`, jitter);
    }
    out.jitter = jitter as BoxJitter;
  }
  if (statuses !== undefined) {
    if (!Array.isArray(statuses)) fail(`${prefix}.statuses`, 'an array of statuses', statuses);
    for (const status of statuses as unknown[]) {
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
        fail(`${prefix}.statuses`, 'an array of whole numbers from 400 to 599', status);
      }
    }
    out.statuses = new Set(statuses as number[]);
  }
  if (onRetry !== undefined) {
    if (typeof onRetry !== 'function') fail(`${prefix}.onRetry`, 'a function', onRetry);
    out.onRetry = onRetry as ResolvedPolicy['onRetry'];
  }
  const { budget, shareRateLimit, deadlineMs } = input;
  if (budget !== undefined) {
    if (budget === false) out.budget = false;
    else if (perRequest && base.budget === false) {
      fail(`${prefix}.budget`, 'false or unset on an instance without a budget (retry.budget: false)', budget);
    } else {
      out.budget = resolveBudget(budget, base.budget || BOX_RETRY_DEFAULTS.budget, `${prefix}.budget`, perRequest);
    }
  }
  if (shareRateLimit !== undefined) {
    if (typeof shareRateLimit !== 'boolean') fail(`${prefix}.shareRateLimit`, 'a boolean', shareRateLimit);
    out.shareRateLimit = shareRateLimit;
  }
  if (deadlineMs !== undefined) {
    if (typeof deadlineMs !== 'number' || !Number.isFinite(deadlineMs) || deadlineMs < 1 || deadlineMs > MAX_TIMER_MS) {
      fail(`${prefix}.deadlineMs`, `a number of milliseconds from 1 to ${MAX_TIMER_MS}`, deadlineMs);
    }
    out.deadlineMs = deadlineMs;
  }
  if (perRequest && input['idempotent'] !== undefined) {
    if (typeof input['idempotent'] !== 'boolean') {
      fail(`${prefix}.idempotent`, 'a boolean', input['idempotent']);
    }
    out.idempotent = input['idempotent'];
  }
  // Set together, a base above the cap is a mistake; set apart (a cap below the default base, a
  // per-request base above the instance's cap), the formula caps every wait at maxDelayMs.
  if (baseDelayMs !== undefined && maxDelayMs !== undefined && out.baseDelayMs > out.maxDelayMs) {
    fail(`${prefix}.baseDelayMs`, `at most maxDelayMs (${out.maxDelayMs})`, out.baseDelayMs);
  }
  return Object.freeze(out);
}

/** Validate the options of `attachBoxStatus`: the instance policy, or `false` for no retries. */
export function resolveOptions(options: unknown): ResolvedPolicy | false {
  if (options === undefined) return DEFAULT_POLICY;
  if (!isRecord(options)) fail('options', 'an object', options);
  checkKeys(options, OPTION_KEYS, '');
  const { retry } = options;
  if (retry === undefined) return DEFAULT_POLICY;
  if (retry === false) return false;
  return resolvePolicy(retry, DEFAULT_POLICY, 'retry');
}

/** The policy of one request: the instance's, overridden by `config.boxRetry`. */
export function requestPolicy(
  instance: ResolvedPolicy | false,
  boxRetry: BoxRequestRetry | undefined,
): ResolvedPolicy | false {
  if (boxRetry === undefined) return instance;
  if (boxRetry === false) return false;
  return resolvePolicy(boxRetry, instance === false ? DEFAULT_POLICY : instance, 'boxRetry');
}
