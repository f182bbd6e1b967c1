// The plugin next to the packages users already combine with axios, each the real package.
import axios, { type AxiosResponse, AxiosError, type AxiosAdapter } from 'axios';
import createAuthRefreshInterceptor from 'axios-auth-refresh';
import { setupCache } from 'axios-cache-interceptor';
import MockAdapter from 'axios-mock-adapter';
import FormData from 'form-data';
import { describe, expect, it } from 'vitest';
import { BoxClientError, BoxServerError, attachBoxStatus, type BoxRetryPolicy } from '../../src/index.js';
import { boxError, ok, startBoxServer, unavailable, useBoxServer } from '../helpers/box-server.js';
import { TOKEN, rejection, boxClient } from '../helpers/client.js';

const server = useBoxServer();
const FAST: BoxRetryPolicy = { baseDelayMs: 1, maxDelayMs: 4, jitter: 'none' };

/** An instance on the test server (an absolute baseURL: a request that escapes a mock reaches it). */
function instanceOnServer(token = TOKEN) {
  return axios.create({ baseURL: server.url, headers: { Authorization: `Bearer ${token}` } });
}

describe('axios-mock-adapter: every attempt of a call is served by the mock', () => {
  it.each(['attached before the mock', 'attached after the mock'])(
    '%s: 503, 503, 200 is retried on the mock, attempts 3, the mock saw 3',
    async (order) => {
      const instance = instanceOnServer();
      let mock: MockAdapter;
      if (order === 'attached before the mock') {
        attachBoxStatus(instance, { retry: FAST });
        mock = new MockAdapter(instance);
      } else {
        mock = new MockAdapter(instance);
        attachBoxStatus(instance, { retry: FAST });
      }
      mock.onGet('/files/1').replyOnce(503).onGet('/files/1').replyOnce(503).onGet('/files/1').reply(200, { id: '1' });
      const res = await instance.get('/files/1');
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ id: '1' });
      expect(res.boxStatus).toMatchObject({ status: 200, kind: 'success', attempts: 3 });
      expect(mock.history['get']).toHaveLength(3);
      // Before the loop, the third attempt fell through to axios's own transport: a real request,
      // token included, out of a test suite.
      expect(server.log).toHaveLength(0);
    },
  );

  it('each attempt is handed its own copy of the config, so the mock cannot strip the next one', async () => {
    const instance = instanceOnServer();
    attachBoxStatus(instance, { retry: FAST });
    const mock = new MockAdapter(instance);
    mock.onGet('/files/1').reply(503, boxError(503, 'unavailable', 'Unavailable'));
    const error = await rejection(instance.get('/files/1'));
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.attempts).toBe(5);
    const history = mock.history['get'] as unknown[];
    expect(history).toHaveLength(5);
    expect(new Set(history).size).toBe(5);
    expect(server.log).toHaveLength(0);
  });

  it('a mocked 404 is a BoxClientError with Box\'s fields, sent once', async () => {
    const instance = instanceOnServer();
    attachBoxStatus(instance, { retry: FAST });
    const mock = new MockAdapter(instance);
    mock.onGet('/files/9').reply(404, boxError(404, 'not_found', 'Not Found', 'req-404'));
    const error = await rejection(instance.get('/files/9'));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error).toMatchObject({ status: 404, boxCode: 'not_found', requestId: 'req-404', attempts: 1 });
    expect(mock.history['get']).toHaveLength(1);
  });
});

describe('axios-cache-interceptor', () => {
  it('setupCache, then attachBoxStatus: a hit carries boxStatus, with nothing sent (attempts 0)', async () => {
    server.script('/folders/0', [ok]);
    const instance = attachAfter(setupCache(instanceOnServer()));
    const miss = await instance.get('/folders/0');
    const hit = (await instance.get('/folders/0')) as AxiosResponse & { cached?: boolean };
    expect(miss.boxStatus).toMatchObject({ status: 200, kind: 'success', attempts: 1 });
    expect(hit.cached).toBe(true);
    expect(hit.boxStatus).toMatchObject({ status: 200, kind: 'success', retryable: false, attempts: 0 });
    expect(hit.boxStatus?.kind).toBe('success');
    expect(server.count('/folders/0')).toBe(1);
  });

  it('attachBoxStatus, then setupCache: a hit carries boxStatus (the hit adapter serves the one attempt)', async () => {
    server.script('/folders/0', [ok]);
    const instance = instanceOnServer();
    attachBoxStatus(instance, { retry: FAST });
    setupCache(instance);
    await instance.get('/folders/0');
    const hit = (await instance.get('/folders/0')) as AxiosResponse & { cached?: boolean };
    expect(hit.cached).toBe(true);
    expect(hit.boxStatus).toMatchObject({ status: 200, kind: 'success', attempts: 1 });
    expect(server.count('/folders/0')).toBe(1);
  });

  it.each(['setupCache first', 'attachBoxStatus first'])(
    '%s: a 503 then a 200 behind the cache is retried once, and the 200 cached',
    async (order) => {
      server.script('/folders/0', [unavailable, ok]);
      const instance =
        order === 'setupCache first'
          ? attachAfter(setupCache(instanceOnServer()))
          : setupCache(attachBefore(instanceOnServer()));
      const first = (await instance.get('/folders/0')) as AxiosResponse & { cached?: boolean };
      expect(first.cached).toBe(false);
      expect(first.boxStatus).toMatchObject({ status: 200, attempts: 2 });
      const again = (await instance.get('/folders/0')) as AxiosResponse & { cached?: boolean };
      expect(again.cached).toBe(true);
      expect(again.boxStatus?.status).toBe(200);
      expect(server.count('/folders/0')).toBe(2);
    },
  );
});

function attachAfter<T extends Parameters<typeof attachBoxStatus>[0]>(instance: T): T {
  attachBoxStatus(instance, { retry: FAST });
  return instance;
}

function attachBefore<T extends Parameters<typeof attachBoxStatus>[0]>(instance: T): T {
  attachBoxStatus(instance, { retry: FAST });
  return instance;
}

describe('an interceptor that replaces the adapter after the plugin\'s', () => {
  it('its response carries boxStatus with attempts 0, and its 4xx is a BoxClientError', async () => {
    const instance = instanceOnServer();
    // Added before attach, so it runs after the plugin's own request interceptor.
    instance.interceptors.request.use((config) => {
      const status = config.url === '/gone' ? 404 : 200;
      config.adapter = async (c) => ({
        status,
        statusText: '',
        headers: { 'box-request-id': 'rid-1' },
        data: status === 404 ? boxError(404, 'not_found', 'Not Found', 'req-gone') : { ok: true },
        config: c,
      });
      return config;
    });
    attachBoxStatus(instance, { retry: FAST });
    const res = await instance.get('/here');
    expect(res.boxStatus).toEqual({
      status: 200,
      kind: 'success',
      retryable: false,
      attempts: 0,
      requestId: 'rid-1',
      retryAfterMs: undefined,
      notRetriedReason: undefined,
      // Nothing went through the plugin's transport: no wait, no time.
      waitedMs: 0,
      durationMs: 0,
    });
    const error = await rejection(instance.get('/gone'));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error).toMatchObject({ status: 404, boxCode: 'not_found', requestId: 'req-gone', attempts: 0 });
    expect(server.log).toHaveLength(0);
  });
});

describe('axios-auth-refresh', () => {
  it('composes: its 401 refresh and the plugin\'s 503 retries in one call', async () => {
    let token = 'expired-token-000000';
    server.script('/files/1', (count, request) => {
      const current = request.headers.authorization === `Bearer ${token}` && token === 'fresh-token-111111';
      if (!current) return count === 1 ? unavailable : { status: 401, body: boxError(401, 'unauthorized', 'Unauthorized') };
      return count === 3 ? unavailable : ok;
    });
    const instance = instanceOnServer(token);
    attachBoxStatus(instance, { retry: FAST });
    let refreshes = 0;
    createAuthRefreshInterceptor(instance, async (failed) => {
      refreshes += 1;
      token = 'fresh-token-111111';
      failed.response.config.headers.Authorization = `Bearer ${token}`;
    });
    const res = await instance.get('/files/1');
    expect(res.status).toBe(200);
    expect(refreshes).toBe(1);
    // 503 then 401 with the old token; the re-sent call: 503 then 200 with the new one.
    expect(server.log.map((r) => `${r.headers.authorization} ${r.path}`)).toEqual([
      'Bearer expired-token-000000 /files/1',
      'Bearer expired-token-000000 /files/1',
      'Bearer fresh-token-111111 /files/1',
      'Bearer fresh-token-111111 /files/1',
    ]);
    expect(res.boxStatus).toMatchObject({ status: 200, attempts: 2 });
  });
});

describe('form-data', () => {
  function form(): FormData {
    const body = new FormData();
    body.append('attributes', JSON.stringify({ name: 'report.txt', parent: { id: '0' } }));
    body.append('file', Buffer.from('the quarterly report'), { filename: 'report.txt', contentType: 'text/plain' });
    return body;
  }

  it('a streamed multipart upload is never re-sent, even marked idempotent', async () => {
    server.script('/files/content', [unavailable, ok]);
    const instance = instanceOnServer();
    attachBoxStatus(instance, { retry: FAST });
    const error = await rejection(instance.post('/files/content', form(), { boxRetry: { idempotent: true } }));
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.notRetriedReason).toBe('the request body is a one-shot stream');
    expect(server.count('/files/content')).toBe(1);
    expect(server.log[0]?.body).toContain('the quarterly report');
  });

  it('a buffered one, marked idempotent, is re-sent with the same bytes', async () => {
    server.script('/files/content', [unavailable, ok]);
    const instance = instanceOnServer();
    attachBoxStatus(instance, { retry: FAST });
    const body = form();
    const res = await instance.post('/files/content', body.getBuffer(), {
      headers: body.getHeaders(),
      boxRetry: { idempotent: true },
    });
    expect(res.boxStatus?.attempts).toBe(2);
    const [first, second] = server.log;
    expect(first?.body).toContain('the quarterly report');
    expect(second?.body).toBe(first?.body);
    expect(second?.headers['content-type']).toBe(first?.headers['content-type']);
    expect(second?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  });
});

describe('a redirect to another origin (a download handed to dl.boxcloud.com)', () => {
  it.each(['http', 'fetch'] as const)('%s adapter: followed without the Authorization header', async (adapter) => {
    const other = await startBoxServer();
    try {
      server.script('/files/1/content', [{ status: 302, headers: { location: `${other.url}/d/1` } }]);
      other.script('/d/1', [{ status: 200, body: 'file bytes' }]);
      const instance = axios.create({ baseURL: server.url, adapter, headers: { Authorization: `Bearer ${TOKEN}` } });
      attachBoxStatus(instance, { retry: FAST });
      const res = await instance.get('/files/1/content');
      expect(res.data).toBe('file bytes');
      expect(res.boxStatus).toMatchObject({ status: 200, attempts: 1 });
      expect(server.log[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(other.log).toHaveLength(1);
      expect(other.log[0]?.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('with maxRedirects: 0 the 302 resolves, kind redirect, for the caller to follow without the token', async () => {
    server.script('/files/1/content', [{ status: 302, headers: { location: 'https://dl.boxcloud.com/d/1' } }]);
    const instance = instanceOnServer();
    attachBoxStatus(instance, { retry: FAST });
    const res = await instance.get('/files/1/content', { maxRedirects: 0 });
    expect(res.boxStatus).toMatchObject({ status: 302, kind: 'redirect', attempts: 1 });
    expect(res.headers['location']).toBe('https://dl.boxcloud.com/d/1');
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

describe('an adapter that changes the config it is handed', () => {
  it('each attempt gets a fresh copy: no change reaches the next attempt, nor the caller', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const adapter: AxiosAdapter = async (config) => {
      seen.push({ adapter: config.adapter, url: config.url, marked: (config as { marked?: unknown }).marked, timeout: config.timeout });
      // What a mock or a careless custom adapter may do to the config it is handed.
      delete config.adapter;
      Object.assign(config, { marked: true, url: '/elsewhere', timeout: 1 });
      return { status: seen.length < 3 ? 503 : 200, statusText: '', headers: {}, data: '', config };
    };
    const instance = axios.create({ baseURL: server.url, adapter, timeout: 5000 });
    attachBoxStatus(instance, { retry: FAST });
    const res = await instance.get('/files/1');
    expect(res.boxStatus?.attempts).toBe(3);
    expect(seen.map((attempt) => attempt['url'])).toEqual(['/files/1', '/files/1', '/files/1']);
    expect(seen.map((attempt) => attempt['marked'])).toEqual([undefined, undefined, undefined]);
    expect(seen.map((attempt) => attempt['timeout'])).toEqual([5000, 5000, 5000]);
    expect(seen.every((attempt) => typeof attempt['adapter'] === 'function')).toBe(true);
    expect(res.config.url).toBe('/files/1');
    expect((res.config as { marked?: unknown }).marked).toBeUndefined();
    expect(server.log).toHaveLength(0);
  });
});
