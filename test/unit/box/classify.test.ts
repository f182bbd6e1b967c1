import { describe, expect, it } from 'vitest';
import { classifyStatus, isRetryableStatus } from '../../../src/box/classify.js';
import { BOX_RETRY_DEFAULTS } from '../../../src/options/policy.js';
import type { BoxStatusKind } from '../../../src/types.js';

describe('classifyStatus', () => {
  it.each<[number, BoxStatusKind]>([
    [199, 'unknown'],
    [200, 'success'],
    [202, 'success'],
    [204, 'success'],
    [299, 'success'],
    [300, 'redirect'],
    [302, 'redirect'],
    [304, 'redirect'],
    [399, 'redirect'],
    [400, 'client-error'],
    [404, 'client-error'],
    [429, 'client-error'],
    [499, 'client-error'],
    [500, 'server-error'],
    [503, 'server-error'],
    [599, 'server-error'],
    [600, 'unknown'],
    [100, 'unknown'],
    [0, 'unknown'],
    [-0, 'unknown'],
    [-1, 'unknown'],
    [-200, 'unknown'],
    [1.5, 'unknown'],
    [200.5, 'unknown'],
    [299.999, 'unknown'],
    [Number.NaN, 'unknown'],
    [Number.POSITIVE_INFINITY, 'unknown'],
    [Number.NEGATIVE_INFINITY, 'unknown'],
    [Number.MAX_SAFE_INTEGER, 'unknown'],
  ])('classifyStatus(%s) is %s', (status, kind) => {
    expect(classifyStatus(status)).toBe(kind);
  });

  it.each<[string, unknown]>([
    ['the string "200"', '200'],
    ['the string "503"', '503'],
    ['null', null],
    ['undefined', undefined],
    ['an object', {}],
    ['an object with a status', { status: 200 }],
    ['an array', [200]],
    ['true', true],
    ['a bigint', 200n],
    ['a Number object', Object(200)],
  ])('a non-number (%s) is unknown', (_label, value) => {
    expect(classifyStatus(value as never)).toBe('unknown');
  });
});

describe('isRetryableStatus', () => {
  const defaults: ReadonlySet<number> = new Set(BOX_RETRY_DEFAULTS.statuses);

  it('202 is retryable only with a Retry-After', () => {
    expect(isRetryableStatus(202, undefined, defaults)).toBe(false);
    expect(isRetryableStatus(202, 0, defaults)).toBe(true);
    expect(isRetryableStatus(202, 5000, defaults)).toBe(true);
  });

  it('202 ignores the statuses set either way', () => {
    expect(isRetryableStatus(202, undefined, new Set([202]))).toBe(false);
    expect(isRetryableStatus(202, 1000, new Set())).toBe(true);
  });

  it.each<[number, boolean]>([
    [200, false],
    [201, false],
    [204, false],
    [302, false],
    [400, false],
    [401, false],
    [404, false],
    [409, false],
    [412, false],
    [429, true],
    [500, true],
    [501, false],
    [502, true],
    [503, true],
    [504, true],
    [505, false],
    [506, true],
    [507, false],
    [508, true],
    [599, true],
  ])('with the default statuses, %s is retryable: %s', (status, retryable) => {
    expect(isRetryableStatus(status, undefined, defaults)).toBe(retryable);
  });

  it('a Retry-After does not make a non-202 status retryable, nor a retryable one not', () => {
    expect(isRetryableStatus(404, 1000, defaults)).toBe(false);
    expect(isRetryableStatus(200, 1000, defaults)).toBe(false);
    expect(isRetryableStatus(503, 1000, defaults)).toBe(true);
    expect(isRetryableStatus(429, 0, defaults)).toBe(true);
  });

  it('follows a custom statuses set', () => {
    const custom = new Set([404, 409]);
    expect(isRetryableStatus(404, undefined, custom)).toBe(true);
    expect(isRetryableStatus(409, undefined, custom)).toBe(true);
    expect(isRetryableStatus(503, undefined, custom)).toBe(false);
    expect(isRetryableStatus(429, 1000, custom)).toBe(false);
    expect(isRetryableStatus(503, undefined, new Set())).toBe(false);
  });
});
