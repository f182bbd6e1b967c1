import { Readable } from 'node:stream';
import axios, { AxiosError, type AxiosAdapter } from 'axios';
import { describe, expect, it } from 'vitest';
import { isBoxApiError, attachBoxStatus, type BoxRetryEvent } from '../../src/index.js';
import { boxError, refusedPort, useBoxServer, unavailable, ok } from '../helpers/box-server.js';
import { boxClient, rejection, TOKEN } from '../helpers/client.js';
import { getEventListeners } from 'node:events';

const server = useBoxServer();


function timeouts(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('dropped sockets', () => {
  it('a GET whose socket is dropped is retried', async () => {
    server.script('/drop', [{ destroy: true }, ok]);
    const { instance, events } = boxClient(server);
    const res = await instance.get('/drop');
    expect(res.boxStatus?.attempts).toBe(2);
    expect(events[0]?.reason).toBe('ECONNRESET');
    expect(events[0]?.status).toBeUndefined();
    expect(server.count('/drop')).toBe(2);
  });

  it('a POST whose socket is dropped is not retried: it may have been executed', async () => {
    server.script('/drop', [{ destroy: true }, ok]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.post('/drop', { name: 'x' }));
    expect(isBoxApiError(error)).toBe(false);
    expect(axios.isAxiosError(error)).toBe(true);
    expect(error.code).toBe('ECONNRESET');
    expect(error.boxAttempts).toBe(1);
    expect(error.boxNotRetriedReason).toMatch(/^POST is not idempotent/);
    expect(error.message).toMatch(/\(not retried: POST is not idempotent/);
    expect(server.count('/drop')).toBe(1);
  });

  it('exhausted network retries stay a plain AxiosError with the attempts', async () => {
    server.script('/drop', [{ destroy: true }]);
    const { instance } = boxClient(server, { retries: 2 });
    const error = await rejection(instance.get('/drop'));
    expect(error).toBeInstanceOf(AxiosError);
    expect(isBoxApiError(error)).toBe(false);
    expect(error.boxAttempts).toBe(3);
    expect(error.message).toMatch(/\(after 3 attempts\)$/);
    expect(server.count('/drop')).toBe(3);
  });
});

describe('timeouts', () => {
  it('an axios timeout on a GET is retried, and the timeout applies to each attempt', async () => {
    // Three attempts: a whole-call timeout shrinking per attempt (axios-retry's default) would
    // leave the third attempt no time at all.
    server.script('/slow', [{ delayMs: 300, ...ok }, { delayMs: 300, ...ok }, { delayMs: 100, ...ok }]);
    const { instance, events } = boxClient(server, {}, { timeout: 150 });
    const res = await instance.get('/slow');
    expect(res.boxStatus?.attempts).toBe(3);
    expect(events.map((e) => e.reason)).toEqual(['timeout', 'timeout']);
  });

  it('an exhausted timeout rejects with axios’s timeout error', async () => {
    server.script('/hang', [{ hang: true }]);
    const { instance } = boxClient(server, { retries: 1 }, { timeout: 30 });
    const error = await rejection(instance.get('/hang'));
    expect(error.code).toBe('ECONNABORTED');
    expect(error.boxAttempts).toBe(2);
    expect(server.count('/hang')).toBe(2);
  });

  it('a POST that timed out is not retried', async () => {
    server.script('/hang', [{ hang: true }]);
    const { instance } = boxClient(server, {}, { timeout: 30 });
    const error = await rejection(instance.post('/hang', {}));
    expect(error.code).toBe('ECONNABORTED');
    expect(error.boxAttempts).toBe(1);
    expect(server.count('/hang')).toBe(1);
  });
});

describe('ECONNREFUSED', () => {
  it('is retried for any method, POST included: nothing reached the server', async () => {
    const port = await refusedPort();
    const { instance, events } = boxClient(server, { retries: 2 }, { baseURL: `http://127.0.0.1:${port}` });
    const error = await rejection(instance.post('/folders', { name: 'x' }));
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.boxAttempts).toBe(3);
    expect(events.map((e) => e.reason)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
  });
});

describe('cancellation', () => {
  it('aborting during a backoff wait rejects at once, clears the timer, sends nothing more', async () => {
    server.script('/w', [unavailable, ok]);
    const controller = new AbortController();
    const { instance, events } = boxClient(server, {
      baseDelayMs: 60_000,
      maxDelayMs: 60_000,
      onRetry: () => {
        setTimeout(() => controller.abort(), 5);
      },
    });
    const before = timeouts();
    const started = performance.now();
    const error = await rejection(instance.get('/w', { signal: controller.signal }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(axios.isCancel(error)).toBe(true);
    expect(error.boxAttempts).toBe(1);
    expect(events).toHaveLength(1);
    expect(server.count('/w')).toBe(1);
    // The 60 s backoff timer is gone.
    expect(timeouts()).toBeLessThanOrEqual(before);
  });

  it('a CancelToken cancel during the wait rejects at once too', async () => {
    server.script('/w', [unavailable, ok]);
    const source = axios.CancelToken.source();
    const { instance } = boxClient(server, {
      baseDelayMs: 60_000,
      maxDelayMs: 60_000,
      onRetry: () => {
        setTimeout(() => source.cancel('user left'), 5);
      },
    });
    const started = performance.now();
    const error = await rejection(instance.get('/w', { cancelToken: source.token }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(axios.isCancel(error)).toBe(true);
    expect(error.message).toBe('user left');
    expect(server.count('/w')).toBe(1);
  });

  it('an abort during an attempt is not retried', async () => {
    server.script('/hang', [{ hang: true }]);
    const controller = new AbortController();
    const { instance, events } = boxClient(server);
    setTimeout(() => controller.abort(), 20);
    const error = await rejection(instance.get('/hang', { signal: controller.signal }));
    expect(axios.isCancel(error)).toBe(true);
    expect(events).toEqual([]);
    expect(server.count('/hang')).toBe(1);
  });

  it('a signal aborted before the call sends nothing', async () => {
    const { instance } = boxClient(server);
    const error = await rejection(instance.get('/x', { signal: AbortSignal.abort() }));
    expect(axios.isCancel(error)).toBe(true);
    expect(server.log).toEqual([]);
  });
});

describe('one-shot stream bodies', () => {
  it('a Node Readable body is never resent, even on 429, and the error says why', async () => {
    server.script('/upload', [{ status: 429, body: boxError(429, 'rate_limit_exceeded', 'Slow down'), headers: { 'retry-after': '0' } }, ok]);
    const { instance, events } = boxClient(server);
    const error = await rejection(
      instance.post('/upload', Readable.from([Buffer.from('file content')]), {
        headers: { 'content-type': 'application/octet-stream' },
      }),
    );
    expect(error.status).toBe(429);
    expect(error.notRetriedReason).toBe('the request body is a one-shot stream');
    expect(error.message).toContain('; not retried: the request body is a one-shot stream');
    expect(events).toEqual([]);
    expect(server.log.map((r) => r.body)).toEqual(['file content']);
  });

  it('a PUT with a stream body is not retried on a dropped socket either', async () => {
    server.script('/upload', [{ destroy: true }, ok]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.put('/upload', Readable.from([Buffer.from('abc')])));
    expect(error.boxNotRetriedReason).toBe('the request body is a one-shot stream');
    expect(error.message).toContain('not retried: the request body is a one-shot stream');
    expect(server.count('/upload')).toBe(1);
  });

  it('a Buffer body is resent whole', async () => {
    server.script('/upload', [unavailable, ok]);
    const { instance } = boxClient(server);
    await instance.put('/upload', Buffer.from('bytes'));
    expect(server.log.map((r) => r.body)).toEqual(['bytes', 'bytes']);
  });
});

describe('streamed responses (responseType: stream)', () => {
  it('a download polled on 202 and retried on 503: the bodies retried past are released', async () => {
    server.script('/files/1/content', [
      { status: 503, body: boxError(503, 'unavailable', 'Unavailable') },
      { status: 202, headers: { 'retry-after': '0' } },
      { status: 200, body: 'file bytes', headers: { 'content-type': 'application/octet-stream' } },
    ]);
    const { instance, events } = boxClient(server);
    const res = await instance.get('/files/1/content', { responseType: 'stream' });
    expect(res.boxStatus?.attempts).toBe(3);
    const chunks: Buffer[] = [];
    for await (const chunk of res.data as Readable) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('file bytes');
    const discarded = events.map((e) => (e.error as AxiosError).response?.data as Readable);
    expect(discarded).toHaveLength(2);
    for (const body of discarded) expect(body.destroyed).toBe(true);
  });

  it('with the fetch adapter, a web ReadableStream retried past is cancelled', async () => {
    server.script('/files/2/content', [
      { status: 503, body: boxError(503, 'unavailable', 'Unavailable') },
      { status: 200, body: 'abc', headers: { 'content-type': 'application/octet-stream' } },
    ]);
    const { instance, events } = boxClient(server, {}, { adapter: 'fetch' });
    const res = await instance.get('/files/2/content', { responseType: 'stream' });
    expect(res.boxStatus?.attempts).toBe(2);
    const discarded = (events[0]!.error as AxiosError).response?.data as ReadableStream;
    expect(discarded.locked).toBe(false);
    // A cancelled stream reads as done at once.
    await expect(discarded.getReader().read()).resolves.toEqual({ done: true, value: undefined });
    expect(await new Response(res.data as ReadableStream).text()).toBe('abc');
  });
});

describe('cancellation between attempts and during onRetry', () => {
  it('a cancel landing between the first failure and the retry is not retried, nor reported to onRetry', async () => {
    const controller = new AbortController();
    let sent = 0;
    const adapter: AxiosAdapter = async (config) => {
      sent += 1;
      queueMicrotask(() => controller.abort());
      return { status: 503, statusText: 'Service Unavailable', headers: {}, data: '{}', config };
    };
    const events: BoxRetryEvent[] = [];
    const instance = axios.create({ adapter });
    attachBoxStatus(instance, { retry: { baseDelayMs: 5000, maxDelayMs: 5000, onRetry: (e) => { events.push(e); } } });
    const started = performance.now();
    const error = await rejection(instance.get('/x', { signal: controller.signal }));
    expect(axios.isCancel(error)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(events).toEqual([]);
    expect(sent).toBe(1);
  });

  it('an abort during a slow onRetry rejects at once, without waiting for it', async () => {
    server.script('/f', [unavailable, ok]);
    const controller = new AbortController();
    const { instance } = boxClient(server, {
      onRetry: async () => {
        setTimeout(() => controller.abort(), 5);
        await new Promise((resolve) => setTimeout(resolve, 2000));
      },
    });
    const started = performance.now();
    const error = await rejection(instance.get('/f', { signal: controller.signal }));
    expect(axios.isCancel(error)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(server.count('/f')).toBe(1);
  });

  it('a call cancelled before it is sent: axios’s own error gets the redacted toJSON too', async () => {
    const { instance, handle } = boxClient(server);
    const error = await rejection(instance.get(`/f?access_token=abcdefghij`, { signal: AbortSignal.abort() }));
    expect(axios.isCancel(error)).toBe(true);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(JSON.stringify(error.toJSON())).not.toContain('abcdefghij');
    // eject removes that interceptor too.
    handle.eject();
    let count = 0;
    (instance.interceptors.response as unknown as { forEach(fn: () => void): void }).forEach(() => {
      count += 1;
    });
    expect(count).toBe(0);
  });

  it('the CancelToken bridge leaves no listener on the token or the signal when the call ends', async () => {
    server.script('/f', [unavailable, ok]);
    const source = axios.CancelToken.source();
    const controller = new AbortController();
    const { instance } = boxClient(server);
    await instance.get('/f', { cancelToken: source.token, signal: controller.signal });
    // _listeners is CancelToken's own list (every axios 1.x); axios empties it to null or [].
    expect((source.token as unknown as { _listeners?: unknown[] | null })._listeners ?? []).toHaveLength(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
