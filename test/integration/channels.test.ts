// The plugin's events through node:diagnostics_channel (BOX_CHANNELS), heard by subscribing with
// the real module, as an application's logger or metrics would.
import diagnostics_channel from 'node:diagnostics_channel';
import axios from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BOX_CHANNELS,
  attachBoxStatus,
  createBoxAuth,
  type BoxChannel,
  type BoxGiveUpMessage,
  type BoxPauseMessage,
  type BoxRefreshMessage,
  type BoxRetryMessage,
  type BoxWaitMessage,
} from '../../src/index.js';
import { boxError, ok, refusedPort, tooMany, unavailable, useBoxServer } from '../helpers/box-server.js';
import { TOKEN, boxClient, rejection } from '../helpers/client.js';

const server = useBoxServer();

interface Heard {
  retry: BoxRetryMessage[];
  pause: BoxPauseMessage[];
  wait: BoxWaitMessage[];
  refresh: BoxRefreshMessage[];
  giveUp: BoxGiveUpMessage[];
}

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

/** Subscribe to every channel (or those named) for the rest of the test; what each heard, in order. */
function listen(only: readonly BoxChannel[] = Object.keys(BOX_CHANNELS) as BoxChannel[]): Heard {
  const heard: Heard = { retry: [], pause: [], wait: [], refresh: [], giveUp: [] };
  for (const key of only) {
    const onMessage = (message: unknown): void => void (heard[key] as unknown[]).push(message);
    diagnostics_channel.subscribe(BOX_CHANNELS[key], onMessage);
    stops.push(() => diagnostics_channel.unsubscribe(BOX_CHANNELS[key], onMessage));
  }
  return heard;
}

const FAST = { baseDelayMs: 1, maxDelayMs: 4, jitter: 'none' } as const;

it('BOX_CHANNELS names the five channels', () => {
  expect(BOX_CHANNELS).toEqual({
    retry: 'axios-box-status:retry',
    pause: 'axios-box-status:pause',
    wait: 'axios-box-status:wait',
    refresh: 'axios-box-status:refresh',
    giveUp: 'axios-box-status:give-up',
  });
  expect(Object.isFrozen(BOX_CHANNELS)).toBe(true);
});

describe('axios-box-status:retry', () => {
  it('a 503 retried: method, redacted url, attempt, status, delay and its source, reason', async () => {
    server.script('/files/1', [unavailable, unavailable, ok]);
    const heard = listen();
    const { instance } = boxClient(server, { baseDelayMs: 5, maxDelayMs: 10 });
    await instance.get('/files/1?access_token=query-secret-123&fields=name');
    expect(heard.retry).toEqual([
      {
        method: 'GET',
        url: `${server.url}/files/1?access_token=[REDACTED]&fields=name`,
        attempt: 2,
        status: 503,
        code: undefined,
        delayMs: 5,
        delaySource: 'backoff',
        reason: 'status 503',
      },
      expect.objectContaining({ attempt: 3, status: 503, delayMs: 10 }),
    ]);
    expect(heard.giveUp).toEqual([]);
  });

  it('a refused connection retried: the code, under the fetch adapter too (its real cause)', async () => {
    const port = await refusedPort();
    const heard = listen();
    for (const adapter of ['http', 'fetch'] as const) {
      const { instance } = boxClient(server, { ...FAST, retries: 1 }, { baseURL: `http://127.0.0.1:${port}`, adapter });
      await rejection(instance.post('/folders', { name: 'x' }));
    }
    const expected = {
      method: 'POST',
      url: `http://127.0.0.1:${port}/folders`,
      attempt: 2,
      status: undefined,
      code: 'ECONNREFUSED',
      delayMs: 1,
      delaySource: 'backoff',
      reason: 'ECONNREFUSED',
    };
    expect(heard.retry).toEqual([expected, expected]);
    const gaveUp = { method: 'POST', url: expected.url, attempts: 2, reason: 'retries exhausted', status: undefined, code: 'ECONNREFUSED' };
    expect(heard.giveUp).toEqual([gaveUp, gaveUp]);
  });

  it("a 401's re-send with a refreshed token: delaySource refresh", async () => {
    server.script('/users/me', (_count, request) =>
      request.headers.authorization === 'Bearer token-1-abcdef' ? ok : { status: 401, body: boxError(401, 'unauthorized', 'Unauthorized') },
    );
    const heard = listen();
    const instance = axios.create({ baseURL: server.url });
    const auth = createBoxAuth({ origins: [server.url], initialToken: 'token-0-abcdef', refresh: async () => 'token-1-abcdef' });
    attachBoxStatus(instance, { auth, retry: FAST });
    await instance.get('/users/me');
    expect(heard.retry).toEqual([expect.objectContaining({ attempt: 2, status: 401, delayMs: 0, delaySource: 'refresh', reason: 'unauthorized' })]);
    expect(heard.refresh).toEqual([{ reason: 'unauthorized', ok: true, durationMs: expect.any(Number) }]);
  });
});

describe('axios-box-status:pause and :wait', () => {
  it("a 429 pauses its scope; an unrelated call held by the pause says so, as the scope's and with its length", async () => {
    server.script('/search', [tooMany('0.15'), ok]);
    server.script('/folders/0', [ok]);
    const heard = listen();
    let limited!: () => void;
    const sawLimit = new Promise<void>((resolve) => {
      limited = resolve;
    });
    const { instance, handle } = boxClient(server, { onRetry: () => limited() });
    const search = instance.get('/search', { headers: { 'As-User': '1234' } });
    await sawLimit;
    expect(heard.pause).toEqual([{ scope: '1234', ms: 150, status: 429 }]);
    const pauseMs = handle.stats().rateLimitPauseMs;
    await Promise.all([instance.get('/folders/0', { headers: { 'As-User': '1234' } }), search]);
    // The held call's wait (its own) and the 429's retry (rate-limit: it outlasted the backoff).
    const held = heard.wait.find((message) => message.scope === '1234');
    expect(held?.holder).toBe('pause');
    expect(Number.isInteger(held?.ms)).toBe(true);
    expect(held?.ms).toBeGreaterThan(0);
    // What was left when stats() was read, in whole ms rounded down; the message rounds up.
    expect(held?.ms).toBeLessThanOrEqual(pauseMs + 1);
    expect(heard.retry).toEqual([expect.objectContaining({ status: 429, delayMs: 150, delaySource: 'retry-after' })]);
  });

  it('a call waiting for a rate-limit slot: holder rate-limit', async () => {
    server.script('/files/1', [ok]);
    const heard = listen(['wait']);
    const instance = axios.create({ baseURL: server.url });
    attachBoxStatus(instance, { rateLimit: { rules: [{ name: 'calls', max: 1, perMs: 60 }] } });
    await Promise.all([instance.get('/files/1'), instance.get('/files/1')]);
    expect(heard.wait.length).toBeGreaterThanOrEqual(1);
    expect(heard.wait.every((message) => message.scope === 'default' && message.holder === 'rate-limit')).toBe(true);
    expect(heard.wait[0]?.ms).toBeGreaterThan(0);
    expect(heard.wait[0]?.ms).toBeLessThanOrEqual(60 + 6);
  });
});

describe('axios-box-status:refresh', () => {
  it('a refresh that succeeds and one that fails: reason, ok, whole milliseconds', async () => {
    server.script('/users/me', [ok]);
    const heard = listen();
    let fail = false;
    const auth = createBoxAuth({
      origins: [server.url],
      refreshCooldownMs: 1,
      refresh: async () => {
        if (fail) throw new Error('the token endpoint is down');
        return { accessToken: 'token-1-abcdef', expiresIn: 3600 };
      },
    });
    const instance = axios.create({ baseURL: server.url });
    attachBoxStatus(instance, { auth, retry: FAST });
    await instance.get('/users/me');
    fail = true;
    auth.invalidate();
    await rejection(instance.get('/users/me'));
    expect(heard.refresh).toEqual([
      { reason: 'missing', ok: true, durationMs: expect.any(Number) },
      { reason: 'missing', ok: false, durationMs: expect.any(Number) },
    ]);
    expect(heard.refresh.every((message) => Number.isInteger(message.durationMs))).toBe(true);
    expect(heard.giveUp).toEqual([
      { method: 'GET', url: `${server.url}/users/me`, attempts: 0, reason: 'the token refresh failed', status: undefined, code: 'ERR_BOX_AUTH_REFRESH' },
    ]);
  });
});

describe('axios-box-status:give-up', () => {
  it('says why each call ended with an error', async () => {
    server.script('/files/404', [{ status: 404, body: boxError(404, 'not_found', 'Not Found') }]);
    server.script('/files/503', [unavailable]);
    server.script('/folders', [unavailable]);
    server.script('/slow', [{ ...ok, delayMs: 5_000 }]);
    const heard = listen(['giveUp']);
    const { instance } = boxClient(server, { ...FAST, retries: 1 });
    await rejection(instance.get('/files/404'));
    await rejection(instance.get('/files/503'));
    await rejection(instance.post('/folders', { name: 'x' }));
    await rejection(instance.get('/files/503', { boxRetry: false }));
    const controller = new AbortController();
    const slow = rejection(instance.get('/slow', { signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await slow;
    // A 404 the caller takes as a value is no give-up.
    await instance.get('/files/404', { validateStatus: () => true });
    expect(heard.giveUp.map(({ method, url, attempts, reason, status }) => [method, url?.replace(server.url, ''), attempts, reason, status])).toEqual([
      ['GET', '/files/404', 1, 'not retryable', 404],
      ['GET', '/files/503', 2, 'retries exhausted', 503],
      ['POST', '/folders', 1, 'POST is not idempotent and Box may have acted on it (boxRetry: { idempotent: true } opts in)', 503],
      ['GET', '/files/503', 1, 'retries are off', 503],
      ['GET', '/slow', 1, 'cancelled', undefined],
    ]);
  });

  it('a call the deadline ended gives its reason', async () => {
    server.script('/files/1', [unavailable]);
    const heard = listen(['giveUp']);
    const { instance } = boxClient(server, { baseDelayMs: 200, maxDelayMs: 200, deadlineMs: 100 });
    await rejection(instance.get('/files/1'));
    expect(heard.giveUp).toEqual([expect.objectContaining({ attempts: 1, reason: expect.stringMatching(/^deadlineMs \(100 ms\) would pass during the 200 ms wait/) })]);
  });
});

describe('no credential in any message', () => {
  it('bearer tokens, query tokens and a managed token never appear', async () => {
    const managed = 'managed-token-8f3a9c2e71';
    server.script('/files/1', [unavailable, ok]);
    server.script('/search', [tooMany('0.01'), { status: 404, body: boxError(404, 'not_found', `no ${managed} here`) }]);
    server.script('/users/me', (_count, request) =>
      request.headers.authorization === `Bearer ${managed}` ? unavailable : { status: 401, body: boxError(401, 'unauthorized', 'Unauthorized') },
    );
    const port = await refusedPort();
    const heard = listen();
    const { instance } = boxClient(server, FAST);
    await instance.get('/files/1?access_token=query-token-55aa77&shared_link_password=pw-secret-991');
    await rejection(instance.get('/search', { params: { access_token: 'param-token-66bb' } }));
    await rejection(instance.get(`http://user:basic-pass-7712@127.0.0.1:${port}/x`, { boxRetry: { retries: 1 } }));
    const authed = axios.create({ baseURL: server.url });
    attachBoxStatus(authed, {
      auth: createBoxAuth({ origins: [server.url], initialToken: 'stale-token-12ab34', refresh: async () => managed }),
      retry: { ...FAST, retries: 1 },
    });
    await rejection(authed.get('/users/me'));
    const all = JSON.stringify(heard);
    expect(heard.retry.length).toBeGreaterThanOrEqual(4);
    expect(heard.giveUp.length).toBe(3);
    expect(heard.pause.length).toBe(1);
    expect(heard.refresh.length).toBe(1);
    for (const secret of [TOKEN, 'query-token-55aa77', 'pw-secret-991', 'basic-pass-7712', managed, 'stale-token-12ab34']) {
      expect(all).not.toContain(secret);
    }
  });
});

describe('nothing published without a subscriber', () => {
  it('publish is never called on a channel nobody listens to; it is once someone does', async () => {
    const published: Record<string, unknown[]> = {};
    const channels = Object.values(BOX_CHANNELS).map((name) => diagnostics_channel.channel(name));
    for (const channel of channels) {
      const name = String(channel.name);
      published[name] = [];
      // An own property shadows the prototype's publish, whichever class the channel has.
      Object.defineProperty(channel, 'publish', { value: (message: unknown) => published[name]?.push(message), configurable: true });
      stops.push(() => delete (channel as { publish?: unknown }).publish);
    }
    server.script('/files/1', [tooMany('0.01'), unavailable, ok]);
    server.script('/files/404', [{ status: 404, body: boxError(404, 'not_found', 'Not Found') }]);
    const { instance } = boxClient(server, FAST);
    await Promise.all([instance.get('/files/1'), instance.get('/files/1')]);
    await rejection(instance.get('/files/404'));
    expect(Object.values(published).flat()).toEqual([]);

    listen(['giveUp']);
    await rejection(instance.get('/files/404'));
    expect(published[BOX_CHANNELS.giveUp]).toHaveLength(1);
    expect(published[BOX_CHANNELS.retry]).toEqual([]);
  });
});
