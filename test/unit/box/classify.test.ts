import { describe, expect, it } from 'vitest';
import { classifyStatus } from '../../../src/box/classify.js';
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
