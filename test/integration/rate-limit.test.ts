import axios, { type AxiosResponse } from 'axios';
import { describe, expect, it } from 'vitest';
import { BoxRateLimitError, BoxServerError } from '../../src/index.js';
import { ok, tooMany, unavailable, useBoxServer } from '../helpers/box-server.js';
import { boxClient, rejection } from '../helpers/client.js';
import { sleep, timed, timers } from '../helpers/time.js';

const server = useBoxServer();

describe('the shared rate-limit pause', () => {
  it('20 concurrent GETs, the first answered 429 with retry-after: 1: nothing is sent during that second, then all succeed', async () => {
    let first = true;
    server.script('/items', () => {
      if (!first) return ok;
      first = false;
      return tooMany('1');
    });
    let sawLimit!: () => void;
    const limited = new Promise<void>((resolve) => {
      sawLimit = resolve;
    });
    const { instance, handle, events } = boxClient(server, { onRetry: () => sawLimit() });

    const calls: Promise<AxiosResponse>[] = [instance.get('/items')];
    await limited;
    // The pause is in force: 11 more calls at once, and 8 spread over the second.
    expect(handle.stats().rateLimitPauseMs).toBeGreaterThan(900);
    for (let i = 0; i < 11; i += 1) calls.push(instance.get('/items'));
    for (let i = 1; i <= 8; i += 1) {
      await sleep(100);
      calls.push(instance.get('/items'));
    }
    const responses = await Promise.all(calls);

    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(responses[0]?.boxStatus?.attempts).toBe(2);
    expect(responses.slice(1).every((r) => r.boxStatus?.attempts === 1)).toBe(true);
    expect(events.map((e) => [e.delayMs, e.delaySource])).toEqual([[1000, 'retry-after']]);
    const [limit, ...rest] = server.log;
    expect(rest).toHaveLength(20);
    const pauseEnd = (limit?.answeredAt as number) + 1000;
    // 1 ms of slack: the client's clock (Date.now) has a millisecond grain.
    expect(Math.min(...rest.map((r) => r.receivedAt))).toBeGreaterThanOrEqual(pauseEnd - 1);
    expect(handle.stats().rateLimitPauseMs).toBe(0);
  });

  it('a 503 with Retry-After pauses the instance; a 503 without does not', async () => {
    server.script('/busy', [{ ...unavailable, headers: { 'retry-after': '0.3' } }, ok]);
    server.script('/down', [unavailable, ok]);
    server.script('/other', [ok]);
    const a = boxClient(server);
    await a.instance.get('/down');
    expect(a.handle.stats().rateLimitPauseMs).toBe(0);

    const busy = a.instance.get('/busy');
    await sleep(50);
    expect(a.handle.stats().rateLimitPauseMs).toBeGreaterThan(200);
    const started = performance.now();
    await a.instance.get('/other');
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    await busy;
  });

  it('a 429 without Retry-After pauses the instance for baseDelayMs', async () => {
    server.script('/limited', [tooMany(), ok]);
    server.script('/other', [ok]);
    const { instance, handle, events } = boxClient(server, { baseDelayMs: 200, maxDelayMs: 200 });
    const limited = instance.get('/limited');
    await sleep(30);
    const pause = handle.stats().rateLimitPauseMs;
    expect(pause).toBeGreaterThan(100);
    expect(pause).toBeLessThanOrEqual(200);
    await instance.get('/other');
    await limited;
    expect(events[0]).toMatchObject({ delayMs: 200, delaySource: 'backoff' });
    const other = server.log.find((r) => r.path === '/other');
    expect(other?.receivedAt).toBeGreaterThanOrEqual((server.log[0]?.answeredAt as number) + 199);
  });

  it('the pause is capped by maxRetryAfterMs; the call asked to wait longer gives up at once', async () => {
    server.script('/far', [tooMany('3600')]);
    server.script('/other', [ok]);
    const { instance, handle } = boxClient(server, { maxRetryAfterMs: 150 });
    const started = performance.now();
    const error = await rejection(instance.get('/far'));
    expect(error).toBeInstanceOf(BoxRateLimitError);
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(performance.now() - started).toBeLessThan(100);
    expect(handle.stats().rateLimitPauseMs).toBeLessThanOrEqual(150);
    await instance.get('/other');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('a retrying call waits for a pause another call set: delaySource rate-limit', async () => {
    server.script('/limited', [tooMany('0.3'), ok]);
    // Sent before the pause begins, answered during it.
    server.script('/down', [{ ...unavailable, delayMs: 100 }, ok]);
    const { instance, events } = boxClient(server);
    const down = instance.get('/down');
    await sleep(10);
    const limited = instance.get('/limited');
    const res = await down;
    await limited;
    expect(res.boxStatus?.attempts).toBe(2);
    const event = events.find((e) => e.config.url === '/down');
    expect(event?.delaySource).toBe('rate-limit');
    expect(event?.delayMs).toBeGreaterThan(100);
    expect(event?.delayMs).toBeLessThanOrEqual(300);
    const retried = server.log.filter((r) => r.path === '/down')[1];
    expect(retried?.receivedAt).toBeGreaterThanOrEqual((server.log[1]?.answeredAt as number) + 299);
  });

  it('a POST answered 503 with Retry-After is not retried, but still pauses the instance', async () => {
    server.script('/upload', [{ ...unavailable, headers: { 'retry-after': '0.2' } }]);
    const { instance, handle } = boxClient(server);
    const error = await rejection(instance.post('/upload', { name: 'a.txt' }));
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.attempts).toBe(1);
    expect(handle.stats().rateLimitPauseMs).toBeGreaterThan(100);
  });

  it('shareRateLimit: false on the instance: no pause at all', async () => {
    server.script('/limited', [tooMany('0.5'), ok]);
    server.script('/other', [ok]);
    const { instance, handle } = boxClient(server, { shareRateLimit: false });
    const limited = instance.get('/limited');
    await sleep(30);
    expect(handle.stats().rateLimitPauseMs).toBe(0);
    const started = performance.now();
    await instance.get('/other');
    expect(performance.now() - started).toBeLessThan(200);
    // Its own retry still waits the whole Retry-After.
    expect((await limited).boxStatus?.attempts).toBe(2);
    expect(server.log[2]?.receivedAt).toBeGreaterThanOrEqual((server.log[0]?.answeredAt as number) + 499);
  });

  it('shareRateLimit: false per request: neither waits for the pause nor sets it', async () => {
    server.script('/limited', [tooMany('0.5'), ok]);
    server.script('/urgent', [tooMany('5'), ok]);
    const { instance, handle } = boxClient(server);
    const limited = instance.get('/limited');
    await sleep(30);
    const pause = handle.stats().rateLimitPauseMs;
    const started = performance.now();
    const urgent = await rejection(
      instance.get('/urgent', { boxRetry: { shareRateLimit: false, maxRetryAfterMs: 1000 } }),
    );
    expect(performance.now() - started).toBeLessThan(200);
    expect(urgent).toBeInstanceOf(BoxRateLimitError);
    // Its 5 s Retry-After did not lengthen the instance's pause.
    expect(handle.stats().rateLimitPauseMs).toBeLessThanOrEqual(pause);
    await limited;
  });

  it('each instance has its own pause', async () => {
    server.script('/limited', [tooMany('0.5'), ok]);
    server.script('/other', [ok]);
    const a = boxClient(server);
    const b = boxClient(server);
    const limited = a.instance.get('/limited');
    await sleep(30);
    const started = performance.now();
    await b.instance.get('/other');
    expect(performance.now() - started).toBeLessThan(200);
    expect(b.handle.stats().rateLimitPauseMs).toBe(0);
    await limited;
  });

  it('an abort during the pause rejects at once, sends nothing and leaves no timer', async () => {
    server.script('/limited', [tooMany('0.5'), ok]);
    server.script('/other', [ok]);
    const { instance } = boxClient(server);
    const limited = instance.get('/limited');
    await sleep(30);
    const baseline = timers();
    const controller = new AbortController();
    const pending = rejection(instance.get('/other', { signal: controller.signal }));
    await sleep(20);
    expect(timers()).toBe(baseline + 1);
    const started = performance.now();
    controller.abort();
    const error = await pending;
    expect(performance.now() - started).toBeLessThan(50);
    expect(axios.isCancel(error)).toBe(true);
    expect(error).toBeInstanceOf(axios.CanceledError);
    expect(error.code).toBe('ERR_CANCELED');
    expect(error.message).toBe('canceled');
    expect(error.boxAttempts).toBe(0);
    expect(timers()).toBe(baseline);
    await limited;
    expect(server.count('/other')).toBe(0);
  });

  it('a CancelToken cancel during the pause rejects at once and sends nothing', async () => {
    server.script('/limited', [tooMany('0.5'), ok]);
    server.script('/other', [ok]);
    const { instance } = boxClient(server);
    const limited = instance.get('/limited');
    await sleep(30);
    const source = axios.CancelToken.source();
    const pending = rejection(instance.get('/other', { cancelToken: source.token }));
    await sleep(20);
    source.cancel('user left');
    const error = await pending;
    expect(axios.isCancel(error)).toBe(true);
    expect(error.message).toBe('user left');
    await limited;
    expect(server.count('/other')).toBe(0);
  });

  it('a request sent with boxRetry: false still waits for the pause, and its 429 starts one', async () => {
    server.script('/limited', [tooMany('0.3'), ok]);
    server.script('/upload', [tooMany('0.3'), ok]);
    server.script('/other', [ok]);
    const { instance, handle } = boxClient(server);
    const limited = instance.get('/limited');
    await sleep(30);
    const [, took] = await timed(instance.get('/other', { boxRetry: false }));
    expect(took).toBeGreaterThanOrEqual(250);
    await limited;

    const upload = await rejection(instance.post('/upload', 'bytes', { boxRetry: false }));
    expect(upload).toBeInstanceOf(BoxRateLimitError);
    expect(upload.attempts).toBe(1);
    expect(handle.stats().rateLimitPauseMs).toBeGreaterThan(200);
  });

  it('an instance attached with retry: false has no pause', async () => {
    server.script('/limited', [tooMany('0.5')]);
    server.script('/other', [ok]);
    const { instance, handle } = boxClient(server, false);
    await rejection(instance.get('/limited'));
    expect(handle.stats().rateLimitPauseMs).toBe(0);
    const [, took] = await timed(instance.get('/other'));
    expect(took).toBeLessThan(200);
  });

  it("a retry waiting out its backoff is held by a pause that starts meanwhile", async () => {
    server.script('/a', [unavailable, ok]);
    server.script('/b', [{ ...tooMany('0.4'), delayMs: 20 }, ok]);
    const { instance, events } = boxClient(server, { baseDelayMs: 100, maxDelayMs: 100 });
    const a = instance.get('/a');
    const b = instance.get('/b');
    await Promise.all([a, b]);
    // /a's retry was granted with a 100 ms backoff; /b's 429 arrived during it.
    expect(events.find((e) => e.config.url === '/a')).toMatchObject({ delayMs: 100, delaySource: 'backoff' });
    const limit = server.log.find((r) => r.path === '/b') as { answeredAt: number };
    const retried = server.log.filter((r) => r.path === '/a')[1];
    expect(retried?.receivedAt).toBeGreaterThanOrEqual(limit.answeredAt + 399);
  });

  it('a request waiting for the pause is held again when the pause is lengthened', async () => {
    // /x is in flight when /y's 429 starts a 200 ms pause; /x's own 429 then lengthens it to 500.
    server.script('/x', [{ ...tooMany('0.5'), delayMs: 100 }, ok]);
    server.script('/y', [tooMany('0.2'), ok]);
    server.script('/n', [ok]);
    const { instance } = boxClient(server);
    const x = instance.get('/x');
    await sleep(5);
    const y = instance.get('/y');
    await sleep(20);
    const n = instance.get('/n');
    await Promise.all([x, y, n]);
    const longer = server.log.find((r) => r.path === '/x') as { answeredAt: number };
    const sent = server.log.find((r) => r.path === '/n');
    expect(sent?.receivedAt).toBeGreaterThanOrEqual(longer.answeredAt + 499);
  });

  it('a 429 without Retry-After keeps its own jittered backoff, and pauses the others for as long', async () => {
    server.script('/limited', [tooMany(), ok]);
    const { instance, events, handle } = boxClient(server, { baseDelayMs: 300, maxDelayMs: 300, jitter: 'full' });
    const limited = instance.get('/limited');
    await sleep(10);
    const pause = handle.stats().rateLimitPauseMs;
    await limited;
    expect(events[0]?.delaySource).toBe('backoff');
    expect(events[0]?.delayMs).toBeLessThan(300);
    expect(pause).toBeLessThanOrEqual(events[0]?.delayMs as number);
    expect(pause).toBeGreaterThanOrEqual((events[0]?.delayMs as number) - 20);
  });

  it('retries held by a pause still spread out by their own jittered backoff', async () => {
    server.script('/limited', (count) => (count <= 10 ? tooMany() : ok));
    const { instance } = boxClient(server, { baseDelayMs: 200, maxDelayMs: 200, jitter: 'full' });
    await Promise.all(Array.from({ length: 10 }, () => instance.get('/limited')));
    const retries = server.log.slice(10).map((r) => r.receivedAt);
    expect(retries).toHaveLength(10);
    // Not one burst at the end of the pause: full jitter over 200 ms spreads them.
    expect(Math.max(...retries) - Math.min(...retries)).toBeGreaterThan(20);
  });

  it('a retry held at its send by a pause that another call lengthened since still waits its own backoff after it', async () => {
    server.script('/a', [tooMany(), ok]);
    server.script('/b', [{ ...tooMany(), delayMs: 10 }, ok]);
    const { instance, events } = boxClient(server, { jitter: 'none' });
    // A's 429 pauses the instance for A's own 40 ms; B's, 10 ms later, for B's 200 ms. A's wait
    // ends inside B's pause: A goes its 40 ms after the pause, not in one burst with B.
    await Promise.all([
      instance.get('/a', { boxRetry: { baseDelayMs: 40, maxDelayMs: 40 } }),
      instance.get('/b', { boxRetry: { baseDelayMs: 200, maxDelayMs: 200 } }),
    ]);
    const at = (path: string) => server.log.filter((r) => r.path === path)[1]!.receivedAt;
    expect(events.map((e) => [e.delayMs, e.delaySource])).toEqual([
      [40, 'backoff'],
      [200, 'backoff'],
    ]);
    expect(at('/a') - at('/b')).toBeGreaterThanOrEqual(35);
    expect(at('/a') - at('/b')).toBeLessThan(120);
  });

  it('an already aborted request is not held by the pause', async () => {
    server.script('/limited', [tooMany('0.5'), ok]);
    const { instance } = boxClient(server);
    const limited = instance.get('/limited');
    await sleep(30);
    const started = performance.now();
    const error = await rejection(instance.get('/other', { signal: AbortSignal.abort() }));
    expect(axios.isCancel(error)).toBe(true);
    expect(performance.now() - started).toBeLessThan(50);
    await limited;
  });
});
