import { createRequire } from 'node:module';
import axios, { AxiosError, type AxiosAdapter, type AxiosStatic, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, it } from 'vitest';
import { BoxClientError, BoxServerError, attachBoxStatus } from '../../src/index.js';
import { boxError, useBoxServer, unavailable, ok } from '../helpers/box-server.js';
import { TOKEN, boxClient, rejection } from '../helpers/client.js';

const server = useBoxServer();

// Before axios 1.19, a synchronous chain let an error thrown before the adapter skip the response
// interceptors (and the redaction of a pre-send cancel, tested above); there the plugin's request
// interceptor is asynchronous, at the cost of a tick.
const [major, minor] = axios.VERSION.split('.').map(Number) as [number, number];
const synchronousChain = major > 1 || minor >= 19;


describe('order in the interceptor chain', () => {
  it('interceptors added before and after attach run once per call and see the final result', async () => {
    server.script('/f', [unavailable, unavailable, ok]);
    const seen: string[] = [];
    const instance = axios.create({ baseURL: server.url });
    instance.interceptors.request.use((c) => { seen.push('request before'); return c; });
    instance.interceptors.response.use((r) => {
      seen.push(`response before: ${r.status} attempts=${r.boxStatus?.attempts}`);
      return r;
    });
    attachBoxStatus(instance, { retry: { baseDelayMs: 1 } });
    instance.interceptors.request.use((c) => { seen.push('request after'); return c; });
    instance.interceptors.response.use((r) => {
      seen.push(`response after: ${r.status} attempts=${r.boxStatus?.attempts}`);
      return r;
    });
    const res = await instance.get('/f');
    expect(res.boxStatus?.attempts).toBe(3);
    expect(seen.filter((s) => s.startsWith('request')).sort()).toEqual(['request after', 'request before']);
    expect(seen.filter((s) => s.startsWith('response'))).toEqual([
      'response before: 200 attempts=3',
      'response after: 200 attempts=3',
    ]);
    expect(server.count('/f')).toBe(3);
  });

  it('error interceptors run once with the Box error, before or after attach', async () => {
    server.script('/f', [unavailable]);
    const seen: unknown[] = [];
    const instance = axios.create({ baseURL: server.url });
    instance.interceptors.response.use(undefined, (e) => { seen.push(e); throw e; });
    attachBoxStatus(instance, { retry: { baseDelayMs: 1, retries: 2 } });
    instance.interceptors.response.use(undefined, (e) => { seen.push(e); throw e; });
    const error = await rejection(instance.get('/f'));
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(error);
    expect(seen[1]).toBe(error);
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.attempts).toBe(3);
  });

  it('an async interceptor added before attach does not break retries', async () => {
    server.script('/f', [unavailable, ok]);
    const instance = axios.create({ baseURL: server.url });
    instance.interceptors.request.use(async (c) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      c.headers.set('x-trace', 'on');
      return c;
    });
    attachBoxStatus(instance, { retry: { baseDelayMs: 1 } });
    const res = await instance.get('/f');
    expect(res.boxStatus?.attempts).toBe(2);
    expect(server.log.map((r) => r.headers['x-trace'])).toEqual(['on', 'on']);
  });

  it('response.config is the config the interceptors saw', async () => {
    server.script('/f', [unavailable, ok]);
    const instance = axios.create({ baseURL: server.url });
    attachBoxStatus(instance, { retry: { baseDelayMs: 1 } });
    let requestConfig: InternalAxiosRequestConfig | undefined;
    instance.interceptors.request.use((c) => { requestConfig = c; (c as { mark?: string }).mark = 'mine'; return c; });
    const res = await instance.get('/f');
    expect((res.config as { mark?: string }).mark).toBe('mine');
    expect(res.config.url).toBe(requestConfig?.url);
    expect(res.config.validateStatus).toBe(requestConfig?.validateStatus);
  });

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
});

describe('attach and eject', () => {
  it('attaching twice never doubles retries: the second attachment replaces the first', async () => {
    server.script('/f', [unavailable]);
    const instance = axios.create({ baseURL: server.url });
    const interceptors = (): number => {
      let count = 0;
      // forEach (which skips ejected handlers) is in every axios 1.x, though not in its types.
      (instance.interceptors.request as unknown as { forEach(fn: () => void): void }).forEach(() => {
        count += 1;
      });
      return count;
    };
    const first = attachBoxStatus(instance, { retry: { baseDelayMs: 1, retries: 1 } });
    const second = attachBoxStatus(instance, { retry: { baseDelayMs: 1, retries: 2 } });
    expect(interceptors()).toBe(1);
    const error = await rejection(instance.get('/f'));
    // The second attachment's policy, applied once.
    expect(error.attempts).toBe(3);
    expect(server.count('/f')).toBe(3);
    // The replaced handle no longer controls the instance.
    first.eject();
    expect(interceptors()).toBe(1);
    await rejection(instance.get('/f'));
    expect(server.count('/f')).toBe(6);
    second.eject();
    expect(interceptors()).toBe(0);
  });

  it('eject restores plain axios', async () => {
    server.script('/f', [unavailable, ok]);
    server.script('/missing', [{ status: 404, body: boxError(404, 'not_found', 'Not Found') }]);
    const instance = axios.create({ baseURL: server.url });
    const handle = attachBoxStatus(instance, { retry: { baseDelayMs: 1 } });
    handle.eject();
    handle.eject();
    const error = await rejection(instance.get('/f'));
    expect(error).toBeInstanceOf(AxiosError);
    expect(error).not.toBeInstanceOf(BoxServerError);
    expect(error.response.status).toBe(503);
    expect(server.count('/f')).toBe(1);
    const missing = await rejection(instance.get('/missing'));
    expect(missing).not.toBeInstanceOf(BoxClientError);
    expect(missing.message).toBe('Request failed with status code 404');
    const res = await instance.get('/f');
    expect(res.boxStatus).toBeUndefined();
    expect(instance.interceptors.request).toBeDefined();
  });

  it('eject while a call is in flight: its config no longer goes through the plugin', async () => {
    server.script('/f', [unavailable]);
    const { instance, handle } = boxClient(server);
    const first = await rejection(instance.get('/f', { boxRetry: false }));
    handle.eject();
    // A config carrying the plugin's adapter, re-sent after eject, behaves as plain axios.
    const again = await rejection(instance.request(first.config));
    expect(again).not.toBeInstanceOf(BoxServerError);
    expect(server.count('/f')).toBe(2);
  });

  it('eject during a backoff wait: the call retries no more', async () => {
    server.script('/f', [unavailable]);
    let handle: { eject(): void } | undefined;
    const { instance, handle: h } = boxClient(server, { onRetry: () => handle?.eject() });
    handle = h;
    const error = await rejection(instance.get('/f'));
    // The retry waiting when eject came is not sent: the failure it was for settles the call.
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.attempts).toBe(1);
    expect(error.notRetriedReason).toBe('the plugin was ejected');
    expect(server.count('/f')).toBe(1);
    expect(h.stats()).toMatchObject({ attempts: 1, retries: 0 });
  });

  it('eject during a backoff wait after a network error: the retry is not sent', async () => {
    server.script('/f', [{ destroy: true }]);
    let handle: { eject(): void } | undefined;
    const { instance, handle: h } = boxClient(server, { onRetry: () => handle?.eject() });
    handle = h;
    const error = await rejection(instance.get('/f'));
    expect(error).not.toBeInstanceOf(BoxServerError);
    expect(error.code).toBe('ECONNRESET');
    expect(error.boxAttempts).toBe(1);
    expect(error.boxNotRetriedReason).toBe('the plugin was ejected');
    expect(server.count('/f')).toBe(1);
  });

  it('eject during the wait of a 202 poll: the 202 resolves as the final answer', async () => {
    server.script('/f', [{ status: 202, headers: { 'retry-after': '0' } }, ok]);
    let handle: { eject(): void } | undefined;
    const { instance, handle: h } = boxClient(server, { onRetry: () => handle?.eject() });
    handle = h;
    const response = await instance.post('/f', {});
    expect(response.status).toBe(202);
    expect(response.boxStatus).toMatchObject({ attempts: 1, retryable: true, notRetriedReason: 'the plugin was ejected' });
    expect(server.count('/f')).toBe(1);
  });

  it('error.config can be re-sent by hand, with credentials, and is retried afresh', async () => {
    server.script('/f', [unavailable, unavailable, unavailable, ok]);
    const { instance } = boxClient(server, { retries: 1 });
    const error = await rejection(instance.get('/f'));
    expect(error.attempts).toBe(2);
    const res = await instance.request(error.config);
    expect(res.boxStatus?.attempts).toBe(2);
    expect(server.log.map((r) => r.headers.authorization)).toEqual(Array(4).fill(`Bearer ${TOKEN}`));
  });

  it('a per-request adapter is wrapped too', async () => {
    let calls = 0;
    const adapter: AxiosAdapter = async (config) => {
      calls += 1;
      return {
        data: calls < 2 ? '{"code":"unavailable"}' : '{"ok":true}',
        status: calls < 2 ? 503 : 200,
        statusText: '',
        headers: { 'Box-Request-Id': 'custom' },
        config,
      };
    };
    const { instance } = boxClient(server);
    const res = await instance.get('/anything', { adapter });
    expect(res.data).toEqual({ ok: true });
    expect(res.boxStatus).toMatchObject({ attempts: 2, requestId: 'custom' });
  });

  it('an adapter given by name is wrapped too', async () => {
    server.script('/f', [unavailable, ok]);
    const { instance } = boxClient(server, {}, { adapter: 'http' });
    const res = await instance.get('/f');
    expect(res.boxStatus?.attempts).toBe(2);
    const again = await instance.get('/f', { adapter: ['fetch', 'http'] });
    expect(again.boxStatus?.attempts).toBe(1);
  });

  it('a custom adapter that throws a raw Node error with a transient code is retried', async () => {
    let calls = 0;
    const adapter: AxiosAdapter = async (config) => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return { data: '{"ok":true}', status: 200, statusText: 'OK', headers: {}, config };
    };
    const { instance, events } = boxClient(server);
    const res = await instance.get('/anything', { adapter });
    expect(res.boxStatus?.attempts).toBe(2);
    expect(events.map((e) => [e.reason, (e.error as Error).message])).toEqual([['ECONNRESET', 'socket hang up']]);
  });

  it('an instance made by another copy of axios (its CommonJS build) is served too', async () => {
    const otherAxios = createRequire(import.meta.url)('axios') as AxiosStatic;
    expect(otherAxios.AxiosHeaders).not.toBe(axios.AxiosHeaders);
    server.script('/f', [unavailable, ok]);
    const instance = otherAxios.create({ baseURL: server.url, headers: { Authorization: `Bearer ${TOKEN}` } });
    attachBoxStatus(instance, { retry: { baseDelayMs: 1 } });
    const res = await instance.get('/f');
    expect(res.boxStatus?.attempts).toBe(2);
    expect(server.log.map((r) => r.headers.authorization)).toEqual(Array(2).fill(`Bearer ${TOKEN}`));
  });

  it('rejects what is not an axios instance', () => {
    expect(() => attachBoxStatus({} as never)).toThrow(
      new TypeError('axios-box-status: attachBoxStatus needs an axios instance'),
    );
    expect(() => attachBoxStatus(null as never)).toThrow(TypeError);
  });

  it('validates options at attach time, naming the option and the value', () => {
    const instance = axios.create();
    expect(() => attachBoxStatus(instance, { retry: { jitter: 'random' as never } })).toThrow(
      new TypeError(`axios-box-status: retry.jitter must be one of 'full', 'equal', 'none', received "random"`),
    );
    expect(() => attachBoxStatus(instance, { retry: { retries: 1.5 } })).toThrow(
      'axios-box-status: retry.retries must be a whole number from 0 to 100, received 1.5',
    );
  });
});
