import axios from 'axios';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimitPause, sharedPauseMs, waitMs } from '../../src/pause.js';

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

describe('waitMs', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function settled(promise: Promise<void>): Promise<boolean> {
    let done = false;
    void promise.then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    return done;
  }

  it('resolves after the time, and clears its listeners', async () => {
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const wait = waitMs(100, controller.signal, undefined);
    await vi.advanceTimersByTimeAsync(99);
    expect(await settled(wait)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(wait)).toBe(true);
    expect(remove).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves at once on abort, clearing the timer', async () => {
    const controller = new AbortController();
    const wait = waitMs(10_000, controller.signal, undefined);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    expect(await settled(wait)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves at once for a signal already aborted or a token already cancelled', async () => {
    expect(await settled(waitMs(10_000, AbortSignal.abort(), undefined))).toBe(true);
    const source = axios.CancelToken.source();
    source.cancel();
    expect(await settled(waitMs(10_000, undefined, source.token))).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves on a CancelToken cancel and unsubscribes', async () => {
    const source = axios.CancelToken.source();
    const unsubscribe = vi.spyOn(source.token, 'unsubscribe');
    const wait = waitMs(10_000, undefined, source.token);
    source.cancel('bye');
    expect(await settled(wait)).toBe(true);
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('works with a signal that has no addEventListener', async () => {
    const wait = waitMs(50, { aborted: false }, undefined);
    await vi.advanceTimersByTimeAsync(50);
    expect(await settled(wait)).toBe(true);
  });
});
