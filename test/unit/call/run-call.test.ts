import axios, { type AxiosResponse } from 'axios';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attachBoxStatus, createBoxAuth, createMemoryStore, type BoxRetryEvent, type BoxStatusOptions } from '../../../src/index.js';
import { scriptedAdapter, type Answer } from '../../helpers/scripted-adapter.js';

// The call loop alone: no server, an adapter that answers from a script, and a fake clock (every
// wait is a timer, every time is performance.now()), so each wait is known to the millisecond.

const ok: Answer = { status: 200, data: '{"type":"file"}' };
const unavailable: Answer = { status: 503, data: { type: 'error', status: 503, code: 'unavailable' } };
const tooMany = (seconds: string): Answer => ({ status: 429, headers: { 'retry-after': seconds } });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function client(script: Parameters<typeof scriptedAdapter>[0], options: BoxStatusOptions = {}) {
  const scripted = scriptedAdapter(script);
  const instance = axios.create({ adapter: scripted.adapter, baseURL: 'https://api.box.com/2.0' });
  const events: BoxRetryEvent[] = [];
  const retry = options.retry === false ? false : { jitter: 'none' as const, onRetry: (event: BoxRetryEvent) => void events.push(event), ...options.retry };
  const handle = attachBoxStatus(instance, { ...options, retry });
  return { instance, handle, events, ...scripted };
}

/** The settled outcome of a call, whichever way it went. */
const outcome = (call: Promise<AxiosResponse>): Promise<AxiosResponse | any> => call.catch((error: unknown) => error);

describe('the call loop', () => {
  it('a 503 then a 200: the retry waits the backoff to the millisecond, then settles with two attempts', async () => {
    const { instance, handle, sent, events } = client({ '/files/1': [unavailable, ok] });
    const call = instance.get('/files/1');
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const response = await call;
    expect(sent.map((attempt) => attempt.at)).toEqual([0, 1000]);
    expect(response.boxStatus).toMatchObject({ status: 200, attempts: 2, retryable: false });
    expect(events.map((e) => [e.attempt, e.delayMs, e.delaySource, e.reason])).toEqual([[2, 1000, 'backoff', 'status 503']]);
    expect(handle.stats()).toMatchObject({ calls: 1, attempts: 2, retries: 1, resends: 0, tokens: 500 });
  });

  it('each attempt is a copy of the request, which onRetry may change: the change is sent, and the caller sees it', async () => {
    const { instance, sent } = client({ '/files/1': [unavailable], '/files/2': [ok] }, { retry: { onRetry: (event) => void (event.config.url = '/files/2') } });
    const call = instance.get('/files/1', { params: { fields: 'id' } });
    await vi.advanceTimersByTimeAsync(1000);
    const response = await call;
    expect(sent.map((attempt) => attempt.config.url)).toEqual(['/files/1', '/files/2']);
    expect(sent[0]?.config).not.toBe(sent[1]?.config);
    expect(response.config.url).toBe('/files/2');
  });

  it('a POST answered 503 is not retried: Box may have acted on it', async () => {
    const { instance, sent } = client({ '/files/content': [unavailable] });
    const error = await outcome(instance.post('/files/content', 'x'));
    expect(sent).toHaveLength(1);
    expect(error.notRetriedReason).toBe('POST is not idempotent and Box may have acted on it (boxRetry: { idempotent: true } opts in)');
  });

  it('a 202 with Retry-After is polled at no cost to the budget', async () => {
    const accepted: Answer = { status: 202, headers: { 'retry-after': '2' } };
    const { instance, handle, sent } = client({ '/files/1/content': [accepted, accepted, ok] }, { retry: { budget: { maxTokens: 1, retryCost: 1 } } });
    const call = instance.get('/files/1/content');
    await vi.advanceTimersByTimeAsync(4000);
    expect((await call).status).toBe(200);
    expect(sent.map((attempt) => attempt.at)).toEqual([0, 2000, 4000]);
    expect(handle.stats()).toMatchObject({ retries: 2, tokens: 1 });
  });
});

describe('the shared pause and the rate limits (the hold before a send)', () => {
  it("a 429's Retry-After holds every call of the instance until it ends; the retry goes then", async () => {
    const { instance, sent, events } = client({ '/a': [tooMany('2'), ok], '/b': [ok] });
    const first = instance.get('/a');
    await vi.advanceTimersByTimeAsync(10);
    const second = instance.get('/b');
    await vi.advanceTimersByTimeAsync(1989);
    expect(sent.map((attempt) => attempt.config.url)).toEqual(['/a']);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all([first, second]);
    expect(sent.map((attempt) => [attempt.config.url, attempt.at])).toEqual([['/a', 0], ['/a', 2000], ['/b', 2000]]);
    expect(events.map((e) => [e.delayMs, e.delaySource])).toEqual([[2000, 'retry-after']]);
  });

  it('a retry that meets a pause begun since it was granted waits its own backoff again after it', async () => {
    const { instance, sent } = client({ '/a': [unavailable, ok], '/b': [tooMany('3'), ok] }, { retry: { baseDelayMs: 500 } });
    const a = instance.get('/a');
    await vi.advanceTimersByTimeAsync(100);
    const b = instance.get('/b');
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all([a, b]);
    // /a's retry was due at 500, inside /b's pause (100 to 3100): it goes its 500 ms after the pause.
    expect(sent.map((attempt) => [attempt.config.url, attempt.at])).toEqual([['/a', 0], ['/b', 100], ['/b', 3100], ['/a', 3600]]);
  });

  it('a rate limit holds the attempt that finds its window full until a slot frees', async () => {
    const { instance, sent } = client({ '/x': [ok] }, { rateLimit: { rules: [{ name: 'calls', max: 2, perMs: 1000 }] } });
    const calls = [instance.get('/x'), instance.get('/x'), instance.get('/x')];
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(calls);
    expect(sent.map((attempt) => attempt.at)).toEqual([0, 0, 1000]);
  });
});

describe('the limits of one call', () => {
  it("deadlineMs: an attempt's timeout is cut to the time left, and a retry whose wait would pass it is not made", async () => {
    const { instance, handle, sent } = client({ '/files/1': [unavailable] }, { retry: { deadlineMs: 2500 } });
    const call = outcome(instance.get('/files/1', { timeout: 10_000 }));
    await vi.advanceTimersByTimeAsync(1000);
    const error = await call;
    expect(sent.map((attempt) => [attempt.at, attempt.config.timeout])).toEqual([[0, 2500], [1000, 1500]]);
    expect(error.notRetriedReason).toBe('deadlineMs (2500 ms) would pass during the 2000 ms wait before attempt 3');
    expect(error.attempts).toBe(2);
    expect(handle.stats().callsEndedByDeadline).toBe(1);
  });

  it("the deadline ending a pause's wait: the call fails with a deadline error and sends nothing", async () => {
    const { instance, sent } = client({ '/a': [tooMany('5'), ok], '/b': [ok] }, { retry: { deadlineMs: 1000, maxRetryAfterMs: 10_000 } });
    const first = outcome(instance.get('/a'));
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome(instance.get('/b'));
    expect(error.code).toBe('ETIMEDOUT');
    expect(error.boxNotRetriedReason).toBe("deadlineMs (1000 ms) would pass during the instance's rate-limit pause (4999 ms left) before attempt 1");
    expect(sent.map((attempt) => attempt.config.url)).toEqual(['/a']);
    await first;
  });

  it('a retry the budget cannot pay for is refused, and counted', async () => {
    const { instance, handle } = client({ '/x': [unavailable] }, { retry: { retries: 1, budget: { maxTokens: 5, retryCost: 5 } } });
    const first = outcome(instance.get('/x'));
    await vi.advanceTimersByTimeAsync(1000);
    expect((await first).attempts).toBe(2);
    const refused = await outcome(instance.get('/x'));
    expect(refused.notRetriedReason).toBe('the retry budget is empty (0 of 5 tokens left, this retry costs 5; calls that succeed refill it)');
    expect(handle.stats()).toMatchObject({ retriesRefusedByBudget: 1, tokens: 0 });
  });

  it('a cancel during the wait rejects at once, sends nothing more, and gives the reserved tokens back', async () => {
    const { instance, handle, sent } = client({ '/x': [unavailable, ok] });
    const controller = new AbortController();
    const call = outcome(instance.get('/x', { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    expect(handle.stats().tokens).toBe(495);
    controller.abort();
    expect(axios.isCancel(await call)).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toHaveLength(1);
    expect(handle.stats()).toMatchObject({ tokens: 500, retries: 0 });
  });

  it('an eject during the wait: the retry is not sent, the failure settles the call and says why', async () => {
    const { instance, handle, sent } = client({ '/x': [unavailable, ok] });
    const call = outcome(instance.get('/x'));
    await vi.advanceTimersByTimeAsync(10);
    handle.eject();
    await vi.advanceTimersByTimeAsync(1000);
    const error = await call;
    expect(sent).toHaveLength(1);
    expect(error.status).toBe(503);
    expect(error.notRetriedReason).toBe('the plugin was ejected');
  });

  it('an eject while an attempt is under way: its failure is not retried, and settles the call at once, saying why', async () => {
    const { instance, handle, sent } = client({ '/x': [{ ...unavailable, delayMs: 100 }, ok] });
    let settledAt: number | undefined;
    const call = outcome(instance.get('/x')).finally(() => void (settledAt = performance.now()));
    await vi.advanceTimersByTimeAsync(50);
    handle.eject();
    await vi.advanceTimersByTimeAsync(2000);
    const error = await call;
    expect(settledAt).toBe(100);
    expect(sent).toHaveLength(1);
    expect(error.notRetriedReason).toBe('the plugin was ejected');
    expect(handle.stats().tokens).toBe(500);
  });
});

describe('a managed token', () => {
  it('a 401 to the token sent is answered by one re-send with a fresh token: no retry, no cost, no wait but the refresh', async () => {
    // A token given to start with: Box refusing it says nothing of a refresh (one of the BoxAuth's
    // own refreshes refused at once would start a cooldown).
    const auth = createBoxAuth({ initialToken: 'first-token-0123', refresh: async () => 'second-token-4567' });
    const { instance, handle, sent, events } = client(
      { '/files/1': (_, config) => (String(config.headers.Authorization) === 'Bearer second-token-4567' ? ok : { status: 401 }) },
      { auth },
    );
    const response = await instance.get('/files/1');
    expect(response.boxStatus?.attempts).toBe(2);
    expect(sent.map((attempt) => [attempt.at, attempt.config.headers.Authorization])).toEqual([[0, 'Bearer first-token-0123'], [0, 'Bearer second-token-4567']]);
    expect(events.map((e) => [e.reason, e.delaySource, e.delayMs, e.status])).toEqual([['unauthorized', 'refresh', 0, 401]]);
    expect(handle.stats()).toMatchObject({ attempts: 2, retries: 0, resends: 1, tokens: 500 });
  });

  it('a second 401 after the re-send settles the call with it: one re-send per call', async () => {
    let refreshes = 0;
    const auth = createBoxAuth({ initialToken: 'first-token-0123', refresh: async () => `token-number-${(refreshes += 1)}` });
    const { instance, sent } = client({ '/files/1': [{ status: 401 }] }, { auth });
    const error = await outcome(instance.get('/files/1'));
    expect(error.status).toBe(401);
    expect(sent.map((attempt) => attempt.config.headers.Authorization)).toEqual(['Bearer first-token-0123', 'Bearer token-number-1']);
    expect(refreshes).toBe(1);
  });

  it('a 401 with a one-shot body is not re-sent, and says why', async () => {
    const auth = createBoxAuth({ refresh: async () => 'only-token-0123' });
    const { instance, sent } = client({ '/files/content': [{ status: 401 }] }, { auth });
    const body = new ReadableStream();
    const error = await outcome(instance.post('/files/content', body));
    expect(sent).toHaveLength(1);
    expect(error.notRetriedReason).toBe('the request body is a one-shot stream');
  });
});

describe('a store shared by two instances', () => {
  it("one instance's 429 holds the other's calls", async () => {
    const store = createMemoryStore();
    const a = client({ '/x': [tooMany('1'), ok] }, { store });
    const b = client({ '/y': [ok] }, { store });
    const first = a.instance.get('/x');
    await vi.advanceTimersByTimeAsync(1);
    const second = b.instance.get('/y');
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all([first, second]);
    expect(b.sent.map((attempt) => attempt.at)).toEqual([1000]);
  });
});
