// The adaptive rule (a 429 cuts the effective max, each window after the pause adds one) and the
// windows that count a request by when it may reach Box (until answered, a whole window after its
// slot; then its slot plus the time to its answer), with injected time.
import { describe, expect, it } from 'vitest';
import { DECREASE, effectiveMax, lowerOn429, PENDING_MS, PENDING_POLL_MS } from '../../../src/pacing/adaptive-limits.js';
import { createMemoryStore } from '../../../src/store/memory-store.js';
import { SlidingWindows } from '../../../src/pacing/sliding-window.js';

const rule = { name: 'calls', max: 10, perMs: 1000 };

describe('the effective max', () => {
  it('is the rule\'s max until a 429', () => {
    expect(effectiveMax(rule, undefined, 123)).toBe(10);
  });

  it('a 429 cuts it to 0.7 of what it was (rounded down), and it climbs back by one for each whole window after the pause', () => {
    expect(DECREASE).toBe(0.7);
    // A 429 at 0 that paused the scope for 1000 ms.
    const lowered = lowerOn429(rule, undefined, 0, 1000);
    expect(lowered).toEqual({ max: 7, from: 1000, cutAt: 0 });
    // No climb during the pause (no request went: a window without requests says nothing), nor in
    // the first window after it.
    expect([0, 999, 1000, 1999].map((now) => effectiveMax(rule, lowered, now))).toEqual([7, 7, 7, 7]);
    expect([2000, 2999, 3000, 4000, 5000].map((now) => effectiveMax(rule, lowered, now))).toEqual([8, 8, 9, 10, 10]);
    // Never above the rule's max.
    expect(effectiveMax(rule, lowered, 1_000_000)).toBe(10);
  });

  it('the 429s of one overfilled window are one signal: cut once a window, the climb restarted by each', () => {
    const first = lowerOn429(rule, undefined, 0, 0);
    const second = lowerOn429(rule, first, 400, 1000);
    // Not cut again (7, not 4), but the climb starts after the second's pause.
    expect(second).toEqual({ max: 7, from: 1400, cutAt: 0 });
    expect(effectiveMax(rule, second, 2399)).toBe(7);
    // A window later, a 429 cuts again: 0.7 of 7 is 4.
    const third = lowerOn429(rule, second, 1000, 0);
    expect(third).toEqual({ max: 4, from: 1000, cutAt: 1000 });
    // From where it had climbed to: 0.7 of 9 is 6.
    expect(lowerOn429(rule, third, 6000, 0).max).toBe(Math.floor(0.7 * effectiveMax(rule, third, 6000)));
    expect(effectiveMax(rule, third, 6000)).toBe(9);
  });

  it('never below 1', () => {
    let lowered = lowerOn429({ max: 2, perMs: 100 }, undefined, 0, 0);
    expect(lowered.max).toBe(1);
    lowered = lowerOn429({ max: 2, perMs: 100 }, lowered, 100, 0);
    expect(lowered.max).toBe(1);
  });
});

describe('SlidingWindows, adapting to 429s', () => {
  it('keeps each scope and rule to its effective max, and says so in limits()', () => {
    const windows = new SlidingWindows();
    const rules = [rule, { name: 'searches', max: 6, perMs: 1000 }];
    expect(windows.acquire('u', rules, 0)).toBe(0);
    windows.rateLimited('u', rules, 20, 1000);
    expect(windows.limits('u', 30)).toEqual([
      { scope: 'u', name: 'calls', max: 10, effectiveMax: 7, perMs: 1000 },
      { scope: 'u', name: 'searches', max: 6, effectiveMax: 4, perMs: 1000 },
    ]);
    // 4 searches in a window now (after the pause, the first window climbs nothing back).
    const waits = [1, 2, 3, 4, 5].map((i) => windows.acquire('u', rules, 1100 + i));
    expect(waits).toEqual([0, 0, 0, 0, 1101 + 1000 - 1105]);
    // Another scope learnt nothing.
    expect(windows.acquire('v', [rule], 30)).toBe(0);
    expect(windows.limits(undefined, 30).map((limit) => [limit.scope, limit.effectiveMax])).toEqual([
      ['u', 7],
      ['u', 4],
      ['v', 10],
    ]);
  });

  it('forgets the scopes that went quiet, but never a limit still lowered', () => {
    const windows = new SlidingWindows();
    // Cut to 700 at 0, it climbs back to 1000 only at 301 s.
    const calls = { name: 'calls', max: 1000, perMs: 1000 };
    windows.rateLimited('lowered', [calls], 0, 0);
    for (let user = 0; user < 3000; user += 1) windows.acquire(`user-${user}`, [rule], 100_000 + user * 10);
    expect(windows.size).toBeLessThan(3000);
    expect(windows.limits('lowered', 130_000)).toEqual([{ scope: 'lowered', name: 'calls', max: 1000, effectiveMax: 830, perMs: 1000 }]);
  });
});

describe('SlidingWindows, counting by when a request may reach Box', () => {
  it('a pending request counts as if it reached Box 10 s after its slot; once answered, at its slot plus its lag', () => {
    expect(PENDING_MS).toBe(10_000);
    const windows = new SlidingWindows();
    const rules = [{ name: 'calls', max: 2, perMs: 1000 }];
    expect(windows.acquire('u', rules, 0, 1, true)).toBe(0);
    expect(windows.acquire('u', rules, 10, 1, true)).toBe(0);
    // Full; both pending: ask again soon, their answers may free the window.
    expect(PENDING_POLL_MS).toBe(50);
    expect(windows.acquire('u', rules, 20, 1, true)).toBe(50);
    // Still unanswered two windows later: it may yet reach Box (a stalled process), so it still counts.
    expect(windows.acquire('u', rules, 2500, 1, true)).toBe(50);
    // The first was answered 30 ms after its slot: it reached Box by then.
    windows.settle('u', rules, [10_000], 30);
    expect(windows.acquire('u', rules, 2510, 1, true)).toBe(0);
    // The second is answered 3 s after its slot: counted until then and a window.
    windows.settle('u', rules, [10_010], 3010);
    expect(windows.acquire('u', rules, 3100, 1, true)).toBe(910);
  });

  it('a pending request never answered (its process died) leaves the window 10 s and a window after its slot', () => {
    const windows = new SlidingWindows();
    const rules = [{ name: 'calls', max: 1, perMs: 1000 }];
    expect(windows.acquire('u', rules, 0, 1, true)).toBe(0);
    expect(windows.acquire('u', rules, 10_000, 1, true)).toBe(1000);
    expect(windows.acquire('u', rules, 11_000, 1, true)).toBe(0);
    // A window longer than 10 s holds a pending request for a window.
    const minute = [{ name: 'calls', max: 1, perMs: 60_000 }];
    expect(windows.acquire('m', minute, 0, 1, true)).toBe(0);
    expect(windows.acquire('m', minute, 100_000, 1, true)).toBe(20_000);
  });

  it('settling a request already gone changes nothing', () => {
    const windows = new SlidingWindows();
    const rules = [{ name: 'calls', max: 1, perMs: 1000 }];
    expect(windows.acquire('u', rules, 0)).toBe(0);
    windows.settle('u', rules, [12345], 0);
    expect(windows.acquire('u', rules, 10)).toBe(990);
  });
});

describe('the memory store', () => {
  it('settles a slot with its lag, lowers its limit on a 429, and says so in limits()', () => {
    const store = createMemoryStore();
    const rules = [{ name: 'calls', max: 2, perMs: 60_000 }];
    const [one, two] = [{}, {}];
    expect(store.acquire('u', rules, true, one)).toBe(0);
    expect(store.acquire('u', rules, true, two)).toBe(0);
    // Full, both pending.
    expect(store.acquire('u', rules, true, {})).toBe(50);
    // The first was answered at once (a lag of 0 ms): it leaves the window 60 s after its slot.
    void store.reportLag?.('u', rules, 0, one);
    const wait = store.acquire('u', rules, true, {}) as number;
    expect(wait).toBeGreaterThan(59_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    // A slot settled twice counts once.
    void store.reportLag?.('u', rules, 0, one);
    expect(store.acquire('u', rules, true, {})).toBeGreaterThan(59_000);
    expect(store.limits?.('u')).toEqual([{ scope: 'u', name: 'calls', max: 2, effectiveMax: 2, perMs: 60_000 }]);
    void store.rateLimited?.('u', rules);
    expect(store.limits?.()).toEqual([{ scope: 'u', name: 'calls', max: 2, effectiveMax: 1, perMs: 60_000 }]);
  });
});
