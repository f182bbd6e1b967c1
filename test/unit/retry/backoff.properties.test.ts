import { AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, retryDelayMs } from '../../../src/retry/backoff.js';
import { decideRetry } from '../../../src/retry/decide.js';
import { failureOf, type Failure } from '../../../src/retry/failure.js';
import { BOX_RETRY_DEFAULTS, DEFAULT_POLICY } from '../../../src/options/policy.js';
import { resolvePolicy } from '../../../src/options/policy.js';
import { parseRetryAfter } from '../../../src/box/retry-after.js';
import type { BoxJitter } from '../../../src/options/retry-policy.js';

const MAX_TIMER_MS = 2_147_483_647;
const JITTERS: readonly BoxJitter[] = ['full', 'equal', 'none'];

/**
 * A delay the options accept: 0 to 2147483647 ms, whole or not. Subnormal delays (below 1e-300 ms)
 * are left out: halving one rounds, so equal jitter can overshoot such a cap by 5e-324 ms.
 */
const delayMs = fc.oneof(
  fc.integer({ min: 0, max: 100_000 }),
  fc.integer({ min: 0, max: MAX_TIMER_MS }),
  fc.double({ min: 0, max: MAX_TIMER_MS, noNaN: true }).map((ms) => (ms < 1e-300 ? 0 : ms)),
  fc.constantFrom(0, 1e-300, 0.5, 1, MAX_TIMER_MS),
);
/**
 * Any policy the options accept. baseDelayMs above maxDelayMs is valid when they are set apart (a
 * per-request base above the instance's cap), so the two are drawn independently.
 */
const backoffPolicy = fc.record({ baseDelayMs: delayMs, maxDelayMs: delayMs, jitter: fc.constantFrom(...JITTERS) });
const unitRandom = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

/** The documented ceiling: min(maxDelayMs, baseDelayMs * 2 ** (retry - 1)). */
function ceilingOf(retry: number, policy: { baseDelayMs: number; maxDelayMs: number }): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
}

describe('backoffDelayMs: properties', () => {
  it('for any valid policy, retry 1..200 and random in [0, 1): a finite wait from 0 to maxDelayMs, shaped by the jitter', () => {
    fc.assert(
      fc.property(backoffPolicy, fc.integer({ min: 1, max: 200 }), unitRandom, (policy, retry, r) => {
        const wait = backoffDelayMs(retry, policy, () => r);
        const ceiling = ceilingOf(retry, policy);
        expect(Number.isFinite(wait)).toBe(true);
        expect(wait).toBeGreaterThanOrEqual(0);
        expect(wait).toBeLessThanOrEqual(policy.maxDelayMs);
        expect(wait).toBeLessThanOrEqual(ceiling);
        if (policy.jitter === 'none') expect(wait).toBe(ceiling);
        if (policy.jitter === 'equal') expect(wait).toBeGreaterThanOrEqual(ceiling / 2);
      }),
      {
        numRuns: 2000,
        examples: [
          [{ baseDelayMs: MAX_TIMER_MS, maxDelayMs: MAX_TIMER_MS, jitter: 'equal' }, 200, 0.9999999999999999],
          [{ baseDelayMs: 1, maxDelayMs: 0, jitter: 'none' }, 1, 0],
          [{ baseDelayMs: 1e-300, maxDelayMs: MAX_TIMER_MS, jitter: 'equal' }, 200, 0.5],
          [{ baseDelayMs: MAX_TIMER_MS, maxDelayMs: 1e-300, jitter: 'equal' }, 1, 0.8333333333333334],
        ],
      },
    );
  });

  it('the Box defaults double from 1 s and stop at 30 s', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), unitRandom, fc.constantFrom(...JITTERS), (retry, r, jitter) => {
        const policy = { baseDelayMs: BOX_RETRY_DEFAULTS.baseDelayMs, maxDelayMs: BOX_RETRY_DEFAULTS.maxDelayMs, jitter };
        const ceiling = Math.min(30_000, 1000 * 2 ** (retry - 1));
        const wait = backoffDelayMs(retry, policy, () => r);
        expect(wait).toBeLessThanOrEqual(ceiling);
        expect(wait).toBeGreaterThanOrEqual(jitter === 'full' ? 0 : ceiling / 2);
        if (jitter === 'none') expect(wait).toBe(ceiling);
      }),
      { numRuns: 500 },
    );
  });

  it('never shrinks from one retry to the next without jitter, nor as random grows with it', () => {
    fc.assert(
      fc.property(backoffPolicy, fc.integer({ min: 1, max: 199 }), unitRandom, unitRandom, (policy, retry, a, b) => {
        const none = { ...policy, jitter: 'none' as const };
        expect(backoffDelayMs(retry + 1, none, () => 0)).toBeGreaterThanOrEqual(backoffDelayMs(retry, none, () => 0));
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(backoffDelayMs(retry, policy, () => high)).toBeGreaterThanOrEqual(backoffDelayMs(retry, policy, () => low));
      }),
      { numRuns: 1000 },
    );
  });

  it('calls random() once for a jittered wait and never for jitter none', () => {
    fc.assert(
      fc.property(backoffPolicy, fc.integer({ min: 1, max: 200 }), unitRandom, (policy, retry, r) => {
        let calls = 0;
        backoffDelayMs(retry, policy, () => {
          calls += 1;
          return r;
        });
        expect(calls).toBe(policy.jitter === 'none' ? 0 : 1);
      }),
      { numRuns: 300 },
    );
  });

  it('a random() outside [0, 1) (NaN, 1, negative, huge) counts as 0 and still gives a wait within the cap', () => {
    fc.assert(
      fc.property(
        backoffPolicy,
        fc.integer({ min: 1, max: 200 }),
        fc.double().filter((r) => !(r >= 0 && r < 1)),
        (policy, retry, r) => {
          const wait = backoffDelayMs(retry, policy, () => r);
          expect(wait).toBe(backoffDelayMs(retry, policy, () => 0));
          expect(wait).toBeGreaterThanOrEqual(0);
          expect(wait).toBeLessThanOrEqual(policy.maxDelayMs);
        },
      ),
      { numRuns: 300, examples: [[{ baseDelayMs: 1000, maxDelayMs: 30_000, jitter: 'full' }, 3, Number.NaN]] },
    );
  });

  // The plugin stops at retry 101 (retries is at most 100), but the function is documented for any
  // retry count: 2 ** n overflows to Infinity from n = 1024 on, and 0 * Infinity is NaN.
  it('stays a finite wait within the cap for any retry count, however large, even with baseDelayMs 0', () => {
    fc.assert(
      fc.property(
        backoffPolicy,
        fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
        unitRandom,
        (policy, retry, r) => {
          const wait = backoffDelayMs(retry, policy, () => r);
          expect(Number.isFinite(wait)).toBe(true);
          expect(wait).toBeGreaterThanOrEqual(0);
          expect(wait).toBeLessThanOrEqual(policy.maxDelayMs);
          if (policy.jitter === 'none' && retry <= 1024) expect(wait).toBe(ceilingOf(retry, policy));
        },
      ),
      { numRuns: 1000, examples: [[{ baseDelayMs: 0, maxDelayMs: 30_000, jitter: 'none' }, 1025, 0.5]] },
    );
  });
});

describe('retryDelayMs: a Retry-After is waited exactly', () => {
  it('with a Retry-After the wait is exactly it, jitter or not; without one, the backoff', () => {
    fc.assert(
      fc.property(
        backoffPolicy,
        fc.integer({ min: 1, max: 200 }),
        fc.option(fc.integer({ min: 0, max: MAX_TIMER_MS })),
        unitRandom,
        (policy, retry, retryAfterMs, r) => {
          const decided = retryDelayMs(retry, policy, retryAfterMs ?? undefined, () => r);
          if (retryAfterMs === null) {
            expect(decided).toEqual({ delayMs: backoffDelayMs(retry, policy, () => r), delaySource: 'backoff' });
          } else {
            expect(decided).toEqual({ delayMs: retryAfterMs, delaySource: 'retry-after' });
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('decideRetry: a retryable response with a Retry-After within maxRetryAfterMs is retried after exactly that', () => {
  const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

  /** A policy resolvePolicy accepts, set together (so base <= max). */
  const policy = fc
    .record({
      delays: fc.tuple(delayMs, delayMs).map(([a, b]) => (a <= b ? [a, b] : [b, a])),
      jitter: fc.constantFrom(...JITTERS),
      maxRetryAfterMs: fc.oneof(fc.integer({ min: 0, max: 600_000 }), delayMs),
      retries: fc.integer({ min: 1, max: 100 }),
    })
    .map(({ delays: [baseDelayMs, maxDelayMs], jitter, maxRetryAfterMs, retries }) =>
      resolvePolicy({ baseDelayMs, maxDelayMs, jitter, maxRetryAfterMs, retries }, DEFAULT_POLICY, 'retry'),
    );

  /** A Retry-After header as servers send it: seconds (mostly small, including 0), decimals, dates. */
  const retryAfter = fc.oneof(
    fc.integer({ min: 0, max: 5 }).map((s) => ({ text: String(s), ms: s * 1000 })),
    fc.integer({ min: 0, max: 3_000_000 }).map((s) => ({ text: String(s), ms: Math.min(s * 1000, MAX_TIMER_MS) })),
    fc.integer({ min: 0, max: 999_999 }).map((ms) => ({ text: (ms / 1000).toFixed(3), ms })),
    fc.integer({ min: -100_000, max: 100_000 }).map((s) => ({
      text: new Date(NOW + s * 1000).toUTCString(),
      ms: Math.max(0, s * 1000),
    })),
  );

  const request = fc.constantFrom(
    { status: 429, method: 'get' },
    { status: 503, method: 'get' },
    { status: 500, method: 'delete' },
    { status: 429, method: 'post' },
    { status: 202, method: 'post' },
    { status: 202, method: 'get' },
  );

  /** The header as a plain object may carry it: any case, or repeated (first value wins). */
  const headerShape = fc.constantFrom('axios', 'plain', 'capitalised', 'repeated');

  function failure(status: number, method: string, value: string, shape: string): Failure {
    const config = { method, headers: new AxiosHeaders() } as InternalAxiosRequestConfig;
    const headers =
      shape === 'axios'
        ? new AxiosHeaders({ 'retry-after': value })
        : shape === 'plain'
          ? { 'retry-after': value }
          : shape === 'capitalised'
            ? { 'Retry-After': value }
            : { 'retry-after': [value, '99999'] };
    const response = { status, statusText: '', headers, config, data: '' } as unknown as AxiosResponse;
    return failureOf(config, response, undefined, NOW);
  }

  it('never less, never more: delayMs is the Retry-After, or the retry is refused with the reason', () => {
    fc.assert(
      fc.property(
        policy.chain((p) => fc.tuple(fc.constant(p), fc.integer({ min: 1, max: p.retries }))),
        request,
        retryAfter,
        headerShape,
        unitRandom,
        ([p, sent], { status, method }, { text, ms }, shape, r) => {
          expect(parseRetryAfter(text, NOW)).toBe(ms);
          const decision = decideRetry(failure(status, method, text, shape), p, sent, () => r);
          if (ms <= p.maxRetryAfterMs && ms < MAX_TIMER_MS) {
            expect(decision).toEqual({
              retry: true,
              reason: status === 202 ? 'retry-after' : `status ${status}`,
              status,
              retryAfterMs: ms,
              delayMs: ms,
              delaySource: 'retry-after',
            });
          } else {
            expect(decision.retry).toBe(false);
            expect(decision.retry === false && decision.notRetriedReason).toMatch(/^Retry-After of \d+ ms/);
          }
        },
      ),
      {
        numRuns: 1000,
        examples: [
          [
            [resolvePolicy({ maxRetryAfterMs: 0, retries: 1 }, DEFAULT_POLICY, 'retry'), 1],
            { status: 429, method: 'get' },
            { text: '0', ms: 0 },
            'axios',
            0.5,
          ],
          [
            [resolvePolicy({ maxRetryAfterMs: MAX_TIMER_MS, retries: 1 }, DEFAULT_POLICY, 'retry'), 1],
            { status: 503, method: 'get' },
            { text: '2147483.647', ms: MAX_TIMER_MS },
            'plain',
            0.5,
          ],
        ],
      },
    );
  });

  it('after the last retry, no Retry-After buys another attempt', () => {
    fc.assert(
      fc.property(policy, request, retryAfter, unitRandom, (p, { status, method }, { text, ms }, r) => {
        const decision = decideRetry(failure(status, method, text, 'axios'), p, p.retries + 1, () => r);
        expect(decision.retry).toBe(false);
        // A Retry-After over the limit is named first; otherwise retries simply ran out.
        if (ms <= p.maxRetryAfterMs && ms < MAX_TIMER_MS) expect(decision).toEqual({ retry: false, notRetriedReason: undefined });
      }),
      { numRuns: 200 },
    );
  });
});
