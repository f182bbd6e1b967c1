// boxStatus.waitedMs (time a call spent waiting instead of sending) and durationMs (its start to
// its settling), on responses and on Box errors. Lower bounds come from the waits the plugin
// announced (onRetry's delayMs, stats().rateLimitPauseMs); upper bounds from what the test itself
// measured around the call, never from fixed allowances.
import axios, { type AxiosResponse } from 'axios';
import { describe, expect, it } from 'vitest';
import { BoxServerError, attachBoxStatus, createBoxAuth, type BoxStatus } from '../../src/index.js';
import { ok, tooMany, unavailable, useBoxServer } from '../helpers/box-server.js';
import { boxClient, rejection } from '../helpers/client.js';
import { sleep } from '../helpers/time.js';

const server = useBoxServer();

/** A timer may fire up to a millisecond before performance.now() says it is due (libuv's grain). */
const TIMER_GRAIN_MS = 1;

/**
 * What `call` resolves to, and how long it took as the test sees it: timed from before the call is
 * made, since axios runs a request's first steps (the plugin's among them) synchronously.
 */
async function timed<T>(call: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await call();
  return [value, performance.now() - started];
}

/** Whole milliseconds, the call's own duration within what the test measured around it. */
function expectFigures(boxStatus: BoxStatus | undefined, measuredMs: number): { waitedMs: number; durationMs: number } {
  const { waitedMs, durationMs } = boxStatus as BoxStatus;
  expect(Number.isInteger(waitedMs)).toBe(true);
  expect(Number.isInteger(durationMs)).toBe(true);
  expect(waitedMs).toBeGreaterThanOrEqual(0);
  expect(waitedMs).toBeLessThanOrEqual(durationMs);
  expect(durationMs).toBeLessThanOrEqual(Math.round(measuredMs) + 1);
  return { waitedMs, durationMs };
}

describe('a call that waits for nothing', () => {
  it('waitedMs is 0 however long the server takes; durationMs counts the server time', async () => {
    server.script('/folders/0', [{ ...ok, delayMs: 40 }]);
    const { instance } = boxClient(server);
    const [res, measured] = await timed(() => instance.get('/folders/0'));
    const { waitedMs, durationMs } = expectFigures(res.boxStatus, measured);
    expect(waitedMs).toBe(0);
    expect(durationMs).toBeGreaterThanOrEqual(40 - TIMER_GRAIN_MS);
  });
});

describe('retry waits', () => {
  it('backoffs: waitedMs is at least what onRetry announced, and excludes the time of the requests', async () => {
    server.script('/files/1', [{ ...unavailable, delayMs: 30 }, { ...unavailable, delayMs: 30 }, ok]);
    const { instance, events } = boxClient(server, { baseDelayMs: 20, maxDelayMs: 40 });
    const [res, measured] = await timed(() => instance.get('/files/1'));
    const announced = events.reduce((sum, event) => sum + event.delayMs, 0);
    expect(announced).toBe(60);
    const { waitedMs, durationMs } = expectFigures(res.boxStatus, measured);
    expect(waitedMs).toBeGreaterThanOrEqual(announced - events.length * TIMER_GRAIN_MS);
    // Two answers took 30 ms each at the server: time spent sending, not waiting.
    expect(durationMs - waitedMs).toBeGreaterThanOrEqual(60 - 2 * TIMER_GRAIN_MS);
  });

  it('a Retry-After wait counts, and so does a 202 poll', async () => {
    server.script('/search', [tooMany('0.03'), ok]);
    server.script('/files/1/thumbnail.png', [{ status: 202, headers: { 'retry-after': '0.02' } }, ok]);
    const { instance } = boxClient(server);
    const [limited, limitedMs] = await timed(() => instance.get('/search'));
    expect(expectFigures(limited.boxStatus, limitedMs).waitedMs).toBeGreaterThanOrEqual(30 - TIMER_GRAIN_MS);
    const [polled, polledMs] = await timed(() => instance.get('/files/1/thumbnail.png'));
    expect(expectFigures(polled.boxStatus, polledMs).waitedMs).toBeGreaterThanOrEqual(20 - TIMER_GRAIN_MS);
  });

  it("on a Box error's boxStatus too", async () => {
    server.script('/files/2', [unavailable]);
    const { instance, events } = boxClient(server, { retries: 2, baseDelayMs: 15, maxDelayMs: 30 });
    const started = performance.now();
    const error = await rejection(instance.get('/files/2'));
    const measured = performance.now() - started;
    expect(error).toBeInstanceOf(BoxServerError);
    const { waitedMs } = expectFigures(error.boxStatus, measured);
    expect(waitedMs).toBeGreaterThanOrEqual(45 - events.length * TIMER_GRAIN_MS);
    // The serialised error says it too.
    expect(error.toJSON().boxStatus).toMatchObject({ waitedMs, durationMs: error.boxStatus.durationMs });
  });
});

describe('waits for what the instance shares', () => {
  it("an unrelated GET held by another call's 429 pause says how long it waited", async () => {
    server.script('/search', [tooMany('0.25'), ok]);
    server.script('/folders/0', [ok]);
    let limited!: () => void;
    const sawLimit = new Promise<void>((resolve) => {
      limited = resolve;
    });
    const { instance, handle } = boxClient(server, { onRetry: () => limited() });
    const search = instance.get('/search');
    await sawLimit;
    const pauseMs = handle.stats().rateLimitPauseMs;
    expect(Number.isInteger(pauseMs)).toBe(true);
    expect(pauseMs).toBeGreaterThan(0);
    const [other, measured] = await timed(() => instance.get('/folders/0'));
    expect(other.boxStatus?.attempts).toBe(1);
    // The call started a moment after stats() was read.
    const { waitedMs } = expectFigures(other.boxStatus, measured);
    expect(waitedMs).toBeGreaterThanOrEqual(pauseMs - TIMER_GRAIN_MS - Math.ceil(measured - waitedMs));
    expect(waitedMs).toBeGreaterThan(0);
    await search;
  });

  it('a call waiting for a rate-limit slot says how long it waited; the one that found a slot, 0', async () => {
    server.script('/files/1', [ok]);
    const instance = axios.create({ baseURL: server.url });
    attachBoxStatus(instance, { rateLimit: { rules: [{ name: 'calls', max: 1, perMs: 120 }] } });
    const started = performance.now();
    const results: Array<[AxiosResponse, number]> = await Promise.all([
      instance.get('/files/1').then((res) => [res, performance.now() - started] as [AxiosResponse, number]),
      instance.get('/files/1').then((res) => [res, performance.now() - started] as [AxiosResponse, number]),
    ]);
    const [first, second] = results.map(([res, measured]) => expectFigures(res.boxStatus, measured));
    expect(first?.waitedMs).toBe(0);
    // The window of the first request's slot ends 120 ms after it was taken, at the start.
    expect(second?.waitedMs).toBeGreaterThanOrEqual(120 - 2 * TIMER_GRAIN_MS - Math.ceil(results[0]?.[1] ?? 0));
  });

  it('the wait for a token refresh counts', async () => {
    server.script('/users/me', [ok]);
    const auth = createBoxAuth({
      origins: [server.url],
      refresh: async () => {
        await sleep(40);
        return 'token-after-a-wait-0123';
      },
    });
    const instance = axios.create({ baseURL: server.url });
    attachBoxStatus(instance, { auth });
    const [res, measured] = await timed(() => instance.get('/users/me'));
    expect(expectFigures(res.boxStatus, measured).waitedMs).toBeGreaterThanOrEqual(40 - TIMER_GRAIN_MS);
    // The next call finds the token held: no wait.
    expect((await instance.get('/users/me')).boxStatus?.waitedMs).toBe(0);
  });
});

describe('stats().rateLimitPauseMs', () => {
  it('is whole milliseconds, rounded down, while a pause is in force, and 0 after', async () => {
    server.script('/search', [tooMany('0.0505'), ok]);
    let limited!: () => void;
    const sawLimit = new Promise<void>((resolve) => {
      limited = resolve;
    });
    const { instance, handle } = boxClient(server, { onRetry: () => limited() });
    const search = instance.get('/search');
    await sawLimit;
    const samples: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      samples.push(handle.stats().rateLimitPauseMs);
      await sleep(3);
    }
    // Read as the retry's wait begins, the pause has just started: 50.5 ms, 50 in whole ms.
    expect(samples[0]).toBe(50);
    // Rounded down, never more than is left (a late sample may find the pause over).
    expect(samples.every((ms) => Number.isInteger(ms) && ms >= 0 && ms <= 50)).toBe(true);
    await search;
    expect(handle.stats().rateLimitPauseMs).toBe(0);
  });
});
