import axios, { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallLimits } from '../../../src/call/call-limits.js';
import type { CallHost } from '../../../src/call/call-host.js';
import { LatencyWatch } from '../../../src/pacing/gates.js';
import { createMemoryStore } from '../../../src/store/memory-store.js';
import { DEFAULT_POLICY, policiesOf, resolvePolicy, type CallPolicy } from '../../../src/options/policy.js';
import { RetryBudget } from '../../../src/retry/budget.js';
import type { Retry } from '../../../src/retry/decide.js';
import { failureOf } from '../../../src/retry/failure.js';

// What may end one call before its answer, on a fake clock: its deadline, a cancel, the budget, an eject.

const config = (extra: Partial<InternalAxiosRequestConfig> = {}): InternalAxiosRequestConfig => ({ headers: new AxiosHeaders(), ...extra });

function host(active = true, maxTokens = 10): CallHost & { active: boolean } {
  return {
    active,
    gates: { store: createMemoryStore(), scopeOf: () => 'default', rules: [], latency: new LatencyWatch() },
    budget: new RetryBudget(maxTokens),
    counts: { calls: 0, attempts: 0, retries: 0, retriesRefusedByBudget: 0, callsEndedByDeadline: 0, resends: 0 },
    auth: undefined,
  };
}

const policy = (retry: object = {}): CallPolicy => resolvePolicy(retry, policiesOf(DEFAULT_POLICY).base, 'boxRetry');
const retry = (delayMs: number, status: number | undefined = 503): Retry => ({ retry: true, delayMs, delaySource: 'backoff', reason: 'status 503', status, retryAfterMs: undefined });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CallLimits', () => {
  it("without a deadline, an attempt keeps its own timeout and the caller's signal", () => {
    const controller = new AbortController();
    const limits = new CallLimits(host(), policy(), config({ signal: controller.signal }));
    expect(limits.deadline).toBeUndefined();
    expect(limits.cut(config({ timeout: 5000 }), 1)).toEqual({ overrides: undefined });
    expect(limits.cancel.signal).toBe(controller.signal);
    limits.release(undefined);
  });

  it("with a deadline, an attempt's timeout is the time left when that is shorter; none left ends the call", () => {
    const limits = new CallLimits(host(), policy({ deadlineMs: 1000 }), config());
    const { deadline } = limits;
    expect(limits.cut(config({ timeout: 5000 }), 1)).toEqual({ overrides: { timeout: 1000, signal: deadline?.signal } });
    vi.advanceTimersByTime(800);
    expect(limits.cut(config({ timeout: 100 }), 2)).toEqual({ overrides: { timeout: 100, signal: deadline?.signal } });
    vi.advanceTimersByTime(200);
    const cut = limits.cut(config(), 3);
    expect('failure' in cut && (cut.failure.error as { code?: string }).code).toBe('ETIMEDOUT');
    expect(deadline?.reason).toBe('deadlineMs (1000 ms) ran out before attempt 3 was sent');
    limits.release(undefined);
  });

  it('holds an attempt for a wait, or ends the call at once when the deadline would pass during it', async () => {
    const limits = new CallLimits(host(), policy({ deadlineMs: 1000 }), config());
    const waited = limits.hold(400, 'the wait for a rate-limit slot', 1, 'service account');
    await vi.advanceTimersByTimeAsync(400);
    expect(await waited).toBeUndefined();
    const failure = await limits.hold(600, "the instance's rate-limit pause", 2, 'service account');
    expect((failure?.error as { code?: string }).code).toBe('ETIMEDOUT');
    expect(limits.deadline?.reason).toBe("deadlineMs (1000 ms) would pass during the instance's rate-limit pause (600 ms left) before attempt 2");
    limits.release(undefined);
  });

  it('a cancel during a hold ends it at once with the cancel', async () => {
    const controller = new AbortController();
    const limits = new CallLimits(host(), policy(), config({ signal: controller.signal }));
    const held = limits.hold(10_000, 'the wait for a rate-limit slot', 1, 'service account');
    controller.abort();
    expect(axios.isCancel((await held)?.error)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('admits a retry unless, in this order, the deadline ended the call, the plugin was ejected, the wait would pass the deadline, or the budget refuses', () => {
    const ended = new CallLimits(host(false), policy({ deadlineMs: 1000 }), config());
    ended.deadline?.end('ran out during attempt 1');
    expect(ended.admit(retry(0), false, 2)).toBe('deadlineMs (1000 ms) ran out during attempt 1');
    ended.release(undefined);

    expect(new CallLimits(host(false), policy(), config()).admit(retry(0), false, 2)).toBe('the plugin was ejected');

    const late = new CallLimits(host(), policy({ deadlineMs: 1000 }), config());
    expect(late.admit(retry(1000), false, 2)).toBe('deadlineMs (1000 ms) would pass during the 1000 ms wait before attempt 2');
    late.release(undefined);

    const poor = host(true, 4);
    const limits = new CallLimits(poor, policy(), config());
    expect(limits.admit(retry(0), false, 2)).toBe('the retry budget is empty (4 of 4 tokens left, this retry costs 5; calls that succeed refill it)');
    expect(poor.counts.retriesRefusedByBudget).toBe(1);
    // The re-send after a 401 costs nothing, and a 429's retry its throttled cost.
    expect(limits.admit(retry(0), true, 2)).toBeUndefined();
    expect(limits.admit(retry(0, 429), false, 2)).toBeUndefined();
    expect(poor.budget?.tokens).toBe(3);
  });

  it('a retry reserved but never sent gives its tokens back when the call ends', () => {
    const shared = host();
    const limits = new CallLimits(shared, policy(), config());
    expect(limits.admit(retry(0), false, 2)).toBeUndefined();
    expect(shared.budget?.tokens).toBe(5);
    limits.release(undefined);
    expect(shared.budget?.tokens).toBe(10);
  });

  it('the deadline hears a failure: one its own abort caused ends the call; a stop reads it before the next attempt', () => {
    const limits = new CallLimits(host(), policy({ deadlineMs: 500 }), config());
    vi.advanceTimersByTime(500);
    const cancelled = limits.cancelled();
    expect(cancelled && axios.isCancel(cancelled.error)).toBe(true);
    expect(limits.stop(cancelled ?? failureOf(undefined, undefined, undefined), 1)).toEqual({ failure: cancelled, reason: undefined });
    expect(limits.deadline?.reason).toBe('deadlineMs (500 ms) ran out before attempt 2 was sent');
  });
});
