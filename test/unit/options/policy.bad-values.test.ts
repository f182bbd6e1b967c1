import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type ResolvedPolicy } from '../../../src/options/policy.js';
import { resolveOptions as resolveAttachOptions } from '../../../src/options/attach-options.js';
import { callPolicy, policiesOf } from '../../../src/options/policy.js';

/** The instance's retry policy that `attachBoxStatus` resolves from its options. */
const resolveOptions = (options: unknown): ResolvedPolicy | false => resolveAttachOptions(options).retry;
/** The policy a request runs by over an instance policy. */
const requestPolicy = (instance: ResolvedPolicy, boxRetry: never) => callPolicy(policiesOf(instance), boxRetry);

// Every option, fed a wrong type, NaN, ±Infinity, a negative, a fractional and a huge value: each
// is either refused with a TypeError naming the option and the value, or taken exactly as given.
// A new option that is not in this table fails the completeness check at the bottom.

const MAX_TIMER_MS = 2_147_483_647;
const WHOLE = 'a whole number from 0 to 100';
const MS = `a number of milliseconds from 0 to ${MAX_TIMER_MS}`;
const DEADLINE = `a number of milliseconds from 1 to ${MAX_TIMER_MS}`;
const ZERO_UP = 'a number of tokens from 0 to 1000000000';
const ABOVE_ZERO = 'a number of tokens above 0 to 1000000000';

const CASES = [
  ['wrong type', '5', '"5"'],
  ['NaN', Number.NaN, 'NaN'],
  ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
  ['-Infinity', Number.NEGATIVE_INFINITY, '-Infinity'],
  ['negative', -1, '-1'],
  ['fractional', 1.5, '1.5'],
  ['huge', 1e21, '1e+21'],
] as const;

/** 'x': refused with the option's message; 'ok': taken as given; else the exact message. */
type Outcome = 'x' | 'ok' | { message: string };

interface Row {
  /** The option's path under `retry.` / `boxRetry.`. */
  option: string;
  /** What the message says the option must be. */
  expected: string;
  /** One outcome per case, in the order of CASES. */
  outcomes: [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];
  /** Put the value where the option reads it. */
  place?: (value: unknown) => Record<string, unknown>;
}

const atTop = (option: string) => (value: unknown) => ({ [option]: value });
const inBudget = (field: string) => (value: unknown) => ({ budget: { [field]: value } });

const ROWS: Row[] = [
  { option: 'retries', expected: WHOLE, outcomes: ['x', 'x', 'x', 'x', 'x', 'x', 'x'] },
  { option: 'baseDelayMs', expected: MS, outcomes: ['x', 'x', 'x', 'x', 'x', 'ok', 'x'] },
  { option: 'maxDelayMs', expected: MS, outcomes: ['x', 'x', 'x', 'x', 'x', 'ok', 'x'] },
  { option: 'maxRetryAfterMs', expected: MS, outcomes: ['x', 'x', 'x', 'x', 'x', 'ok', 'x'] },
  { option: 'deadlineMs', expected: DEADLINE, outcomes: ['x', 'x', 'x', 'x', 'x', 'ok', 'x'] },
  { option: 'jitter', expected: "one of 'full', 'equal', 'none'", outcomes: ['x', 'x', 'x', 'x', 'x', 'x', 'x'] },
  { option: 'statuses', expected: 'an array of statuses', outcomes: ['x', 'x', 'x', 'x', 'x', 'x', 'x'] },
  {
    option: 'statuses[]',
    expected: 'an array of whole numbers from 400 to 599',
    place: (value) => ({ statuses: [503, value] }),
    outcomes: ['x', 'x', 'x', 'x', 'x', 'x', 'x'],
  },
  { option: 'onRetry', expected: 'a function', outcomes: ['x', 'x', 'x', 'x', 'x', 'x', 'x'] },
  { option: 'shareRateLimit', expected: 'a boolean', outcomes: ['x', 'x', 'x', 'x', 'x', 'x', 'x'] },
  { option: 'budget', expected: 'false or an object', outcomes: ['x', 'x', 'x', 'x', 'x', 'x', 'x'] },
  {
    option: 'budget.maxTokens',
    expected: ABOVE_ZERO,
    place: inBudget('maxTokens'),
    // 1.5 tokens is a bucket, but smaller than the default cost of a retry (5).
    outcomes: ['x', 'x', 'x', 'x', 'x', { message: 'must be at least retryCost (5), received 1.5' }, 'x'],
  },
  { option: 'budget.retryCost', expected: ZERO_UP, place: inBudget('retryCost'), outcomes: ['x', 'x', 'x', 'x', 'x', 'ok', 'x'] },
  {
    option: 'budget.throttledRetryCost',
    expected: ZERO_UP,
    place: inBudget('throttledRetryCost'),
    outcomes: ['x', 'x', 'x', 'x', 'x', 'ok', 'x'],
  },
  {
    option: 'budget.successReward',
    expected: ABOVE_ZERO,
    place: inBudget('successReward'),
    outcomes: ['x', 'x', 'x', 'x', 'x', 'ok', 'x'],
  },
];

/** Per request only. */
const IDEMPOTENT: Row = { option: 'idempotent', expected: 'a boolean', outcomes: ['x', 'x', 'x', 'x', 'x', 'x', 'x'] };

/** The policy field an accepted value lands in, for the options that can take one. */
function landed(policy: unknown, option: string): unknown {
  const [head, field] = option.split('.') as [string, string | undefined];
  const value = (policy as Record<string, unknown>)[head];
  return field === undefined ? value : (value as Record<string, unknown>)[field];
}

function matrix(rows: Row[]): [string, string, Row, unknown, string, Outcome][] {
  return rows.flatMap((row) =>
    CASES.map(([name, value, described], index): [string, string, Row, unknown, string, Outcome] => [
      row.option,
      name,
      row,
      // jitter's right type is a string: a number is its wrong type.
      name === 'wrong type' && row.option === 'jitter' ? 5 : value,
      name === 'wrong type' && row.option === 'jitter' ? '5' : described,
      row.outcomes[index] as Outcome,
    ]),
  );
}

describe.each<['retry' | 'boxRetry', (input: Record<string, unknown>) => unknown, Row[]]>([
  ['retry', (input) => resolveOptions({ retry: input }), ROWS],
  ['boxRetry', (input) => requestPolicy(DEFAULT_POLICY, input as never), [...ROWS, IDEMPOTENT]],
])('%s: every option against every kind of bad value', (prefix, resolve, rows) => {
  it.each(matrix(rows))('%s, %s', (option, _case, row, value, described, outcome) => {
    const input = (row.place ?? atTop(option))(value);
    const name = `${prefix}.${option.replace('[]', '')}`;
    if (prefix === 'boxRetry' && option === 'budget.maxTokens') {
      // The bucket belongs to the instance, whatever the value.
      expect(() => resolve(input)).toThrow(
        new TypeError(
          'axios-box-status: boxRetry.budget.maxTokens cannot be set per request: the bucket belongs to the instance (set retry.budget.maxTokens)',
        ),
      );
      return;
    }
    if (outcome === 'ok') {
      expect(landed(resolve(input), option)).toBe(value);
      return;
    }
    const message =
      outcome === 'x'
        ? `axios-box-status: ${name} must be ${row.expected}, received ${described}`
        : `axios-box-status: ${name} ${outcome.message}`;
    expect(() => resolve(input)).toThrow(new TypeError(message));
  });
});

describe('the table covers every option', () => {
  /** The option names an unknown-option error lists as known. */
  function known(resolve: () => unknown): string[] {
    try {
      resolve();
    } catch (error) {
      const list = /\(known: (.*)\)$/.exec((error as Error).message)?.[1];
      if (list) return list.split(', ');
    }
    throw new Error('expected an unknown-option TypeError that lists the known options');
  }

  const covered = (rows: Row[]): string[] =>
    [...new Set(rows.map((row) => row.option.replace('[]', '')))].sort();

  it('retry: every policy and budget option', () => {
    const policy = known(() => resolveOptions({ retry: { unknownOption: 1 } }));
    const budget = known(() => resolveOptions({ retry: { budget: { unknownOption: 1 } } })).map((f) => `budget.${f}`);
    expect(covered(ROWS)).toEqual([...policy, ...budget].sort());
  });

  it('boxRetry: the same, plus idempotent', () => {
    const perRequest = known(() => requestPolicy(DEFAULT_POLICY, { unknownOption: 1 } as never));
    const budget = known(() => requestPolicy(DEFAULT_POLICY, { budget: { unknownOption: 1 } } as never)).map(
      (f) => `budget.${f}`,
    );
    expect(covered([...ROWS, IDEMPOTENT])).toEqual([...perRequest, ...budget].sort());
  });

  it('the top level has retry, whose own bad values are tested with the shapes, auth (auth.test.ts), and store, scope and rateLimit (store.test.ts)', () => {
    expect(known(() => resolveOptions({ unknownOption: 1 }))).toEqual(['retry', 'auth', 'store', 'scope', 'rateLimit']);
  });
});
