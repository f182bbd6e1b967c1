import { describe, expect, it, vi } from 'vitest';
import { backoffDelayMs, retryDelayMs } from '../../../src/retry/backoff.js';
import type { BoxJitter } from '../../../src/options/retry-policy.js';

const RETRIES = [1, 2, 3, 4, 5, 6, 7, 8];
const policy = (jitter: BoxJitter) => ({ baseDelayMs: 1000, maxDelayMs: 30_000, jitter });
const sequence = (jitter: BoxJitter, random: () => number): number[] =>
  RETRIES.map((retry) => backoffDelayMs(retry, policy(jitter), random));

describe('backoffDelayMs: min(maxDelayMs, baseDelayMs * 2 ** (n - 1)), then jitter', () => {
  it.each<[number, number[]]>([
    [0.5, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]],
    [0, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]],
    [0.999, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]],
  ])('jitter none (random %s): the capped exponential', (r, expected) => {
    expect(sequence('none', () => r)).toEqual(expected);
  });

  it.each<[number, number[]]>([
    [0.5, [500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]],
    [0, [0, 0, 0, 0, 0, 0, 0, 0]],
    [0.999, [999, 1998, 3996, 7992, 15_984, 29_970, 29_970, 29_970]],
    [0.25, [250, 500, 1000, 2000, 4000, 7500, 7500, 7500]],
  ])('jitter full (random %s): random * backoff', (r, expected) => {
    expect(sequence('full', () => r)).toEqual(expected);
  });

  it.each<[number, number[]]>([
    [0.5, [750, 1500, 3000, 6000, 12_000, 22_500, 22_500, 22_500]],
    [0, [500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]],
    [0.999, [999.5, 1999, 3998, 7996, 15_992, 29_985, 29_985, 29_985]],
    [0.25, [625, 1250, 2500, 5000, 10_000, 18_750, 18_750, 18_750]],
  ])('jitter equal (random %s): backoff / 2 + random * backoff / 2', (r, expected) => {
    expect(sequence('equal', () => r)).toEqual(expected);
  });

  it('the cap applies before jitter, so the wait never exceeds maxDelayMs', () => {
    const p = { baseDelayMs: 700, maxDelayMs: 5000, jitter: 'none' as const };
    expect(RETRIES.map((n) => backoffDelayMs(n, p, () => 0.5))).toEqual([700, 1400, 2800, 5000, 5000, 5000, 5000, 5000]);
    expect(backoffDelayMs(4, { ...p, jitter: 'full' }, () => 0.999)).toBe(4995);
    expect(backoffDelayMs(4, { ...p, jitter: 'equal' }, () => 0.999)).toBe(4997.5);
  });

  it('stays at the cap for the largest retry counts', () => {
    expect(backoffDelayMs(101, policy('none'), () => 0)).toBe(30_000);
    expect(backoffDelayMs(1100, policy('none'), () => 0)).toBe(30_000);
    expect(backoffDelayMs(1100, policy('full'), () => 0.5)).toBe(15_000);
  });

  it('a retry below 1 gets the base delay', () => {
    expect(backoffDelayMs(0, policy('none'), () => 0)).toBe(1000);
    expect(backoffDelayMs(-3, policy('none'), () => 0)).toBe(1000);
  });

  it('baseDelayMs 0 gives 0 for every jitter', () => {
    const p = { baseDelayMs: 0, maxDelayMs: 30_000 };
    expect(backoffDelayMs(5, { ...p, jitter: 'none' }, () => 0.5)).toBe(0);
    expect(backoffDelayMs(5, { ...p, jitter: 'full' }, () => 0.5)).toBe(0);
    expect(backoffDelayMs(5, { ...p, jitter: 'equal' }, () => 0.5)).toBe(0);
  });

  // 2 ** 1024 is Infinity, and 0 * Infinity is NaN.
  it('baseDelayMs 0 gives 0, not NaN, for retry counts past 1024', () => {
    const p = { baseDelayMs: 0, maxDelayMs: 30_000 };
    for (const jitter of ['none', 'full', 'equal'] as const) {
      expect(backoffDelayMs(1025, { ...p, jitter }, () => 0.5)).toBe(0);
      expect(backoffDelayMs(1e9, { ...p, jitter }, () => 0.5)).toBe(0);
    }
  });

  it.each<[string, number]>([
    ['1', 1],
    ['2', 2],
    ['-1', -1],
    ['-0.5', -0.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('random() out of [0, 1) (%s) counts as 0', (_label, r) => {
    expect(backoffDelayMs(3, policy('full'), () => r)).toBe(0);
    expect(backoffDelayMs(3, policy('equal'), () => r)).toBe(2000);
    expect(backoffDelayMs(3, policy('none'), () => r)).toBe(4000);
  });

  it('random() is called once per jittered wait and not at all for jitter none', () => {
    const random = vi.fn(() => 0.5);
    backoffDelayMs(2, policy('full'), random);
    expect(random).toHaveBeenCalledTimes(1);
    backoffDelayMs(2, policy('equal'), random);
    expect(random).toHaveBeenCalledTimes(2);
    backoffDelayMs(2, policy('none'), random);
    expect(random).toHaveBeenCalledTimes(2);
  });
});

describe('retryDelayMs', () => {
  it('without Retry-After: the jittered backoff, source backoff', () => {
    expect(retryDelayMs(1, policy('full'), undefined, () => 0.5)).toEqual({ delayMs: 500, delaySource: 'backoff' });
    expect(retryDelayMs(3, policy('equal'), undefined, () => 0.5)).toEqual({ delayMs: 3000, delaySource: 'backoff' });
    expect(retryDelayMs(8, policy('none'), undefined, () => 0.5)).toEqual({ delayMs: 30_000, delaySource: 'backoff' });
  });

  it.each<[number]>([[0], [1], [70], [999], [1000], [1001], [45_000], [60_000], [2_147_483_647]])(
    'a Retry-After of %i ms wins exactly, never jittered nor capped by maxDelayMs',
    (retryAfterMs) => {
      const random = vi.fn(() => 0.5);
      for (const jitter of ['full', 'equal', 'none'] as const) {
        for (const retry of [1, 4, 8]) {
          expect(retryDelayMs(retry, policy(jitter), retryAfterMs, random)).toEqual({
            delayMs: retryAfterMs,
            delaySource: 'retry-after',
          });
        }
      }
      expect(random).not.toHaveBeenCalled();
    },
  );

  it('returns exactly the two documented fields', () => {
    expect(Object.keys(retryDelayMs(1, policy('none'), undefined, () => 0)).sort()).toEqual(['delayMs', 'delaySource']);
    expect(Object.keys(retryDelayMs(1, policy('none'), 5, () => 0)).sort()).toEqual(['delayMs', 'delaySource']);
  });
});
