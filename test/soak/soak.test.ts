import { beforeAll, describe, expect, it } from 'vitest';
import type { BoxRetryPolicy } from '../../src/index.js';
import {
  auditSoak,
  runHeap,
  runSoak,
  surplus,
  type HeapResult,
  type HeapTransport,
  type SoakAudit,
  type SoakResult,
} from './soak-run.js';

// `npm run soak` (vitest --mode soak) runs the long version: 50,000 mixed calls per variant
// (SOAK_CALLS to change it) and heap samples every 5,000 calls, over HTTP as well.
const LONG = process.env.MODE === 'soak';
const SOAK_CALLS = LONG ? Number(process.env.SOAK_CALLS ?? 50_000) : 5_000;
const HEAP_CALLS = 50_000;
const SEED = 0x5eed;
const MB = 1024 * 1024;

// Tiny delays keep the run fast; retry-after is 0 wherever the server sends it, so the shared
// pause a 429 starts lasts at most a backoff (4 ms).
const RETRY: BoxRetryPolicy = { baseDelayMs: 1, maxDelayMs: 4 };

// See Timeouts in soak-run.ts: only the attempts the server answers slowly get the short timeout.
const TIMEOUTS = { slowAttemptMs: 1_000, otherAttemptMs: 15_000 };
const SLOW_MS = 3_000;

// The default budget is rarely short at this failure rate; a small one refuses retries all the
// time, and the invariants must hold then too, as they must with no budget at all.
const VARIANTS: Array<{ name: string; calls: number; retry: BoxRetryPolicy; refusals: 'none' | 'some' | 'any' }> = [
  { name: 'with the default retry budget', calls: SOAK_CALLS, retry: RETRY, refusals: 'any' },
  {
    name: 'with a retry budget small enough to refuse retries',
    calls: LONG ? SOAK_CALLS : 2_500,
    retry: { ...RETRY, budget: { maxTokens: 20, successReward: 0.1 } },
    refusals: 'some',
  },
  { name: 'without a retry budget', calls: LONG ? SOAK_CALLS : 2_500, retry: { ...RETRY, budget: false }, refusals: 'none' },
];

function report(line: string): void {
  // The figures the soak exists to give (run times, heap): one line each in the test output.
  console.info(`[soak] ${line}`);
}

const tally = (t: Record<string, number>): string =>
  Object.entries(t)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `${kind}×${n}`)
    .join(' ');

describe('mixed calls at concurrency 200 against a server failing about 20% of attempts', () => {
  for (const variant of VARIANTS) {
    describe(`${variant.calls} calls ${variant.name}`, () => {
      let result: SoakResult;
      let audit: SoakAudit;

      beforeAll(
        async () => {
          result = await runSoak({
            seed: SEED,
            calls: variant.calls,
            concurrency: 200,
            retry: variant.retry,
            timeouts: TIMEOUTS,
            slowMs: SLOW_MS,
            boundMs: LONG ? 600_000 : 25_000,
          });
          audit = auditSoak(result);
          const s = result.stats;
          report(
            `${variant.name}: ${variant.calls} calls in ${Math.round(result.ms)} ms; ${audit.received} requests, ` +
              `${s.retries} retries, ${s.retriesRefusedByBudget} refused by the budget, ${audit.cancelled} cancelled, ` +
              `${audit.lostInFlight} cut in flight (aborted during an attempt ${result.abortedDuringAttempt.size}, ` +
              `in a backoff ${result.abortedInBackoff.size}); resources ${tally(result.baseline)} -> ${tally(result.after)}`,
          );
        },
        LONG ? 700_000 : 40_000,
      );

      it('settles every call within the bound, none left pending', () => {
        expect(audit.pending).toEqual([]);
        expect(result.strays).toBe(0);
      });

      it('tells every caller its attempts: boxStatus.attempts, error.boxStatus.attempts or error.boxAttempts', () => {
        expect(audit.withoutAttempts).toEqual([]);
      });

      it('tells each caller exactly the requests the server received for its call', () => {
        expect(audit.countMismatches).toEqual([]);
        expect(audit.wrongNumbering).toEqual([]);
        // A randomly timed abort (or, rarely, a backoff abort whose timer ran late) may cut its
        // call's last attempt before the server reads it: the caller was told of it (it was
        // sent), the server never saw it. Nothing else may differ.
        expect(audit.told - audit.lostInFlight).toBe(audit.received);
        expect(audit.received).toBe(result.received);
        expect(result.stats.attempts).toBe(audit.told);
        // A call cancelled before it was sent never reaches the plugin's adapter.
        const before = result.plans.filter((p) => p.abort === 'before').length;
        expect(result.stats.calls).toBe(variant.calls - before);
      });

      it('ends cancelled exactly the calls that were aborted before or while they ran', () => {
        expect(audit.wrongCancels).toEqual([]);
        // Each way of aborting did happen, so the run proves something about each.
        expect(result.abortedDuringAttempt.size).toBeGreaterThan(variant.calls / 100);
        expect(result.abortedInBackoff.size).toBeGreaterThan(variant.calls / 1000);
        expect(audit.cancelled).toBeGreaterThan(result.abortedDuringAttempt.size + result.abortedInBackoff.size);
      });

      it('sends no POST twice unless it is idempotent or was answered 429 or 202 with Retry-After', () => {
        expect(audit.repeatedPosts).toEqual([]);
      });

      it('retries as the budget allows', () => {
        if (variant.refusals === 'none') expect(result.stats.retriesRefusedByBudget).toBe(0);
        if (variant.refusals === 'some') expect(result.stats.retriesRefusedByBudget).toBeGreaterThan(variant.calls / 50);
        expect(result.stats.retries).toBeGreaterThan(variant.calls / 20);
      });

      it('sends nothing after a final answer, and never more than 5 attempts', () => {
        expect(audit.wrongRetries).toEqual([]);
        expect(audit.wrongMethods).toEqual([]);
      });

      it("gives each caller that was not cancelled the outcome of the server's last reply", () => {
        expect(audit.wrongOutcomes).toEqual([]);
      });

      it('leaves no listener on the shared signal nor on any call’s own signal', () => {
        expect(result.sharedListeners).toBe(0);
        expect(result.ownListeners).toBe(0);
      });

      it('leaves no socket in use, and no timer or socket once the agent is closed', () => {
        expect(result.socketsInUse).toBe(0);
        expect(surplus(result.after, result.baseline)).toEqual({});
      });
    });
  }
});

const HEAP_RUNS: Array<{ transport: HeapTransport; sampleEvery: number }> = LONG
  ? [
      { transport: 'in-process', sampleEvery: 5_000 },
      { transport: 'http', sampleEvery: 5_000 },
    ]
  : [{ transport: 'in-process', sampleEvery: HEAP_CALLS - 1_000 }];

describe('the heap', () => {
  for (const run of HEAP_RUNS) {
    it(
      `after ${HEAP_CALLS} calls (${run.transport}) is within 10 MB of the heap after 1,000`,
      async () => {
        const result: HeapResult = await runHeap({
          transport: run.transport,
          seed: SEED + 1,
          calls: HEAP_CALLS,
          warmup: 1_000,
          sampleEvery: run.sampleEvery,
          concurrency: 100,
          retry: RETRY,
          timeouts: TIMEOUTS,
          slowMs: SLOW_MS,
        });
        const first = result.samples[0]?.heapBytes ?? Number.NaN;
        const last = result.samples.at(-1)?.heapBytes ?? Number.NaN;
        report(
          `heap (${run.transport}): ${HEAP_CALLS} calls in ${Math.round(result.ms)} ms, ${result.sent} requests; ` +
            result.samples.map((s) => `${s.calls}: ${(s.heapBytes / MB).toFixed(2)} MB`).join(', ') +
            `; delta ${((last - first) / MB).toFixed(2)} MB; resources ${tally(result.baseline)} -> ${tally(result.after)}`,
        );
        expect(result.samples.at(-1)?.calls).toBe(HEAP_CALLS);
        expect(last - first).toBeLessThan(10 * MB);
        // The calls did what the soak checks in detail: every one told its attempts, and they
        // add up to what the transport received.
        expect(result.withoutAttempts).toBe(0);
        expect(result.told).toBe(result.sent);
        expect(result.stats.attempts).toBe(result.sent);
        expect(result.stats.retries).toBeGreaterThan(HEAP_CALLS / 10);
        expect(result.cancelled).toBeGreaterThan(HEAP_CALLS / 50);
        expect(result.sharedListeners).toBe(0);
        expect(surplus(result.after, result.baseline)).toEqual({});
      },
      LONG ? 600_000 : 30_000,
    );
  }
});
