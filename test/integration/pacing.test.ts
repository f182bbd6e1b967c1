// Rate limits kept before Box has to refuse, scopes, and a store shared by instances: one process.
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { attachBoxStatus, createBoxAuth, createMemoryStore, type BoxPacingStore, type BoxRateRule, type BoxStateStore } from '../../src/index.js';
import { ok, tooMany, unavailable, useBoxServer, type LoggedRequest } from '../helpers/box-server.js';
import { rejection } from '../helpers/client.js';
import { sleep } from '../helpers/time.js';

const server = useBoxServer();

/** The most requests of `log` in any window of `perMs`. */
function busiest(log: readonly LoggedRequest[], perMs: number): number {
  const times = log.map((request) => request.receivedAt).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while ((times[i] as number) - (times[j] as number) >= perMs) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

function paced(rules: BoxRateRule[], extra: Parameters<typeof attachBoxStatus>[1] = {}) {
  const instance = axios.create({ baseURL: server.url });
  const handle = attachBoxStatus(instance, { rateLimit: { rules }, retry: { baseDelayMs: 1, jitter: 'none' }, ...extra });
  return { instance, handle };
}

/**
 * The memory store behind an `acquire` that answers later (as Redis does); `first` runs as the
 * first slot is taken, before its answer. `asked()`: how many slots were asked for.
 */
function slowSlots(first: (memory: ReturnType<typeof createMemoryStore>, scope: string) => void) {
  const memory = createMemoryStore();
  let asked = 0;
  const store: BoxStateStore = {
    ...memory,
    pauseMs: (scope) => memory.pauseMs(scope),
    acquire: async (scope, windows, heedPause, slot) => {
      asked += 1;
      const wait = memory.acquire(scope, windows, heedPause, slot);
      if (asked === 1) first(memory, scope);
      return wait;
    },
  };
  return { store, asked: () => asked };
}

describe('rateLimit', () => {
  it('12 calls at once under 5 per 250 ms: every call succeeds, and no window holds more than 5', async () => {
    server.script('/files/1', [ok]);
    const { instance } = paced([{ name: 'calls', max: 5, perMs: 250 }]);
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 12 }, () => instance.get('/files/1')));
    expect(results.every((res) => res.status === 200)).toBe(true);
    // 5, then 5 a window later, then 2: two windows of waiting.
    expect(performance.now() - started).toBeGreaterThanOrEqual(490);
    // Seen from the server, which reads each request a little after it was sent (a new socket
    // takes longer than a kept-alive one): windows 50 ms shorter leave room for that.
    expect(busiest(server.log, 200)).toBeLessThanOrEqual(5);
  });

  it('retries count in the windows too', async () => {
    server.script('/files/1', [unavailable, ok]);
    const { instance } = paced([{ name: 'calls', max: 2, perMs: 300 }]);
    const results = await Promise.all([instance.get('/files/1'), instance.get('/files/1')]);
    expect(results.map((res) => res.boxStatus?.attempts).sort()).toEqual([1, 2]);
    // Two first attempts fill the window: the retry waits for it.
    const [, , retry] = server.log;
    expect((retry?.receivedAt ?? 0) - (server.log[0]?.receivedAt ?? 0)).toBeGreaterThanOrEqual(250);
  });

  it('only matching requests count: a search rule leaves other calls alone', async () => {
    server.script('/search', [ok]);
    server.script('/files/1', [ok]);
    const { instance } = paced([{ name: 'searches', max: 1, perMs: 300, match: 'search' }]);
    const started = performance.now();
    await Promise.all([instance.get('/search'), instance.get('/files/1'), instance.get('/files/1')]);
    expect(performance.now() - started).toBeLessThan(200);
    await instance.get('/search');
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
  });

  it('an abort while a call waits for a slot rejects it at once, and sends nothing', async () => {
    server.script('/files/1', [ok]);
    const { instance } = paced([{ name: 'calls', max: 1, perMs: 5000 }]);
    await instance.get('/files/1');
    const controller = new AbortController();
    const waiting = rejection(instance.get('/files/1', { signal: controller.signal }));
    await sleep(30);
    const started = performance.now();
    controller.abort();
    const error = await waiting;
    expect(performance.now() - started).toBeLessThan(100);
    expect(axios.isCancel(error)).toBe(true);
    expect(server.log).toHaveLength(1);
  });

  it('a wait for a slot that would outlast the deadline ends the call at once', async () => {
    server.script('/files/1', [ok]);
    const { instance, handle } = paced([{ name: 'calls', max: 1, perMs: 5000 }], { retry: { deadlineMs: 200 } });
    await instance.get('/files/1');
    const started = performance.now();
    const error = await rejection(instance.get('/files/1'));
    expect(performance.now() - started).toBeLessThan(100);
    expect(error.code).toBe('ETIMEDOUT');
    expect(error.boxNotRetriedReason).toMatch(/^deadlineMs \(200 ms\) would pass during the wait for a rate-limit slot \(\d+ ms left\) before attempt 1$/);
    expect(handle.stats().callsEndedByDeadline).toBe(1);
    expect(server.log).toHaveLength(1);
  });

  it('a store slow to answer for a slot holds the call no longer than an abort or the deadline', async () => {
    const memory = createMemoryStore();
    // A store whose answer never comes (a custom store on a backend that hangs).
    const store: BoxStateStore = { ...memory, pauseMs: (scope) => memory.pauseMs(scope), acquire: () => new Promise<number>(() => {}) };
    const { instance } = paced([{ name: 'calls', max: 10, perMs: 1000 }], { store });
    const controller = new AbortController();
    const aborted = rejection(instance.get('/files/1', { signal: controller.signal }));
    await sleep(30);
    const abortedAt = performance.now();
    controller.abort();
    expect(axios.isCancel(await aborted)).toBe(true);
    expect(performance.now() - abortedAt).toBeLessThan(100);
    const started = performance.now();
    const timedOut = await rejection(instance.get('/files/1', { boxRetry: { deadlineMs: 80 } }));
    expect(timedOut.code).toBe('ETIMEDOUT');
    expect(performance.now() - started).toBeLessThan(300);
    expect(server.log).toHaveLength(0);
  });

  it.each([
    ['without rateLimit', []],
    ['with a rule the call counts in', [{ name: 'calls', max: 10, perMs: 1000 }]],
  ] as const)('a store that cannot learn a pause (Redis away) answers at once: asked once per attempt, and the call goes on (%s)', async (_, rules) => {
    server.script('/files/1', [unavailable, ok]);
    const memory = createMemoryStore();
    let asked = 0;
    // Past 50 answers it says it knows, so that a plugin that asked again and again ends (and fails
    // here) instead of spinning forever without a timer ever firing.
    const store: BoxStateStore = { ...memory, pauseMs: (scope) => memory.pauseMs(scope), learnPause: () => (++asked > 50 ? undefined : Promise.resolve()) };
    const instance = axios.create({ baseURL: server.url });
    attachBoxStatus(instance, { store, retry: { baseDelayMs: 1, jitter: 'none' }, ...(rules.length > 0 ? { rateLimit: { rules: [...rules] } } : {}) });
    const res = await instance.get('/files/1');
    expect(res.boxStatus?.attempts).toBe(2);
    expect(asked).toBe(2);
  });

  it('a slot taken as a pause arrives is given back: the attempt goes after the pause, not after the slot has counted as pending for 10 s', async () => {
    server.script('/files/1', [ok]);
    // A store that answers later (as Redis does) and hears of a 50 ms pause while it takes the slot.
    const { store, asked } = slowSlots((memory, scope) => memory.pause(scope, 50));
    const { instance } = paced([{ name: 'calls', max: 1, perMs: 100 }], { store });
    const started = performance.now();
    const res = await instance.get('/files/1');
    // 50 ms of pause, then a window at most for the slot given back (10 s if it were not).
    expect(performance.now() - started).toBeLessThan(2000);
    expect(res.status).toBe(200);
    expect(asked()).toBeGreaterThanOrEqual(2);
  });

  it('a slot taken by a call that is aborted before it is sent is given back', async () => {
    server.script('/files/1', [ok]);
    const controller = new AbortController();
    // The first call is aborted while its slot is being taken.
    const { store } = slowSlots(() => controller.abort());
    const { instance } = paced([{ name: 'calls', max: 1, perMs: 100 }], { store });
    expect(axios.isCancel(await rejection(instance.get('/files/1', { signal: controller.signal })))).toBe(true);
    const started = performance.now();
    await instance.get('/files/1');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(server.log).toHaveLength(1);
  });

  it('a pause a store could not tell at first is asked for again after the attempt waited out another', async () => {
    server.script('/files/1', [ok]);
    const memory = createMemoryStore();
    memory.pause('default', 100);
    let asked = 0;
    // Redis away at the first ask (nothing learnt); back by the second, with the fleet's 300 ms pause.
    const store: BoxStateStore = {
      ...memory,
      pauseMs: (scope) => memory.pauseMs(scope),
      learnPause: (scope) => {
        asked += 1;
        if (asked === 2) memory.pause(scope, 300);
        return asked <= 2 ? Promise.resolve() : undefined;
      },
    };
    const instance = axios.create({ baseURL: server.url });
    attachBoxStatus(instance, { store });
    const started = performance.now();
    await instance.get('/files/1');
    expect(asked).toBeGreaterThanOrEqual(2);
    // 100 ms, then the 300 ms pause learnt after it (timers fire no earlier than asked, to the ms).
    expect(performance.now() - started).toBeGreaterThanOrEqual(398);
  });

  it('a store of the pacing part only (BoxPacingStore): windows and the 429 pause kept there', async () => {
    server.script('/files/1', [tooMany('0.05'), ok]);
    const memory = createMemoryStore();
    const acquired: string[] = [];
    const paused: number[] = [];
    const store: BoxPacingStore = {
      pauseMs: (scope) => memory.pauseMs(scope),
      pause: (scope, ms) => {
        paused.push(ms);
        memory.pause(scope, ms);
      },
      acquire: (scope, windows, heedPause, slot) => {
        acquired.push(scope);
        return memory.acquire(scope, windows, heedPause, slot);
      },
    };
    const { instance } = paced([{ name: 'calls', max: 10, perMs: 1000 }], { store });
    const res = await instance.get('/files/1');
    expect(res.boxStatus?.attempts).toBe(2);
    expect(acquired).toEqual(['default', 'default']);
    expect(paused).toEqual([50]);
  });

  it('the 401 re-sends of managed credentials count in the windows', async () => {
    let valid = 'fresh-token-aaaa';
    server.script('/files/1', (_count, request) => (request.headers.authorization === `Bearer ${valid}` ? ok : { status: 401 }));
    const auth = createBoxAuth({ origins: [server.url], initialToken: 'stale-token-0000', refresh: async () => valid });
    const { instance } = paced([{ name: 'calls', max: 1, perMs: 300 }], { auth });
    const started = performance.now();
    const res = await instance.get('/files/1');
    expect(res.boxStatus?.attempts).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    valid = '';
  });
});

describe('scopes: Box keeps its limits per user', () => {
  it('each As-User has windows of its own', async () => {
    server.script('/files/1', [ok]);
    const { instance } = paced([{ name: 'calls', max: 1, perMs: 1000 }]);
    const started = performance.now();
    await Promise.all(['11', '22', '33'].map((user) => instance.get('/files/1', { headers: { 'As-User': user } })));
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('a 429 for one user pauses that user only', async () => {
    server.script('/as-a', [tooMany('0.3'), ok]);
    server.script('/as-b', [ok]);
    const instance = axios.create({ baseURL: server.url });
    attachBoxStatus(instance, { retry: { baseDelayMs: 1 } });
    const limited = instance.get('/as-a', { headers: { 'As-User': 'a' } });
    await sleep(30);
    const started = performance.now();
    await instance.get('/as-b', { headers: { 'As-User': 'b' } });
    expect(performance.now() - started).toBeLessThan(100);
    const sameUser = performance.now();
    await instance.get('/as-b', { headers: { 'As-User': 'a' } });
    expect(performance.now() - sameUser).toBeGreaterThanOrEqual(200);
    await limited;
  });

  it('a scope function decides: here, one scope for every user, as for an enterprise-wide limit', async () => {
    server.script('/files/1', [ok]);
    const { instance } = paced([{ name: 'calls', max: 1, perMs: 300 }], { scope: () => 'enterprise' });
    const started = performance.now();
    await Promise.all(['11', '22'].map((user) => instance.get('/files/1', { headers: { 'As-User': user } })));
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
  });

  it('a scope function that answers no string rejects the call with a TypeError, and sends nothing', async () => {
    server.script('/files/1', [ok]);
    const { instance } = paced([{ name: 'calls', max: 5, perMs: 300 }], { scope: () => 42 as never });
    const error = await rejection(instance.get('/files/1'));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('axios-box-status: scope(config) must be a non-empty string, received 42');
    expect(server.log).toHaveLength(0);
  });
});

describe('a store shared by instances of one process', () => {
  it('their pause and their windows are one', async () => {
    server.script('/limited', [tooMany('0.3'), ok]);
    server.script('/files/1', [ok]);
    const store = createMemoryStore();
    const one = axios.create({ baseURL: server.url });
    const two = axios.create({ baseURL: server.url });
    const rules = [{ name: 'calls', max: 5, perMs: 1000 }];
    const first = attachBoxStatus(one, { store, rateLimit: { rules }, retry: { baseDelayMs: 1 } });
    const handle = attachBoxStatus(two, { store, rateLimit: { rules }, retry: { baseDelayMs: 1 } });
    const limited = one.get('/limited');
    await sleep(30);
    // One's 429 paused the store: two sees it, and waits for it.
    expect(handle.stats().rateLimitPauseMs).toBeGreaterThan(200);
    const started = performance.now();
    await two.get('/files/1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    await limited;
    // One's 429 cut the limit, for both: 5 to 3 (0.7 of it, rounded down).
    expect([first, handle].map((h) => h.stats().rateLimits.map((limit) => limit.effectiveMax))).toEqual([[3], [3]]);
    // Three requests within the window (the 429, its retry and two's call): full for both.
    const fourth = performance.now();
    await one.get('/files/1');
    expect(performance.now() - fourth).toBeGreaterThanOrEqual(200);
  });
});

describe('adaptive limits in one process', () => {
  it('a 429 cuts the effective max of the rules the request counted in, and stats() says so', async () => {
    server.script('/search', [tooMany('0.05'), ok]);
    server.script('/files/1', [ok]);
    const rules: BoxRateRule[] = [
      { name: 'calls', max: 20, perMs: 60_000 },
      { name: 'searches', max: 6, perMs: 60_000, match: 'search' },
    ];
    const { instance, handle } = paced(rules);
    await instance.get('/files/1');
    expect(handle.stats().rateLimits).toEqual([{ scope: 'default', name: 'calls', max: 20, effectiveMax: 20, perMs: 60_000 }]);
    await instance.get('/search');
    expect(handle.stats().rateLimits).toEqual([
      { scope: 'default', name: 'calls', max: 20, effectiveMax: 14, perMs: 60_000 },
      { scope: 'default', name: 'searches', max: 6, effectiveMax: 4, perMs: 60_000 },
    ]);
    // Another attachment without rateLimit on its own store reports none.
    expect(attachBoxStatus(axios.create({ baseURL: server.url })).stats().rateLimits).toEqual([]);
  });

  it('a store whose reportLag or rateLimited throws or rejects never fails a call; one without limits() reports none', async () => {
    server.script('/limited', [tooMany('0.02'), ok]);
    const memory = createMemoryStore();
    // Without limits(): a store written before it existed.
    const { limits, ...withoutLimits } = memory;
    expect(limits).toBeTypeOf('function');
    const throwing: BoxStateStore = {
      ...withoutLimits,
      pauseMs: (scope) => memory.pauseMs(scope),
      reportLag: () => {
        throw new Error('store down');
      },
      rateLimited: () => Promise.reject(new Error('store down')),
    };
    const { instance, handle } = paced([{ name: 'calls', max: 10, perMs: 1000 }], { store: throwing });
    const res = await instance.get('/limited');
    expect(res.boxStatus?.attempts).toBe(2);
    expect(handle.stats().rateLimits).toEqual([]);
    const rejecting: BoxStateStore = { ...throwing, reportLag: () => Promise.reject(new Error('store down')), rateLimited: () => { throw new Error('store down'); } };
    server.script('/limited-again', [tooMany('0.02'), ok]);
    const other = paced([{ name: 'calls', max: 10, perMs: 1000 }], { store: rejecting });
    expect((await other.instance.get('/limited-again')).boxStatus?.attempts).toBe(2);
  });
});
