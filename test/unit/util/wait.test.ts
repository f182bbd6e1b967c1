import axios from 'axios';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { waitMs } from '../../../src/util/wait.js';

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
