import { describe, expect, it } from 'vitest';
import { BOX_RETRY_DEFAULTS, DEFAULT_POLICY, type ResolvedPolicy } from '../../../src/options/policy.js';
import { resolveOptions as resolveAttachOptions } from '../../../src/options/attach-options.js';
import { callPolicy, policiesOf, resolvePolicy } from '../../../src/options/policy.js';

/** The instance's retry policy that `attachBoxStatus` resolves from its options. */
const resolveOptions = (options: unknown): ResolvedPolicy | false => resolveAttachOptions(options).retry;

/** The policy a request runs by, over an instance's resolved `retry` option; `false` when it is sent once. */
function requestPolicy(instance: ResolvedPolicy | false, boxRetry: Parameters<typeof callPolicy>[1]) {
  const policy = callPolicy(policiesOf(instance), boxRetry);
  return policy.retry ? policy : false;
}

const MAX_TIMER_MS = 2_147_483_647;
const DEFAULT_STATUSES = [
  429,
  ...Array.from({ length: 100 }, (_, i) => 500 + i).filter((s) => s !== 501 && s !== 505 && s !== 507),
];
const POLICY_KEYS =
  'retries, baseDelayMs, maxDelayMs, jitter, maxRetryAfterMs, statuses, onRetry, budget, shareRateLimit, deadlineMs';
const REQUEST_KEYS = `${POLICY_KEYS}, idempotent`;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

/** The policy as plain data, statuses as a sorted array, for exact comparison. */
function plain(policy: ResolvedPolicy | false): unknown {
  if (policy === false) return false;
  // `retry` marks a request's policy as one that retries (requestPolicy gives false otherwise).
  const { retry: _retries, ...fields } = policy as ResolvedPolicy & { retry?: boolean };
  return { ...fields, statuses: [...policy.statuses].sort((a, b) => a - b) };
}

const CONTRACT_DEFAULTS = {
  retries: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  jitter: 'full',
  maxRetryAfterMs: 60_000,
  statuses: DEFAULT_STATUSES,
};
// Issue 3's additions: the budget (AWS-like 500 / 5), the shared rate-limit pause, no deadline.
const DEFAULTS = {
  ...CONTRACT_DEFAULTS,
  budget: { maxTokens: 500, retryCost: 5, throttledRetryCost: 1, successReward: 1 },
  shareRateLimit: true,
  deadlineMs: undefined,
};
const DEFAULT_PLAIN = { ...DEFAULTS, onRetry: undefined, idempotent: undefined };

describe('defaults', () => {
  it('BOX_RETRY_DEFAULTS', () => {
    expect(BOX_RETRY_DEFAULTS).toStrictEqual(DEFAULTS);
    expect(BOX_RETRY_DEFAULTS).toMatchObject(CONTRACT_DEFAULTS);
    expect(Object.isFrozen(BOX_RETRY_DEFAULTS.budget)).toBe(true);
    expect(DEFAULT_STATUSES).toHaveLength(98);
    expect(Object.isFrozen(BOX_RETRY_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(BOX_RETRY_DEFAULTS.statuses)).toBe(true);
  });

  it.each([429, 500, 502, 503, 504, 506, 508, 509, 550, 598, 599])('%i is retried by default', (status) => {
    expect(BOX_RETRY_DEFAULTS.statuses).toContain(status);
    expect(DEFAULT_POLICY.statuses.has(status)).toBe(true);
  });

  it.each([200, 202, 400, 401, 404, 409, 412, 428, 430, 499, 501, 505, 507, 600])(
    '%i is not retried by default',
    (status) => {
      expect(BOX_RETRY_DEFAULTS.statuses).not.toContain(status);
      expect(DEFAULT_POLICY.statuses.has(status)).toBe(false);
    },
  );

  it.each<[string, unknown]>([
    ['no options', undefined],
    ['{}', {}],
    ['{ retry: undefined }', { retry: undefined }],
  ])('resolveOptions(%s) is the default policy', (_label, options) => {
    const policy = resolveOptions(options);
    expect(policy).toBe(DEFAULT_POLICY);
    expect(plain(policy)).toStrictEqual(DEFAULT_PLAIN);
  });

  it('{ retry: {} } is a frozen copy of the defaults', () => {
    const policy = resolveOptions({ retry: {} });
    expect(plain(policy)).toStrictEqual(DEFAULT_PLAIN);
    expect(Object.isFrozen(policy)).toBe(true);
  });

  it('retry: false turns retries off', () => {
    expect(resolveOptions({ retry: false })).toBe(false);
  });
});

describe('resolveOptions: values', () => {
  it('lays every field over the defaults', () => {
    const onRetry = (): void => {};
    const policy = resolveOptions({
      retry: {
        retries: 2,
        baseDelayMs: 250,
        maxDelayMs: 4000,
        jitter: 'equal',
        maxRetryAfterMs: 10_000,
        statuses: [503, 429],
        onRetry,
        budget: { maxTokens: 50, retryCost: 10, throttledRetryCost: 2, successReward: 0.5 },
        shareRateLimit: false,
        deadlineMs: 5000,
      },
    });
    expect(plain(policy)).toStrictEqual({
      retries: 2,
      baseDelayMs: 250,
      maxDelayMs: 4000,
      jitter: 'equal',
      maxRetryAfterMs: 10_000,
      statuses: [429, 503],
      onRetry,
      budget: { maxTokens: 50, retryCost: 10, throttledRetryCost: 2, successReward: 0.5 },
      shareRateLimit: false,
      deadlineMs: 5000,
      idempotent: undefined,
    });
    expect(Object.isFrozen(policy !== false && policy.budget)).toBe(true);
    expect(Object.isFrozen(policy)).toBe(true);
  });

  it('undefined never overrides a default', () => {
    const policy = resolveOptions({
      retry: {
        retries: undefined,
        baseDelayMs: undefined,
        maxDelayMs: undefined,
        jitter: undefined,
        maxRetryAfterMs: undefined,
        statuses: undefined,
        onRetry: undefined,
        budget: undefined,
        shareRateLimit: undefined,
        deadlineMs: undefined,
      },
    });
    expect(plain(policy)).toStrictEqual(DEFAULT_PLAIN);
    const budget = resolveOptions({
      retry: {
        budget: { maxTokens: undefined, retryCost: undefined, throttledRetryCost: undefined, successReward: undefined },
      },
    });
    expect(plain(budget)).toStrictEqual(DEFAULT_PLAIN);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['retries 0', { retries: 0 }, { retries: 0 }],
    ['retries 100', { retries: 100 }, { retries: 100 }],
    ['baseDelayMs 0', { baseDelayMs: 0 }, { baseDelayMs: 0 }],
    ['fractional delays', { baseDelayMs: 0.5, maxDelayMs: 1.5 }, { baseDelayMs: 0.5, maxDelayMs: 1.5 }],
    ['maxDelayMs at the timer limit', { maxDelayMs: MAX_TIMER_MS }, { maxDelayMs: MAX_TIMER_MS }],
    ['maxRetryAfterMs 0', { maxRetryAfterMs: 0 }, { maxRetryAfterMs: 0 }],
    ['maxRetryAfterMs at the timer limit', { maxRetryAfterMs: MAX_TIMER_MS }, { maxRetryAfterMs: MAX_TIMER_MS }],
    ['baseDelayMs equal to maxDelayMs', { baseDelayMs: 5000, maxDelayMs: 5000 }, { baseDelayMs: 5000, maxDelayMs: 5000 }],
    ['jitter none', { jitter: 'none' }, { jitter: 'none' }],
    ['jitter full', { jitter: 'full' }, { jitter: 'full' }],
    ['statuses at the bounds', { statuses: [599, 400] }, { statuses: [400, 599] }],
    ['no statuses', { statuses: [] }, { statuses: [] }],
    ['duplicate statuses', { statuses: [503, 503] }, { statuses: [503] }],
    ['budget false', { budget: false }, { budget: false }],
    ['budget {}', { budget: {} }, { budget: DEFAULTS.budget }],
    ['part of a budget', { budget: { maxTokens: 20 } }, { budget: { ...DEFAULTS.budget, maxTokens: 20 } }],
    ['free retries', { budget: { retryCost: 0, throttledRetryCost: 0 } }, { budget: { ...DEFAULTS.budget, retryCost: 0, throttledRetryCost: 0 } }],
    ['fractional tokens', { budget: { maxTokens: 1.5, retryCost: 1.5, successReward: 0.1 } }, { budget: { ...DEFAULTS.budget, maxTokens: 1.5, retryCost: 1.5, successReward: 0.1 } }],
    ['a cost equal to maxTokens', { budget: { maxTokens: 5, retryCost: 5 } }, { budget: { ...DEFAULTS.budget, maxTokens: 5 } }],
    ['shareRateLimit false', { shareRateLimit: false }, { shareRateLimit: false }],
    ['deadlineMs 1', { deadlineMs: 1 }, { deadlineMs: 1 }],
    ['fractional deadlineMs', { deadlineMs: 2.5 }, { deadlineMs: 2.5 }],
    ['deadlineMs at the timer limit', { deadlineMs: MAX_TIMER_MS }, { deadlineMs: MAX_TIMER_MS }],
  ])('accepts %s', (_label, retry, expected) => {
    expect(plain(resolveOptions({ retry }))).toStrictEqual({ ...DEFAULT_PLAIN, ...expected });
  });

  it("does not mutate the caller's objects, and copies the statuses", () => {
    const onRetry = (): void => {};
    const options = deepFreeze({ retry: { retries: 2, statuses: [503, 429], onRetry } });
    const policy = resolveOptions(options);
    expect(options).toStrictEqual({ retry: { retries: 2, statuses: [503, 429], onRetry } });

    const statuses = [503];
    const copied = resolveOptions({ retry: { statuses } });
    statuses.push(500);
    expect(statuses).toEqual([503, 500]);
    expect(copied !== false && [...copied.statuses]).toEqual([503]);
    expect(policy !== false && policy.retries).toBe(2);
  });

  it('never changes the default policy', () => {
    resolveOptions({ retry: { retries: 1, statuses: [404] } });
    expect(plain(DEFAULT_POLICY)).toStrictEqual(DEFAULT_PLAIN);
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true);
  });
});

describe('requestPolicy: per-request boxRetry', () => {
  const onRetry = (): void => {};
  const instance = resolvePolicy({ retries: 2, baseDelayMs: 200, jitter: 'none', statuses: [503], onRetry }, DEFAULT_POLICY, 'retry');

  it('undefined keeps the instance policy itself', () => {
    // Worked out once, at attach: every request without boxRetry gets that very object.
    const policies = policiesOf(instance);
    expect(callPolicy(policies, undefined)).toBe(policies.normal);
    expect(plain(policies.normal)).toStrictEqual(plain(instance));
    expect(requestPolicy(false, undefined)).toBe(false);
  });

  it('false turns retries off for the request', () => {
    const policies = policiesOf(instance);
    expect(callPolicy(policies, false)).toBe(policies.once);
    expect(requestPolicy(instance, false)).toBe(false);
    expect(requestPolicy(false, false)).toBe(false);
  });

  it('an object is laid over the instance policy', () => {
    const policy = requestPolicy(instance, { retries: 7, maxRetryAfterMs: 5000 });
    expect(plain(policy)).toStrictEqual({
      ...DEFAULT_PLAIN,
      retries: 7,
      baseDelayMs: 200,
      jitter: 'none',
      maxRetryAfterMs: 5000,
      statuses: [503],
      onRetry,
    });
    expect(Object.isFrozen(policy)).toBe(true);
  });

  it('{} is a copy of the instance policy; undefined fields keep it', () => {
    expect(plain(requestPolicy(instance, {}))).toStrictEqual(plain(instance));
    expect(plain(requestPolicy(instance, { retries: undefined, idempotent: undefined }))).toStrictEqual(plain(instance));
  });

  it('idempotent is allowed per request', () => {
    const yes = requestPolicy(instance, { idempotent: true });
    const no = requestPolicy(instance, { idempotent: false });
    expect(yes !== false && yes.idempotent).toBe(true);
    expect(no !== false && no.idempotent).toBe(false);
    expect(plain(yes)).toStrictEqual({ ...(plain(instance) as object), idempotent: true });
  });

  it('an object over an instance with retry: false gives the defaults plus the override', () => {
    expect(plain(requestPolicy(false, { retries: 1 }))).toStrictEqual({ ...DEFAULT_PLAIN, retries: 1 });
    expect(plain(requestPolicy(false, {}))).toStrictEqual(DEFAULT_PLAIN);
  });

  it('never mutates the instance policy nor the frozen request object', () => {
    const before = plain(instance);
    const boxRetry = deepFreeze({ retries: 9, statuses: [500, 502], idempotent: true });
    requestPolicy(instance, boxRetry);
    expect(plain(instance)).toStrictEqual(before);
    expect(boxRetry).toStrictEqual({ retries: 9, statuses: [500, 502], idempotent: true });
  });
});

// ---------------------------------------------------------------------------------------------
// Bad values: a TypeError that names the option and the value.

const WHOLE = 'a whole number from 0 to 100';
const MS = `a number of milliseconds from 0 to ${MAX_TIMER_MS}`;
const JITTER = "one of 'full', 'equal', 'none'";
const STATUS_ITEMS = 'an array of whole numbers from 400 to 599';

/** [option, bad value, expected, how the value is described] */
const BAD_VALUES: [string, unknown, string, string][] = [
  ['retries', '3', WHOLE, '"3"'],
  ['retries', Number.NaN, WHOLE, 'NaN'],
  ['retries', Number.POSITIVE_INFINITY, WHOLE, 'Infinity'],
  ['retries', Number.NEGATIVE_INFINITY, WHOLE, '-Infinity'],
  ['retries', -1, WHOLE, '-1'],
  ['retries', 1.5, WHOLE, '1.5'],
  ['retries', 101, WHOLE, '101'],
  ['retries', 2_147_483_648, WHOLE, '2147483648'],
  ['retries', null, WHOLE, 'null'],
  ['retries', {}, WHOLE, 'an object'],
  ['retries', [3], WHOLE, 'an array (1 items)'],
  ['retries', true, WHOLE, 'true'],
  ['retries', 3n, WHOLE, '3n'],
  ['retries', () => 3, WHOLE, 'a function'],
  ...['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'].flatMap((name): [string, unknown, string, string][] => [
    [name, '1000', MS, '"1000"'],
    [name, Number.NaN, MS, 'NaN'],
    [name, Number.POSITIVE_INFINITY, MS, 'Infinity'],
    [name, Number.NEGATIVE_INFINITY, MS, '-Infinity'],
    [name, -1, MS, '-1'],
    [name, -0.5, MS, '-0.5'],
    [name, 2_147_483_648, MS, '2147483648'],
    [name, null, MS, 'null'],
    [name, {}, MS, 'an object'],
    [name, [], MS, 'an array (0 items)'],
    [name, false, MS, 'false'],
    [name, 1000n, MS, '1000n'],
  ]),
  ['jitter', 'random', JITTER, '"random"'],
  ['jitter', 'FULL', JITTER, '"FULL"'],
  ['jitter', '', JITTER, '""'],
  ['jitter', null, JITTER, 'null'],
  ['jitter', 1, JITTER, '1'],
  ['jitter', {}, JITTER, 'an object'],
  ['jitter', ['full'], JITTER, 'an array (1 items)'],
  ['statuses', '503', 'an array of statuses', '"503"'],
  ['statuses', 503, 'an array of statuses', '503'],
  ['statuses', null, 'an array of statuses', 'null'],
  ['statuses', {}, 'an array of statuses', 'an object'],
  ['statuses', new Set([503]), 'an array of statuses', 'an object'],
  ['statuses', ['503'], STATUS_ITEMS, '"503"'],
  ['statuses', [200], STATUS_ITEMS, '200'],
  ['statuses', [399], STATUS_ITEMS, '399'],
  ['statuses', [600], STATUS_ITEMS, '600'],
  ['statuses', [503.5], STATUS_ITEMS, '503.5'],
  ['statuses', [Number.NaN], STATUS_ITEMS, 'NaN'],
  ['statuses', [null], STATUS_ITEMS, 'null'],
  ['statuses', [503, 429, 202], STATUS_ITEMS, '202'],
  ['onRetry', 'log', 'a function', '"log"'],
  ['onRetry', {}, 'a function', 'an object'],
  ['onRetry', null, 'a function', 'null'],
  ['onRetry', true, 'a function', 'true'],
  ['onRetry', 0, 'a function', '0'],
  ['budget', true, 'false or an object', 'true'],
  ['budget', null, 'false or an object', 'null'],
  ['budget', 500, 'false or an object', '500'],
  ['budget', [], 'false or an object', 'an array (0 items)'],
  ['budget', new Map(), 'false or an object', 'an object'],
  ['shareRateLimit', 'true', 'a boolean', '"true"'],
  ['shareRateLimit', 1, 'a boolean', '1'],
  ['shareRateLimit', null, 'a boolean', 'null'],
  ...(
    [
      ['1000', '"1000"'],
      [0, '0'],
      [0.5, '0.5'],
      [-1, '-1'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [2_147_483_648, '2147483648'],
      [null, 'null'],
      [false, 'false'],
    ] as const
  ).map(([value, described]): [string, unknown, string, string] => [
    'deadlineMs',
    value,
    `a number of milliseconds from 1 to ${MAX_TIMER_MS}`,
    described,
  ]),
];

const ZERO_UP = 'a number of tokens from 0 to 1000000000';
const ABOVE_ZERO = 'a number of tokens above 0 to 1000000000';
/** [budget field, bad value, expected, how the value is described] */
const BAD_BUDGET: [string, unknown, string, string][] = [
  ...(['retryCost', 'throttledRetryCost'] as const).flatMap((name): [string, unknown, string, string][] => [
    [name, -1, ZERO_UP, '-1'],
    [name, Number.NaN, ZERO_UP, 'NaN'],
    [name, Number.POSITIVE_INFINITY, ZERO_UP, 'Infinity'],
    [name, '5', ZERO_UP, '"5"'],
    [name, null, ZERO_UP, 'null'],
    [name, 1e10, ZERO_UP, '10000000000'],
  ]),
  ...(['maxTokens', 'successReward'] as const).flatMap((name): [string, unknown, string, string][] => [
    [name, 0, ABOVE_ZERO, '0'],
    [name, -5, ABOVE_ZERO, '-5'],
    [name, Number.NaN, ABOVE_ZERO, 'NaN'],
    [name, Number.NEGATIVE_INFINITY, ABOVE_ZERO, '-Infinity'],
    [name, '500', ABOVE_ZERO, '"500"'],
    [name, {}, ABOVE_ZERO, 'an object'],
    [name, 1e10, ABOVE_ZERO, '10000000000'],
  ]),
];

describe('bad budget values', () => {
  it.each(BAD_BUDGET)('retry.budget.%s = %o throws a TypeError naming it', (name, value, expected, described) => {
    expect(() => resolveOptions({ retry: { budget: { [name]: value } } })).toThrow(
      new TypeError(`axios-box-status: retry.budget.${name} must be ${expected}, received ${described}`),
    );
  });

  it.each(BAD_BUDGET.filter(([name]) => name !== 'maxTokens'))(
    'boxRetry.budget.%s = %o throws a TypeError naming it',
    (name, value, expected, described) => {
      expect(() => requestPolicy(DEFAULT_POLICY, { budget: { [name]: value } } as never)).toThrow(
        new TypeError(`axios-box-status: boxRetry.budget.${name} must be ${expected}, received ${described}`),
      );
    },
  );

  it('a cost above maxTokens would refuse every retry: refused', () => {
    expect(() => resolveOptions({ retry: { budget: { maxTokens: 4 } } })).toThrow(
      new TypeError('axios-box-status: retry.budget.maxTokens must be at least retryCost (5), received 4'),
    );
    expect(() => resolveOptions({ retry: { budget: { maxTokens: 4, retryCost: 5 } } })).toThrow(
      new TypeError('axios-box-status: retry.budget.retryCost must be at most maxTokens (4), received 5'),
    );
    expect(() => resolveOptions({ retry: { budget: { maxTokens: 10, throttledRetryCost: 11 } } })).toThrow(
      new TypeError('axios-box-status: retry.budget.throttledRetryCost must be at most maxTokens (10), received 11'),
    );
  });

  it('unknown budget fields name the key', () => {
    expect(() => resolveOptions({ retry: { budget: { capacity: 10 } } })).toThrow(
      new TypeError(
        'axios-box-status: unknown option retry.budget.capacity (known: maxTokens, retryCost, throttledRetryCost, successReward)',
      ),
    );
  });

  it('per request: false, or costs laid over the instance budget; never maxTokens', () => {
    const instance = resolvePolicy({ budget: { maxTokens: 40, retryCost: 4 } }, DEFAULT_POLICY, 'retry');
    expect(requestPolicy(instance, { budget: false })).toMatchObject({ budget: false });
    expect(requestPolicy(instance, { budget: { retryCost: 0 } })).toMatchObject({
      budget: { maxTokens: 40, retryCost: 0, throttledRetryCost: 1, successReward: 1 },
    });
    expect(() => requestPolicy(instance, { budget: { maxTokens: 10 } })).toThrow(
      new TypeError(
        'axios-box-status: boxRetry.budget.maxTokens cannot be set per request: the bucket belongs to the instance (set retry.budget.maxTokens)',
      ),
    );
    // A cost is still checked against the instance's bucket.
    expect(() => requestPolicy(instance, { budget: { retryCost: 41 } })).toThrow(
      new TypeError('axios-box-status: boxRetry.budget.retryCost must be at most maxTokens (40), received 41'),
    );
  });

  it('per request, an instance without a budget accepts only false', () => {
    const instance = resolvePolicy({ budget: false }, DEFAULT_POLICY, 'retry');
    expect(requestPolicy(instance, { budget: false })).toMatchObject({ budget: false });
    expect(requestPolicy(instance, { budget: undefined })).toMatchObject({ budget: false });
    expect(() => requestPolicy(instance, { budget: { retryCost: 1 } })).toThrow(
      new TypeError(
        'axios-box-status: boxRetry.budget must be false or unset on an instance without a budget (retry.budget: false), received an object',
      ),
    );
  });

  it('per request, shareRateLimit and deadlineMs override the instance', () => {
    const instance = resolvePolicy({ deadlineMs: 1000 }, DEFAULT_POLICY, 'retry');
    expect(requestPolicy(instance, { deadlineMs: 50, shareRateLimit: false })).toMatchObject({
      deadlineMs: 50,
      shareRateLimit: false,
    });
    expect(requestPolicy(instance, { deadlineMs: undefined })).toMatchObject({ deadlineMs: 1000, shareRateLimit: true });
  });
});

describe.each<['retry' | 'boxRetry', (input: Record<string, unknown>) => unknown]>([
  ['retry', (input) => resolveOptions({ retry: input })],
  ['boxRetry', (input) => requestPolicy(DEFAULT_POLICY, input as never)],
])('bad %s values', (prefix, resolve) => {
  it.each(BAD_VALUES)(`${prefix}.%s = %o throws a TypeError naming it`, (name, value, expected, described) => {
    const message = `axios-box-status: ${prefix}.${name} must be ${expected}, received ${described}`;
    expect(() => resolve({ [name]: value })).toThrow(TypeError);
    expect(() => resolve({ [name]: value })).toThrow(new TypeError(message));
  });

  it('baseDelayMs over maxDelayMs: a mistake when set together, a cap when set apart', () => {
    // min(maxDelayMs, baseDelayMs * 2 ** (n - 1)): every wait is simply the cap.
    expect(resolve({ baseDelayMs: 40_000 })).toMatchObject({ baseDelayMs: 40_000, maxDelayMs: 30_000 });
    expect(resolve({ maxDelayMs: 500 })).toMatchObject({ baseDelayMs: 1000, maxDelayMs: 500 });
    expect(() => resolve({ baseDelayMs: 100, maxDelayMs: 50 })).toThrow(
      new TypeError(`axios-box-status: ${prefix}.baseDelayMs must be at most maxDelayMs (50), received 100`),
    );
  });
});

describe('bad option shapes', () => {
  it.each<[unknown, string]>([
    [null, 'null'],
    ['x', '"x"'],
    [[], 'an array (0 items)'],
    [5, '5'],
    [true, 'true'],
    [() => ({}), 'a function'],
  ])('options = %o', (options, described) => {
    expect(() => resolveOptions(options)).toThrow(TypeError);
    expect(() => resolveOptions(options)).toThrow(
      new TypeError(`axios-box-status: options must be an object, received ${described}`),
    );
  });

  it.each<[unknown, string]>([
    [true, 'true'],
    [null, 'null'],
    ['no', '"no"'],
    [0, '0'],
    [[], 'an array (0 items)'],
  ])('retry = %o', (retry, described) => {
    expect(() => resolveOptions({ retry })).toThrow(
      new TypeError(`axios-box-status: retry must be false or an object, received ${described}`),
    );
  });

  it.each<[unknown, string]>([
    [true, 'true'],
    [null, 'null'],
    ['once', '"once"'],
    [[1], 'an array (1 items)'],
  ])('boxRetry = %o', (boxRetry, described) => {
    expect(() => requestPolicy(DEFAULT_POLICY, boxRetry as never)).toThrow(
      new TypeError(`axios-box-status: boxRetry must be false or an object, received ${described}`),
    );
    expect(() => requestPolicy(false, boxRetry as never)).toThrow(
      new TypeError(`axios-box-status: boxRetry must be false or an object, received ${described}`),
    );
  });

  it('unknown top-level option names the key', () => {
    expect(() => resolveOptions({ retries: 3 })).toThrow(
      new TypeError('axios-box-status: unknown option retries (known: retry, auth, store, scope, rateLimit)'),
    );
    expect(() => resolveOptions({ retry: {}, timeout: undefined })).toThrow(
      new TypeError('axios-box-status: unknown option timeout (known: retry, auth, store, scope, rateLimit)'),
    );
  });

  it('unknown retry option names the key', () => {
    expect(() => resolveOptions({ retry: { retry: 3 } })).toThrow(
      new TypeError(`axios-box-status: unknown option retry.retry (known: ${POLICY_KEYS})`),
    );
    expect(() => resolveOptions({ retry: { maxRetries: 3 } })).toThrow(
      new TypeError(`axios-box-status: unknown option retry.maxRetries (known: ${POLICY_KEYS})`),
    );
  });

  it('idempotent is unknown at the instance level', () => {
    expect(() => resolveOptions({ retry: { idempotent: true } })).toThrow(
      new TypeError(`axios-box-status: unknown option retry.idempotent (known: ${POLICY_KEYS})`),
    );
    expect(() => resolvePolicy({ idempotent: true }, DEFAULT_POLICY, 'retry')).toThrow(TypeError);
  });

  it('unknown boxRetry option names the key', () => {
    expect(() => requestPolicy(DEFAULT_POLICY, { delay: 5 } as never)).toThrow(
      new TypeError(`axios-box-status: unknown option boxRetry.delay (known: ${REQUEST_KEYS})`),
    );
  });

  it.each<[unknown, string]>([
    ['yes', '"yes"'],
    [1, '1'],
    [null, 'null'],
  ])('boxRetry.idempotent = %o', (idempotent, described) => {
    expect(() => requestPolicy(DEFAULT_POLICY, { idempotent } as never)).toThrow(
      new TypeError(`axios-box-status: boxRetry.idempotent must be a boolean, received ${described}`),
    );
  });

  it('per request, a base above the inherited cap is capped, not refused', () => {
    const instance = resolvePolicy({ maxDelayMs: 2000 }, DEFAULT_POLICY, 'retry');
    expect(requestPolicy(instance, { baseDelayMs: 3000 })).toMatchObject({ baseDelayMs: 3000, maxDelayMs: 2000 });
    expect(requestPolicy(DEFAULT_POLICY, { maxDelayMs: 500 })).toMatchObject({ baseDelayMs: 1000, maxDelayMs: 500 });
    expect(() => requestPolicy(instance, { baseDelayMs: 3000, maxDelayMs: 1000 })).toThrow(
      new TypeError('axios-box-status: boxRetry.baseDelayMs must be at most maxDelayMs (1000), received 3000'),
    );
  });

  it('options and policies must be plain objects', () => {
    for (const value of [new Map([['retries', -1]]), new Date(), new (class Policy {})()]) {
      expect(() => resolveOptions({ retry: value })).toThrow(TypeError);
      expect(() => resolveOptions(value)).toThrow(TypeError);
    }
    expect(resolveOptions({ retry: Object.assign(Object.create(null), { retries: 2 }) })).toMatchObject({ retries: 2 });
  });
});
