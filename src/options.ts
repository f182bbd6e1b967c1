import type { BoxJitter, BoxRequestRetry, BoxRetryEvent, BoxRetryPolicy, BoxStatusOptions } from './types.js';

/** The longest delay `setTimeout` holds (2^31 - 1 ms); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;
const MAX_RETRIES = 100;

function defaultStatuses(): number[] {
  const statuses = [429];
  for (let status = 500; status <= 599; status += 1) {
    // Box: 501 and 505 will never succeed, 507 (out of storage) needs the user to act.
    if (status !== 501 && status !== 505 && status !== 507) statuses.push(status);
  }
  return statuses;
}

/** The policy every unset field falls back to. */
export const BOX_RETRY_DEFAULTS: Readonly<{
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  jitter: BoxJitter;
  maxRetryAfterMs: number;
  statuses: readonly number[];
}> = Object.freeze({
  retries: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  jitter: 'full',
  maxRetryAfterMs: 60_000,
  statuses: Object.freeze(defaultStatuses()),
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
