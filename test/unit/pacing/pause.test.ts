import { describe, expect, it, vi } from 'vitest';
import { RateLimitPause, ScopedPauses, sharedPauseMs } from '../../../src/pacing/pause.js';

const policy = { baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };

describe('sharedPauseMs', () => {
  it.each<[number, number | undefined, number | undefined]>([
    [429, 2000, 2000],
    [429, 0, 0],
    [429, 120_000, 60_000],
    [429, undefined, 1000],
    [503, 3000, 3000],
    [503, 90_000, 60_000],
    [503, undefined, undefined],
    [500, 3000, undefined],
    [502, undefined, undefined],
    [202, 1000, undefined],
    [200, 1000, undefined],
  ])('status %i with Retry-After %s pauses for %s', (status, retryAfterMs, expected) => {
    expect(sharedPauseMs(status, retryAfterMs, policy)).toBe(expected);
  });

  it('a 429 without Retry-After pauses for baseDelayMs, within maxDelayMs and maxRetryAfterMs', () => {
    expect(sharedPauseMs(429, undefined, { ...policy, maxDelayMs: 500 })).toBe(500);
    expect(sharedPauseMs(429, undefined, { ...policy, maxRetryAfterMs: 200 })).toBe(200);
  });
});

describe('RateLimitPause', () => {
  it('only ever extends, and reads 0 once passed', () => {
    const pause = new RateLimitPause();
    expect(pause.remainingMs(1000)).toBe(0);
    pause.extend(2000);
    pause.extend(1500);
    expect(pause.remainingMs(1000)).toBe(1000);
    pause.extend(2500);
    expect(pause.remainingMs(2000)).toBe(500);
    expect(pause.remainingMs(2500)).toBe(0);
    expect(pause.untilMs).toBe(0);
  });
});

describe('ScopedPauses', () => {
  it('keeps each scope apart, with the longest at hand, and forgets them all once the longest has passed', () => {
    const pauses = new ScopedPauses();
    pauses.pause('user-1', 1000, 0);
    pauses.pause('user-2', 3000, 0);
    expect(pauses.pauseMs('user-1', 500)).toBe(500);
    expect(pauses.pauseMs('user-2', 500)).toBe(2500);
    expect(pauses.pauseMs(undefined, 500)).toBe(2500);
    expect(pauses.pauseMs('user-3', 500)).toBe(0);
    expect(pauses.pauseMs('user-1', 1500)).toBe(0);
    expect(pauses.pauseMs(undefined, 3000)).toBe(0);
    // Forgotten: a new, shorter pause of another scope does not bring user-2's back.
    pauses.pause('user-1', 100, 3000);
    expect(pauses.pauseMs('user-2', 3050)).toBe(0);
    expect(pauses.pauseMs('user-1', 3050)).toBe(50);
  });

  it('answers without reading the clock while no pause is in force (it is asked before every send)', () => {
    const pauses = new ScopedPauses();
    const now = vi.spyOn(performance, 'now');
    try {
      expect(pauses.pauseMs()).toBe(0);
      expect(pauses.pauseMs('user-1')).toBe(0);
      expect(now).not.toHaveBeenCalled();
      pauses.pause('user-1', 60_000);
      expect(pauses.pauseMs('user-1')).toBeGreaterThan(59_000);
      expect(now).toHaveBeenCalled();
    } finally {
      now.mockRestore();
    }
  });
});
