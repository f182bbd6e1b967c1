import { describe, expect, it } from 'vitest';
import { BoxClientError, BoxRateLimitError, BoxServerError, attachBoxStatus } from '../../src/index.js';
import { boxError, tooMany, useBoxServer, unavailable, ok, refusedPort } from '../helpers/box-server.js';
import { boxClient, rejection } from '../helpers/client.js';
import axios, { AxiosError } from 'axios';
import { Readable } from 'node:stream';

const server = useBoxServer();

describe('which methods are retried', () => {
  it.each(['get', 'head', 'options', 'put', 'delete'] as const)('%s is retried on 503', async (method) => {
    server.script('/r', [unavailable, ok]);
    const { instance } = boxClient(server);
    const res = await instance.request({ method, url: '/r', data: method === 'put' ? { a: 1 } : undefined });
    expect(res.boxStatus?.attempts).toBe(2);
    expect(server.count('/r')).toBe(2);
  });

  it.each(['post', 'patch'] as const)('%s is not retried on 503: Box may have acted on it', async (method) => {
    server.script('/w', [unavailable, ok]);
    const { instance, events } = boxClient(server);
    const error = await rejection(instance.request({ method, url: '/w', data: { name: 'x' } }));
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.attempts).toBe(1);
    expect(error.notRetriedReason).toMatch(new RegExp(`^${method.toUpperCase()} is not idempotent`));
    expect(error.message).toContain(`; not retried: ${method.toUpperCase()} is not idempotent`);
    expect(error.boxStatus.retryable).toBe(true);
    expect(events).toEqual([]);
    expect(server.count('/w')).toBe(1);
  });

  it('POST is retried on 429: Box did not execute it', async () => {
    server.script('/folders', [tooMany('0'), { status: 201, body: { id: '9' } }]);
    const { instance } = boxClient(server);
    const res = await instance.post('/folders', { name: 'New' });
    expect(res.status).toBe(201);
    expect(res.boxStatus?.attempts).toBe(2);
    expect(server.log.map((r) => r.body)).toEqual(['{"name":"New"}', '{"name":"New"}']);
  });

  it('POST is polled on 202 with Retry-After (an upload commit not ready yet)', async () => {
    server.script('/commit', [
      { status: 202, headers: { 'retry-after': '0.001' } },
      { status: 201, body: { entries: [] } },
    ]);
    const { instance, events } = boxClient(server);
    const res = await instance.post('/commit', { parts: [] });
    expect(res.status).toBe(201);
    expect(events.map((e) => [e.reason, e.delayMs, e.delaySource])).toEqual([['retry-after', 1, 'retry-after']]);
  });

  it('POST with boxRetry.idempotent is retried on 503', async () => {
    server.script('/w', [unavailable, ok]);
    const { instance } = boxClient(server);
    const res = await instance.post('/w', {}, { boxRetry: { idempotent: true } });
    expect(res.boxStatus?.attempts).toBe(2);
  });

  it('GET with boxRetry.idempotent: false is retried only where Box did not act', async () => {
    server.script('/g', [unavailable, ok]);
    server.script('/h', [tooMany('0'), ok]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.get('/g', { boxRetry: { idempotent: false } }));
    expect(error.notRetriedReason).toMatch(/^GET is not idempotent/);
    const res = await instance.get('/h', { boxRetry: { idempotent: false } });
    expect(res.boxStatus?.attempts).toBe(2);
  });

  it('the fetch adapter’s ECONNREFUSED (reported as ERR_NETWORK) is retried for a POST', async () => {
    const port = await refusedPort();
    const { instance } = boxClient(server, { retries: 2 }, { baseURL: `http://127.0.0.1:${port}`, adapter: 'fetch' });
    const error = await rejection(instance.post('/folders', { name: 'x' }));
    expect(error.code).toBe('ERR_NETWORK');
    expect(error.boxAttempts).toBe(3);
  });
});

describe('Retry-After', () => {
  it('lower-case retry-after in decimal seconds is waited exactly, never jittered', async () => {
    server.script('/s', [tooMany('0.03'), ok]);
    const { instance, events } = boxClient(server, { jitter: 'full', baseDelayMs: 1000, maxDelayMs: 1000 });
    const started = performance.now();
    const res = await instance.get('/s');
    const elapsed = performance.now() - started;
    expect(res.boxStatus?.attempts).toBe(2);
    expect(events[0]).toMatchObject({ delayMs: 30, delaySource: 'retry-after', retryAfterMs: 30, status: 429 });
    expect(elapsed).toBeGreaterThanOrEqual(29);
    expect(elapsed).toBeLessThan(900);
  });

  it('Retry-After also governs a retried 5xx', async () => {
    server.script('/s', [{ ...unavailable, headers: { 'retry-after': '0.004' } }, ok]);
    const { instance, events } = boxClient(server);
    await instance.get('/s');
    expect(events[0]).toMatchObject({ delayMs: 4, delaySource: 'retry-after', reason: 'status 503' });
  });

  it('an HTTP-date Retry-After is parsed (a past date waits 0, not NaN)', async () => {
    server.script('/d', [tooMany('Wed, 21 Oct 2015 07:28:00 GMT'), ok]);
    const { instance, events } = boxClient(server);
    const res = await instance.get('/d');
    expect(res.boxStatus?.attempts).toBe(2);
    expect(events[0]).toMatchObject({ delayMs: 0, delaySource: 'retry-after', retryAfterMs: 0 });
  });

  it('a Retry-After beyond maxRetryAfterMs gives up at once, without sleeping', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toUTCString();
    server.script('/far', [tooMany(inAnHour)]);
    server.script('/far2', [tooMany('120')]);
    // The shared pause (capped at maxRetryAfterMs) would hold the second call: see rate-limit tests.
    const { instance, events } = boxClient(server, { shareRateLimit: false });
    const started = performance.now();
    const error = await rejection(instance.get('/far'));
    expect(performance.now() - started).toBeLessThan(500);
    expect(error).toBeInstanceOf(BoxRateLimitError);
    expect(error.retryAfterMs).toBeGreaterThan(3_590_000);
    expect(error.attempts).toBe(1);
    expect(error.notRetriedReason).toMatch(/^Retry-After of \d+ ms is beyond maxRetryAfterMs \(60000 ms\)$/);
    const error2 = await rejection(instance.get('/far2'));
    expect(error2.retryAfterMs).toBe(120_000);
    expect(error2.message).toContain('not retried: Retry-After of 120000 ms is beyond maxRetryAfterMs (60000 ms)');
    expect(events).toEqual([]);
    expect(server.count('/far') + server.count('/far2')).toBe(2);
  });

  it('maxRetryAfterMs is configurable', async () => {
    server.script('/s', [tooMany('0.05')]);
    const { instance } = boxClient(server, { maxRetryAfterMs: 10 });
    const error = await rejection(instance.get('/s'));
    expect(error.attempts).toBe(1);
    expect(error.retryAfterMs).toBe(50);
  });

  it('a garbage Retry-After is ignored: computed backoff instead', async () => {
    server.script('/g', [tooMany('soon'), tooMany('-1'), ok]);
    const { instance, events } = boxClient(server, { baseDelayMs: 3 });
    const res = await instance.get('/g');
    expect(res.boxStatus?.attempts).toBe(3);
    expect(events.map((e) => [e.delayMs, e.delaySource, e.retryAfterMs])).toEqual([
      [3, 'backoff', undefined],
      [6, 'backoff', undefined],
    ]);
  });
});

describe('202 polling', () => {
  it('a download answered 202 + retry-after is polled until 200', async () => {
    server.script('/files/1/content', [
      { status: 202, headers: { 'retry-after': '0.001' } },
      { status: 202, headers: { 'retry-after': '0.002' } },
      { status: 200, body: 'file bytes', headers: { 'content-type': 'application/octet-stream' } },
    ]);
    const { instance, events } = boxClient(server);
    const res = await instance.get('/files/1/content', { responseType: 'text' });
    expect(res.data).toBe('file bytes');
    expect(res.boxStatus).toMatchObject({ status: 200, attempts: 3, retryable: false });
    expect(events.map((e) => [e.attempt, e.delayMs, e.reason])).toEqual([
      [2, 1, 'retry-after'],
      [3, 2, 'retry-after'],
    ]);
  });

  it('exhausted polling resolves with the last 202 and its retryAfterMs', async () => {
    server.script('/thumb', [{ status: 202, headers: { 'retry-after': '0.001' } }]);
    const { instance } = boxClient(server, { retries: 2 });
    const res = await instance.get('/thumb');
    expect(res.status).toBe(202);
    expect(res.boxStatus).toEqual({
      status: 202,
      kind: 'success',
      retryable: true,
      attempts: 3,
      requestId: undefined,
      retryAfterMs: 1,
      waitedMs: expect.any(Number),
      durationMs: expect.any(Number),
    });
    expect(server.count('/thumb')).toBe(3);
  });

  it('a POST upload answered 202 + Retry-After with a one-shot body resolves, saying why it was not polled', async () => {
    server.script('/commit', [{ status: 202, headers: { 'retry-after': '1' } }]);
    const { instance } = boxClient(server);
    const res = await instance.post('/commit', Readable.from([Buffer.from('part')]));
    expect(res.status).toBe(202);
    expect(res.boxStatus).toMatchObject({
      retryable: true,
      retryAfterMs: 1000,
      notRetriedReason: 'the request body is a one-shot stream',
    });
  });
});

describe('backoff', () => {
  it('doubles from baseDelayMs and is capped by maxDelayMs', async () => {
    server.script('/b', [unavailable]);
    const { instance, events } = boxClient(server, { retries: 5, baseDelayMs: 2, maxDelayMs: 10 });
    const error = await rejection(instance.get('/b'));
    expect(error.attempts).toBe(6);
    expect(events.map((e) => e.delayMs)).toEqual([2, 4, 8, 10, 10]);
    expect(events.map((e) => e.attempt)).toEqual([2, 3, 4, 5, 6]);
  });

  it('full jitter stays within [0, backoff]', async () => {
    server.script('/b', [unavailable]);
    const { instance, events } = boxClient(server, { retries: 4, baseDelayMs: 4, maxDelayMs: 16, jitter: 'full' });
    await rejection(instance.get('/b'));
    const ceilings = [4, 8, 16, 16];
    events.forEach((e, i) => {
      expect(e.delaySource).toBe('backoff');
      expect(e.delayMs).toBeGreaterThanOrEqual(0);
      expect(e.delayMs).toBeLessThanOrEqual(ceilings[i]!);
    });
  });
});

describe('onRetry', () => {
  it('gets the failed attempt and the config to send; a change to it is sent', async () => {
    server.script('/t', [unavailable, unavailable, ok]);
    let fresh = 0;
    const { instance, events } = boxClient(server, {
      onRetry: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        fresh += 1;
        event.config.headers.set('Authorization', `Bearer fresh-${fresh}`);
      },
    });
    const res = await instance.get('/t');
    expect(res.boxStatus?.attempts).toBe(3);
    expect(server.log.map((r) => r.headers.authorization)).toEqual([
      'Bearer test-bearer-token-0123456789',
      'Bearer fresh-1',
      'Bearer fresh-2',
    ]);
    expect(events[0]).toMatchObject({ attempt: 2, reason: 'status 503', status: 503 });
    expect(axios.isAxiosError(events[0]!.error)).toBe(true);
    expect(events[0]!.config.url).toBe('/t');
  });

  it('throwing stops the call with that error and sends nothing more', async () => {
    server.script('/t', [unavailable, ok]);
    const boom = new Error('token refresh failed');
    const { instance } = boxClient(server, { onRetry: () => { throw boom; } });
    expect(await rejection(instance.get('/t'))).toBe(boom);
    expect(server.count('/t')).toBe(1);
  });
});

describe('per-request boxRetry', () => {
  it('false sends the request once', async () => {
    server.script('/p', [unavailable, ok]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.get('/p', { boxRetry: false }));
    expect(error).toBeInstanceOf(BoxServerError);
    expect(server.count('/p')).toBe(1);
  });

  it('overrides fields of the instance policy, the rest kept', async () => {
    server.script('/p', [unavailable]);
    const { instance, events } = boxClient(server);
    const error = await rejection(instance.get('/p', { boxRetry: { retries: 1, baseDelayMs: 2 } }));
    expect(error.attempts).toBe(2);
    expect(events.map((e) => e.delayMs)).toEqual([2]);
  });

  it('extra statuses can be made retryable', async () => {
    server.script('/p', [{ status: 409, body: boxError(409, 'operation_blocked_temporary', 'Try later') }, ok]);
    const { instance } = boxClient(server);
    const res = await instance.put('/p', {}, { boxRetry: { statuses: [409] } });
    expect(res.boxStatus?.attempts).toBe(2);
  });

  it('an object turns retries on for one request of a retry: false instance', async () => {
    server.script('/p', [unavailable, ok]);
    server.script('/q', [unavailable, ok]);
    const { instance } = boxClient(server, false);
    const res = await instance.get('/p', { boxRetry: { baseDelayMs: 1 } });
    expect(res.boxStatus?.attempts).toBe(2);
    expect(await rejection(instance.get('/q'))).toBeInstanceOf(BoxServerError);
  });

  it('a bad value rejects with a TypeError naming it, and nothing is sent', async () => {
    const { instance } = boxClient(server);
    const error = await rejection(instance.get('/p', { boxRetry: { retries: -1 } }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('axios-box-status: boxRetry.retries must be a whole number from 0 to 100, received -1');
    expect(server.log).toEqual([]);
  });
});

it('the default policy: 4 retries (5 attempts) with full jitter', async () => {
  server.script('/d', [unavailable]);
  const instance = axios.create({ baseURL: server.url });
  const events: { delayMs: number; delaySource: string }[] = [];
  attachBoxStatus(instance, { retry: { onRetry: (e) => { events.push(e); } } });
  // Only the delays are shrunk, per request; retries and jitter stay the instance defaults.
  const error = await rejection(instance.get('/d', { boxRetry: { baseDelayMs: 1, maxDelayMs: 1 } }));
  expect(error.attempts).toBe(5);
  expect(server.count('/d')).toBe(5);
  expect(events).toHaveLength(4);
  for (const event of events) {
    expect(event.delaySource).toBe('backoff');
    expect(event.delayMs).toBeGreaterThanOrEqual(0);
    expect(event.delayMs).toBeLessThanOrEqual(1);
  }
});

it('a 4xx the policy does not list is never retried, even with Retry-After', async () => {
  server.script('/n', [{ status: 409, body: boxError(409, 'name_temporarily_reserved', 'Reserved'), headers: { 'retry-after': '1' } }]);
  const { instance } = boxClient(server);
  const error = await rejection(instance.put('/n', {}));
  expect(error).toBeInstanceOf(BoxClientError);
  expect(error.retryAfterMs).toBe(1000);
  expect(error.notRetriedReason).toBeUndefined();
  expect(server.count('/n')).toBe(1);
});

describe('errors thrown by onRetry are the caller’s, untouched', () => {
  it('an AxiosError with a response (a failed token refresh) is rethrown as it is', async () => {
    server.script('/f', [unavailable]);
    server.script('/oauth2/token', [{ status: 400, body: { error: 'invalid_grant', error_description: 'Expired' } }]);
    const refresher = axios.create({ baseURL: server.url });
    let thrown: unknown;
    const { instance } = boxClient(server, {
      onRetry: async () => {
        thrown = await refresher.post('/oauth2/token', 'grant_type=refresh_token').catch((e: unknown) => e);
        throw thrown;
      },
    });
    const error = await rejection(instance.get('/f'));
    expect(error).toBe(thrown);
    expect(error).not.toBeInstanceOf(BoxClientError);
    expect(error.config.url).toBe('/oauth2/token');
    expect(error.response.config.url).toBe('/oauth2/token');
    expect(server.count('/f')).toBe(1);
  });

  it('an error without a response keeps its own config, message and fields', async () => {
    server.script('/f', [unavailable]);
    const thrown = new AxiosError('refresh failed', 'ECONNRESET');
    const { instance } = boxClient(server, { onRetry: () => { throw thrown; } });
    const error = await rejection(instance.get('/f'));
    expect(error).toBe(thrown);
    expect(error.config).toBeUndefined();
    expect(error.message).toBe('refresh failed');
    expect(error.boxAttempts).toBeUndefined();
  });
});
