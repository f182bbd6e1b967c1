// Faults found in review of the first implementation; each test failed before its fix.
import { getEventListeners } from 'node:events';
import { Readable } from 'node:stream';
import axios, { AxiosError, type AxiosAdapter } from 'axios';
import { describe, expect, it } from 'vitest';
import { BoxClientError, BoxServerError, attachBoxStatus, type BoxRetryEvent } from '../../src/index.js';
import { boxError, ok, refusedPort, unavailable, useBoxServer } from '../helpers/box-server.js';
import { TOKEN, boxClient, rejection } from '../helpers/client.js';

const server = useBoxServer();

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

describe('cancellation', () => {
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

describe('credentials set by onRetry outside the headers', () => {
  it('a token moved into the URL is redacted, and error.config carries the URL sent', async () => {
    const FRESH = 'FRESH-QUERY-TOKEN-7777';
    server.script('/f', (_n, request) => ({ status: 503, body: boxError(503, 'unavailable', `echo ${request.url}`) }));
    const { instance } = boxClient(server, {
      retries: 1,
      onRetry: (event) => {
        event.config.url = `/f?access_token=${FRESH}`;
      },
    });
    const error = await rejection(instance.get('/f'));
    expect(server.log.map((r) => r.url)).toEqual(['/f', `/f?access_token=${FRESH}`]);
    expect(error.message).not.toContain(FRESH);
    expect(JSON.stringify(error)).not.toContain(FRESH);
    expect(error.config.url).toBe(`/f?access_token=${FRESH}`);
  });
});

describe('adapters that reject with a response', () => {
  const rejecting = (statuses: number[]): AxiosAdapter => {
    let n = 0;
    return async (config) => {
      const status = statuses[Math.min(n++, statuses.length - 1)]!;
      const response = { status, statusText: '', headers: {}, data: '{"code":"x"}', config };
      if (status >= 400) throw new AxiosError('failed', AxiosError.ERR_BAD_REQUEST, config, null, response);
      return response;
    };
  };

  it('a 404 becomes a BoxClientError', async () => {
    const { instance } = boxClient(server);
    const error = await rejection(instance.get('/x', { adapter: rejecting([404]) }));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error.boxCode).toBe('x');
  });

  it('a 503 is retried, and exhausted into a BoxServerError', async () => {
    const { instance } = boxClient(server, { retries: 1 });
    const res = await instance.get('/x', { adapter: rejecting([503, 200]) });
    expect(res.boxStatus?.attempts).toBe(2);
    const error = await rejection(instance.get('/x', { adapter: rejecting([503]) }));
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.attempts).toBe(2);
  });
});

it('the fetch adapter’s ECONNREFUSED (reported as ERR_NETWORK) is retried for a POST', async () => {
  const port = await refusedPort();
  const { instance } = boxClient(server, { retries: 2 }, { baseURL: `http://127.0.0.1:${port}`, adapter: 'fetch' });
  const error = await rejection(instance.post('/folders', { name: 'x' }));
  expect(error.code).toBe('ERR_NETWORK');
  expect(error.boxAttempts).toBe(3);
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

// Before axios 1.19, a synchronous chain let an error thrown before the adapter skip the response
// interceptors (and the redaction of a pre-send cancel, tested above); there the plugin's request
// interceptor is asynchronous, at the cost of a tick.
const [major, minor] = axios.VERSION.split('.').map(Number) as [number, number];
const synchronousChain = major > 1 || minor >= 19;

it(`the plugin adds ${synchronousChain ? 'no tick: with synchronous interceptors the adapter runs within the call' : 'a tick before axios 1.19, whose synchronous chain would skip the redaction'}`, () => {
  let reached = false;
  const adapter: AxiosAdapter = async (config) => {
    reached = true;
    return { status: 200, statusText: 'OK', headers: {}, data: '', config };
  };
  const { instance } = boxClient(server, {}, { adapter });
  const pending = instance.get('/x');
  expect(reached).toBe(synchronousChain);
  return pending;
});
