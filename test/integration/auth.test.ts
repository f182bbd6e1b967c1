// Managed credentials against a Box-like API that answers 401 unless the bearer token is valid.
import { Readable } from 'node:stream';
import axios, { type AxiosInstance } from 'axios';
import { describe, expect, it } from 'vitest';
import { BoxClientError, attachBoxStatus, createBoxAuth, isBoxAuthRefreshError, type BoxAuth, type BoxAuthOptions, type BoxAuthRefreshContext, type BoxAuthRefreshEvent, type BoxRetryEvent, type BoxStateStore, createMemoryStore } from '../../src/index.js';
import { ok, unavailable } from '../helpers/box-server.js';
import { rejection } from '../helpers/client.js';
import { shownSecrets } from '../helpers/renderings.js';
import { sleep } from '../helpers/time.js';
import { useTokenWorld } from '../helpers/token-world.js';

const world = useTokenWorld();

interface Refresher {
  refresh: BoxAuthOptions['refresh'];
  /** Every refresh's context, in order. */
  calls: BoxAuthRefreshContext[];
  /** Every token it handed out, in order. */
  issued: string[];
}

/** A refresh function that mints a valid token after `delayMs`, recording each call. */
function refresher(delayMs = 20): Refresher {
  const calls: BoxAuthRefreshContext[] = [];
  const issued: string[] = [];
  return {
    calls,
    issued,
    refresh: async (context) => {
      calls.push(context);
      await sleep(delayMs);
      const token = world.mint();
      issued.push(token);
      return { accessToken: token, expiresIn: 3600 };
    },
  };
}

interface Setup {
  instance: AxiosInstance;
  auth: BoxAuth;
  events: BoxRetryEvent[];
}

/** An instance on the test API with a BoxAuth for its origin. */
function authClient(options: Partial<BoxAuthOptions> & Pick<BoxAuthOptions, 'refresh'>, retries = 2): Setup {
  const events: BoxRetryEvent[] = [];
  const auth = createBoxAuth({ origins: [world.api.url], ...options });
  const instance = axios.create({ baseURL: world.api.url });
  attachBoxStatus(instance, {
    auth,
    retry: { retries, baseDelayMs: 1, maxDelayMs: 4, jitter: 'none', onRetry: (event) => void events.push(event) },
  });
  return { instance, auth, events };
}

const bearers = (): Array<string | undefined> => world.api.log.map((request) => world.bearer(request));

describe('a 401: one refresh, then one re-send with the new token', () => {
  it('refreshes once, re-sends with the new token, and user interceptors see the call once', async () => {
    world.script('/files/1', [ok]);
    const r = refresher();
    const stale = 'stale-token-000000';
    const { instance, events } = authClient({ refresh: r.refresh, initialToken: stale });
    const seen: string[] = [];
    instance.interceptors.request.use((config) => {
      seen.push('request');
      return config;
    });
    instance.interceptors.response.use((response) => {
      seen.push(`response ${response.status}`);
      return response;
    });
    const res = await instance.get('/files/1');
    expect(res.status).toBe(200);
    expect(res.boxStatus).toMatchObject({ status: 200, attempts: 2 });
    expect(r.calls.map((c) => [c.reason, c.rejectedToken])).toEqual([['unauthorized', stale]]);
    expect(bearers()).toEqual([stale, r.issued[0]]);
    expect(seen).toEqual(['request', 'response 200']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ attempt: 2, delayMs: 0, delaySource: 'refresh', reason: 'unauthorized', status: 401 });
  });

  it('ten concurrent 401s: one refresh, every call re-sent with the new token', async () => {
    world.script('/files/1', [ok]);
    const r = refresher(30);
    const stale = 'stale-token-000000';
    const { instance } = authClient({ refresh: r.refresh, initialToken: stale });
    const results = await Promise.all(Array.from({ length: 10 }, () => instance.get('/files/1')));
    expect(results.every((res) => res.status === 200 && res.boxStatus?.attempts === 2)).toBe(true);
    expect(r.calls).toHaveLength(1);
    const sent = bearers();
    expect(sent.filter((token) => token === stale)).toHaveLength(10);
    expect(sent.filter((token) => token === r.issued[0])).toHaveLength(10);
    expect(sent).toHaveLength(20);
  });

  it('calls started during a refresh wait for it and never send the old token', async () => {
    world.script('/files/1', [ok]);
    const r = refresher(80);
    const stale = 'stale-token-000000';
    const { instance } = authClient({ refresh: r.refresh, initialToken: stale });
    const first = instance.get('/files/1');
    // Wait until the 401 has come back and the refresh is under way.
    while (r.calls.length === 0) await sleep(2);
    const later = await Promise.all([instance.get('/files/1'), instance.get('/files/1'), instance.get('/files/1')]);
    await first;
    expect(r.calls).toHaveLength(1);
    expect(later.map((res) => res.boxStatus?.attempts)).toEqual([1, 1, 1]);
    expect(bearers()).toEqual([stale, ...Array(4).fill(r.issued[0])]);
  });

  it('a 401 that answered an older token than the current one is re-sent without a refresh', async () => {
    const stale = 'stale-token-000000';
    // The second call's 401 comes back late, after the first call's refresh made a new token current.
    world.api.script('/files/1', (count, request) => {
      if (world.valid.has(world.bearer(request) ?? '')) return ok;
      return { status: 401, body: { type: 'error', status: 401, code: 'unauthorized' }, delayMs: count === 2 ? 120 : 0 };
    });
    const r = refresher(20);
    const { instance, auth } = authClient({ refresh: r.refresh, initialToken: stale });
    const results = await Promise.all([instance.get('/files/1'), instance.get('/files/1')]);
    expect(results.map((res) => res.boxStatus?.attempts)).toEqual([2, 2]);
    expect(r.calls).toHaveLength(1);
    expect(bearers().filter((token) => token === r.issued[0])).toHaveLength(2);
    // renew() for a token that is no longer current refreshes nothing either.
    await auth.renew(stale);
    expect(r.calls).toHaveLength(1);
    expect(await auth.token()).toBe(r.issued[0]);
  });

  it('a second 401 rejects with BoxClientError after two requests', async () => {
    world.api.script('/files/1', [{ status: 401, body: { type: 'error', status: 401, code: 'unauthorized', message: 'Unauthorized' } }]);
    const r = refresher();
    const { instance } = authClient({ refresh: r.refresh, initialToken: world.mint() });
    const error = await rejection(instance.get('/files/1'));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error).toMatchObject({ status: 401, boxCode: 'unauthorized', attempts: 2 });
    expect(world.api.log).toHaveLength(2);
    expect(r.calls).toHaveLength(1);
  });

  it('401, refresh, 503, 200 with retries: 1 resolves in 3 attempts: the re-send is not one of the retries', async () => {
    world.script('/files/1', [unavailable, ok]);
    const r = refresher();
    const { instance, events } = authClient({ refresh: r.refresh, initialToken: 'stale-token-000000' }, 1);
    const res = await instance.get('/files/1');
    expect(res.boxStatus).toMatchObject({ status: 200, attempts: 3 });
    expect(events.map((event) => event.reason)).toEqual(['unauthorized', 'status 503']);
  });

  it('the re-send spends no retry budget, and stats count it apart from retries', async () => {
    world.script('/files/1', [ok]);
    const r = refresher();
    const auth = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, initialToken: 'stale-token-000000' });
    const instance = axios.create({ baseURL: world.api.url });
    const handle = attachBoxStatus(instance, { auth, retry: { budget: { maxTokens: 10, retryCost: 10, successReward: 1 } } });
    await instance.get('/files/1');
    expect(handle.stats()).toMatchObject({ calls: 1, attempts: 2, retries: 0, resends: 1, tokens: 10 });
  });
});

describe('refreshing before a call', () => {
  it('no initial token: the first call refreshes first, reason missing', async () => {
    world.script('/files/1', [ok]);
    const r = refresher();
    const { instance } = authClient({ refresh: r.refresh });
    const res = await instance.get('/files/1');
    expect(res.boxStatus?.attempts).toBe(1);
    expect(r.calls.map((c) => c.reason)).toEqual(['missing']);
    expect(bearers()).toEqual([r.issued[0]]);
  });

  it('a token expiring within the window is refreshed once, in the background, for five concurrent calls', async () => {
    world.script('/files/1', [ok]);
    const r = refresher(30);
    const expiring = world.mint();
    const { instance } = authClient({
      refresh: r.refresh,
      initialToken: { accessToken: expiring, expiresAt: Date.now() + 60_000 },
      refreshBeforeExpiryMs: 120_000,
    });
    const results = await Promise.all(Array.from({ length: 5 }, () => instance.get('/files/1')));
    expect(results.map((res) => res.boxStatus?.attempts)).toEqual([1, 1, 1, 1, 1]);
    expect(r.calls.map((c) => c.reason)).toEqual(['expiring']);
    // The token is still valid: the calls went on with it rather than wait for the refresh.
    expect(bearers()).toEqual(Array(5).fill(expiring));
    while (r.issued.length === 0) await sleep(2);
    await instance.get('/files/1');
    expect(bearers()[5]).toBe(r.issued[0]);
    expect(r.calls).toHaveLength(1);
  });

  it('a token with time to spare is used as it is', async () => {
    world.script('/files/1', [ok]);
    const r = refresher();
    const token = world.mint();
    const { instance } = authClient({ refresh: r.refresh, initialToken: { accessToken: token, expiresIn: 3600 } });
    await instance.get('/files/1');
    expect(r.calls).toEqual([]);
    expect(bearers()).toEqual([token]);
  });

  it('invalidate(): the next call refreshes, reason missing', async () => {
    world.script('/files/1', [ok]);
    const r = refresher();
    const { instance, auth } = authClient({ refresh: r.refresh, initialToken: world.mint() });
    auth.invalidate();
    await instance.get('/files/1');
    expect(r.calls.map((c) => c.reason)).toEqual(['missing']);
    expect(await auth.token()).toBe(r.issued[0]);
  });

  it('invalidate() after a 401 whose refresh failed: the next refresh is reason missing, as documented', async () => {
    world.script('/files/1', [ok]);
    const reasons: string[] = [];
    let fail = true;
    const { instance, auth } = authClient({
      refreshCooldownMs: 0,
      initialToken: 'refused-token-0000',
      refresh: async (context) => {
        reasons.push(context.reason);
        if (fail) throw new Error('token endpoint down');
        return world.mint();
      },
    });
    expect((await rejection(instance.get('/files/1'))).name).toBe('BoxAuthRefreshError');
    fail = false;
    auth.invalidate();
    await instance.get('/files/1');
    expect(reasons).toEqual(['unauthorized', 'missing']);
  });

  it('onRefresh is told of each refresh, without the token', async () => {
    world.script('/files/1', [ok]);
    const r = refresher();
    const told: BoxAuthRefreshEvent[] = [];
    const { instance } = authClient({ refresh: r.refresh, onRefresh: (event) => void told.push(event) });
    await instance.get('/files/1');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ reason: 'missing', ok: true });
    expect(told[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(told[0]?.expiresAt).toBeGreaterThan(Date.now());
    expect(JSON.stringify(told)).not.toContain(r.issued[0]);
  });
});

describe('a refresh that fails', () => {
  it('rejects every waiting call with BoxAuthRefreshError, re-sends nothing, and the next call refreshes again', async () => {
    world.script('/files/1', [ok]);
    let fail = true;
    const r = refresher();
    const refresh: BoxAuthOptions['refresh'] = async (context) => {
      if (fail) {
        r.calls.push(context);
        await sleep(20);
        throw new Error('the token endpoint is down');
      }
      return r.refresh(context);
    };
    const stale = 'stale-token-000000';
    const told: BoxAuthRefreshEvent[] = [];
    const { instance } = authClient({ refresh, initialToken: stale, onRefresh: (e) => void told.push(e), refreshCooldownMs: 100 });
    const errors = await Promise.all([rejection(instance.get('/files/1')), rejection(instance.get('/files/1'))]);
    for (const error of errors) {
      expect(isBoxAuthRefreshError(error)).toBe(true);
      expect(error).toMatchObject({ name: 'BoxAuthRefreshError', code: 'ERR_BOX_AUTH_REFRESH', reason: 'unauthorized' });
      expect(error.message).toMatch(/^Box token refresh \(reason unauthorized\) failed: the token endpoint is down/);
      expect(error.cause).toBeInstanceOf(Error);
      expect(error.response.status).toBe(401);
      expect(error.boxAttempts).toBe(1);
      expect(axios.isAxiosError(error)).toBe(true);
    }
    expect(errors[0]).not.toBe(errors[1]);
    expect(r.calls).toHaveLength(1);
    expect(told.map((e) => e.ok)).toEqual([false]);
    // Nothing re-sent: two requests with the stale token, both 401.
    expect(bearers()).toEqual([stale, stale]);
    fail = false;
    // Within the cooldown the next call rejects at once, without a refresh; after it, it refreshes.
    const cooling = await rejection(instance.get('/files/1'));
    expect(cooling).toMatchObject({ name: 'BoxAuthRefreshError', reason: 'unauthorized', coolingDownMs: expect.any(Number) });
    // Its cause is the last failure: the refresh's own BoxAuthRefreshError, and what refresh threw under it.
    expect(isBoxAuthRefreshError(cooling.cause)).toBe(true);
    expect(cooling.cause.cause).toBe(errors[0]?.cause);
    expect(r.calls).toHaveLength(1);
    await sleep(110);
    const res = await instance.get('/files/1');
    expect(res.status).toBe(200);
    // The 401 had made the token unusable: the next call refreshed before sending, for that 401.
    expect(r.calls.map((c) => [c.reason, c.rejectedToken])).toEqual([
      ['unauthorized', stale],
      ['unauthorized', stale],
    ]);
    expect(bearers().slice(2)).toEqual([r.issued[0]]);
  });

  it('a refresh slower than refreshTimeoutMs: aborted, and the calls reject with a timed-out BoxAuthRefreshError', async () => {
    world.script('/files/1', [ok]);
    let aborted = false;
    const { instance } = authClient({
      refreshTimeoutMs: 40,
      refresh: ({ signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        }),
    });
    const started = performance.now();
    const error = await rejection(instance.get('/files/1'));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(isBoxAuthRefreshError(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'missing', timedOutAfterMs: 40, boxAttempts: 0 });
    expect(error.message).toMatch(/^Box token refresh \(reason missing\) timed out after 40 ms/);
    expect(aborted).toBe(true);
    expect(world.api.log).toHaveLength(0);
  });

  it('a refresh that resolves to no token fails with a clear cause', async () => {
    const { instance } = authClient({ refresh: async () => ({ token: 'wrong shape' }) as never });
    const error = await rejection(instance.get('/files/1'));
    expect(isBoxAuthRefreshError(error)).toBe(true);
    expect(error.cause.message).toMatch(/^axios-box-status: the value refresh\(\) resolved to must be an access token/);
  });
});

describe('what gets a token', () => {
  it('a request to an origin not listed gets no token, and its 401 refreshes nothing', async () => {
    world.tokens.script('/elsewhere', [{ status: 401, body: { type: 'error', status: 401, code: 'unauthorized' } }]);
    const r = refresher();
    const { instance } = authClient({ refresh: r.refresh, initialToken: world.mint() });
    const error = await rejection(instance.get(`${world.tokens.url}/elsewhere`, { headers: { Authorization: 'Basic own' } }));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error.attempts).toBe(1);
    expect(r.calls).toEqual([]);
    expect(world.tokens.log[0]?.headers.authorization).toBe('Basic own');
  });

  it('boxAuth: false sends the request as the caller made it, and its 401 refreshes nothing', async () => {
    world.script('/files/1', [ok]);
    const r = refresher();
    const token = world.mint();
    const { instance } = authClient({ refresh: r.refresh, initialToken: token });
    const error = await rejection(instance.get('/files/1', { boxAuth: false, headers: { Authorization: 'Bearer mine-000000' } }));
    expect(error.status).toBe(401);
    expect(error.attempts).toBe(1);
    expect(r.calls).toEqual([]);
    expect(bearers()).toEqual(['mine-000000']);
    const bad = await rejection(instance.get('/files/1', { boxAuth: true as never }));
    expect(bad).toBeInstanceOf(TypeError);
    expect(bad.message).toBe('axios-box-status: boxAuth must be false or unset, received true');
  });

  it('a refresher may call the token endpoint through the same instance with boxAuth: false, without deadlock', async () => {
    world.tokens.script('/oauth2/token', [{ status: 200, body: { access_token: 'placeholder', expires_in: 3600 } }]);
    world.script('/files/1', [ok]);
    const instance = axios.create({ baseURL: world.api.url });
    const auth = createBoxAuth({
      origins: [world.api.url, world.tokens.url],
      refresh: async () => {
        const { data } = await instance.post(`${world.tokens.url}/oauth2/token`, 'grant_type=client_credentials', {
          boxAuth: false,
        });
        expect(data.access_token).toBe('placeholder');
        return world.mint();
      },
    });
    attachBoxStatus(instance, { auth });
    const res = await instance.get('/files/1');
    expect(res.status).toBe(200);
    expect(world.tokens.log[0]?.headers.authorization).toBeUndefined();
  });

  it('a JSON POST is re-sent with identical bytes; a Readable body is not re-sent, and the error says why', async () => {
    world.script('/folders', [{ status: 201, body: { type: 'folder', id: '7' } }]);
    const r = refresher();
    const { instance } = authClient({ refresh: r.refresh, initialToken: 'stale-token-000000' });
    const res = await instance.post('/folders', { name: 'Reports', parent: { id: '0' } });
    expect(res.status).toBe(201);
    const [first, second] = world.api.log;
    expect(second?.body).toBe(first?.body);
    expect(JSON.parse(second?.body ?? '')).toEqual({ name: 'Reports', parent: { id: '0' } });

    world.script('/files/content', [ok]);
    const upload = authClient({ refresh: r.refresh, initialToken: 'stale-token-111111' }).instance;
    const error = await rejection(upload.post('/files/content', Readable.from([Buffer.from('file bytes')])));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error.status).toBe(401);
    expect(error.notRetriedReason).toBe('the request body is a one-shot stream');
    expect(error.attempts).toBe(1);
    expect(world.api.count('/files/content')).toBe(1);
  });

  it('two instances sharing a BoxAuth: one refresh for both', async () => {
    world.script('/files/1', [ok]);
    const r = refresher(30);
    const auth = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, initialToken: 'stale-token-000000' });
    const one = axios.create({ baseURL: world.api.url });
    const two = axios.create({ baseURL: world.api.url });
    attachBoxStatus(one, { auth });
    attachBoxStatus(two, { auth });
    const results = await Promise.all([one.get('/files/1'), two.get('/files/1'), one.get('/files/1'), two.get('/files/1')]);
    expect(results.map((res) => res.status)).toEqual([200, 200, 200, 200]);
    expect(r.calls).toHaveLength(1);
  });

  it('the caller\'s own Authorization header is replaced for a listed origin, not added to', async () => {
    world.script('/files/1', [ok]);
    const token = world.mint();
    const { instance } = authClient({ refresh: refresher().refresh, initialToken: token });
    const res = await instance.get('/files/1', { headers: { Authorization: 'Bearer someone-else' } });
    expect(res.status).toBe(200);
    expect(bearers()).toEqual([token]);
  });
});

describe('cancellation, the deadline and eject', () => {
  it('an abort while waiting for the refresh rejects that call at once; the others still get the token', async () => {
    world.script('/files/1', [ok]);
    const r = refresher(150);
    const { instance } = authClient({ refresh: r.refresh });
    const controller = new AbortController();
    const aborted = rejection(instance.get('/files/1', { signal: controller.signal }));
    const other = instance.get('/files/1');
    await sleep(20);
    const started = performance.now();
    controller.abort();
    const error = await aborted;
    expect(performance.now() - started).toBeLessThan(100);
    expect(axios.isCancel(error)).toBe(true);
    expect((await other).status).toBe(200);
    expect(r.calls).toHaveLength(1);
    expect(world.api.log).toHaveLength(1);
  });

  it('the deadline bounds the wait for a refresh: the 401 settles the call, nothing is re-sent', async () => {
    world.script('/files/1', [ok]);
    const r = refresher(500);
    const auth = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, initialToken: 'stale-token-000000' });
    const instance = axios.create({ baseURL: world.api.url });
    attachBoxStatus(instance, { auth, retry: { deadlineMs: 80 } });
    const started = performance.now();
    const error = await rejection(instance.get('/files/1'));
    expect(performance.now() - started).toBeLessThan(400);
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error.status).toBe(401);
    expect(error.notRetriedReason).toBe('deadlineMs (80 ms) ran out before attempt 2 was sent');
    expect(world.api.log).toHaveLength(1);
  });

  it('eject() stops it all: no token, no refresh, no re-send', async () => {
    world.script('/files/1', [ok]);
    const r = refresher();
    const auth = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, initialToken: world.mint() });
    const instance = axios.create({ baseURL: world.api.url });
    const handle = attachBoxStatus(instance, { auth });
    handle.eject();
    const error = await rejection(instance.get('/files/1'));
    expect(error.response.status).toBe(401);
    expect(error.name).toBe('AxiosError');
    expect(r.calls).toEqual([]);
    expect(world.api.log.map((request) => request.headers.authorization)).toEqual([undefined]);
  });

  it('eject() while a call waits for the refresh: the re-send is not sent, the 401 settles the call', async () => {
    world.script('/files/1', [ok]);
    const r = refresher(80);
    const auth = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, initialToken: 'stale-token-000000' });
    const instance = axios.create({ baseURL: world.api.url });
    const handle = attachBoxStatus(instance, { auth });
    const pending = rejection(instance.get('/files/1'));
    while (r.calls.length === 0) await sleep(2);
    handle.eject();
    const error = await pending;
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error.notRetriedReason).toBe('the plugin was ejected');
    expect(world.api.log).toHaveLength(1);
  });
});

describe('no token in any rendering of any error', () => {
  const stale = 'stale-token-000000';

  it('a 401 echoing the token, re-sent with the new one that is echoed again', async () => {
    world.api.script('/echo', (_count, request) => ({
      status: 401,
      body: { type: 'error', status: 401, code: 'unauthorized', message: `bad token ${request.headers.authorization}` },
    }));
    const r = refresher();
    const { instance, auth } = authClient({ refresh: r.refresh, initialToken: stale, refreshCooldownMs: 20 });
    const error = await rejection(instance.get('/echo'));
    expect(error.boxMessage).toBe('bad token [REDACTED]');
    expect(shownSecrets(error, [stale, ...r.issued])).toEqual([]);
    // Box refused the new token too, at once: that refresh failed, and after its cooldown the next call gets a third.
    await sleep(25);
    expect(await auth.token()).toBe(r.issued[1]);
    expect(r.calls.map((c) => c.rejectedToken)).toEqual([stale, r.issued[0]]);
  });

  it.each<[string, (token: string) => unknown]>([
    ['an Error quoting it', (token) => new Error(`refresh refused for ${token}`)],
    ['a string quoting it', (token) => `refresh refused for ${token}`],
    ['a plain object holding it', (token) => ({ status: 'refused', token })],
    ['an Error with nested details', (token) => Object.assign(new Error('refused'), { details: { rejected: token } })],
  ])('a refresh that throws %s: the token shows in no rendering of the error or of its cause', async (_label, make) => {
    world.script('/files/1', [ok]);
    const { instance } = authClient({
      initialToken: stale,
      refresh: async ({ rejectedToken }) => {
        throw make(rejectedToken as string);
      },
    });
    const error = await rejection(instance.get('/files/1'));
    expect(isBoxAuthRefreshError(error)).toBe(true);
    expect(shownSecrets(error, [stale])).toEqual([]);
    expect(shownSecrets(error.cause, [stale])).toEqual([]);
    expect(Object.keys(error.toJSON()).sort()).toEqual(
      ['boxAttempts', 'boxNotRetriedReason', 'code', 'coolingDownMs', 'message', 'method', 'name', 'reason', 'stack', 'status', 'timedOutAfterMs', 'url'],
    );
  });

  it('a plain network error of a call that carried the token', async () => {
    const token = world.mint();
    const auth = createBoxAuth({ origins: ['http://127.0.0.1:9'], refresh: refresher().refresh, initialToken: token });
    const instance = axios.create({ baseURL: 'http://127.0.0.1:9' });
    attachBoxStatus(instance, { auth, retry: { retries: 0 } });
    const error = await rejection(instance.get('/files/1'));
    expect(error.code).toBe('ECONNREFUSED');
    expect(shownSecrets(error, [token])).toEqual([]);
  });
});

describe('what a refresh may throw', () => {
  it('a value that is no Error becomes the message, and is the cause', async () => {
    world.script('/files/1', [ok]);
    const { instance } = authClient({
      refresh: async () => {
        throw 'the vault is sealed';
      },
    });
    const error = await rejection(instance.get('/files/1'));
    expect(isBoxAuthRefreshError(error)).toBe(true);
    expect(error.message).toMatch(/^Box token refresh \(reason missing\) failed: the vault is sealed/);
    expect(error.cause).toBe('the vault is sealed');
    expect(error.response).toBeUndefined();
  });
});

describe('the refused token, the refresh under way, and what is never sent', () => {
  it('a 401 to a one-shot upload is not re-sent, but the token is spent: the next call refreshes', async () => {
    world.script('/files/content', [ok]);
    const r = refresher();
    const stale = 'stale-token-000000';
    const { instance } = authClient({ refresh: r.refresh, initialToken: stale });
    const upload = () => instance.post('/files/content', Readable.from([Buffer.from('bytes')]));
    const error = await rejection(upload());
    expect(error.notRetriedReason).toBe('the request body is a one-shot stream');
    const res = await upload();
    expect(res.status).toBe(200);
    expect(bearers()).toEqual([stale, r.issued[0]]);
    expect(r.calls.map((c) => [c.reason, c.rejectedToken])).toEqual([['unauthorized', stale]]);
  });

  it('while onRetry runs for a 401, a new call does not send the refused token', async () => {
    world.script('/files/1', [ok]);
    const r = refresher();
    const stale = 'stale-token-000000';
    const events: BoxRetryEvent[] = [];
    const auth = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, initialToken: stale });
    const instance = axios.create({ baseURL: world.api.url });
    attachBoxStatus(instance, {
      auth,
      retry: {
        onRetry: async (event) => {
          events.push(event);
          await sleep(100);
        },
      },
    });
    const first = instance.get('/files/1');
    while (events.length === 0) await sleep(2);
    const later = await instance.get('/files/1');
    await first;
    expect(later.boxStatus?.attempts).toBe(1);
    expect(bearers().filter((token) => token === stale)).toHaveLength(1);
  });

  it('an onRetry that throws after a 401 still leaves the token refused', async () => {
    world.script('/files/1', [ok]);
    const r = refresher();
    const stale = 'stale-token-000000';
    const thrown = new Error('not now');
    const auth = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, initialToken: stale });
    const instance = axios.create({ baseURL: world.api.url });
    attachBoxStatus(instance, {
      auth,
      retry: {
        onRetry: () => {
          throw thrown;
        },
      },
    });
    expect(await rejection(instance.get('/files/1'))).toBe(thrown);
    expect(await auth.token()).toBe(r.issued[0]);
  });

  it('a refresh past refreshTimeoutMs is abandoned: calls in its cooldown reject at once, and its late token serves when it comes', async () => {
    world.script('/files/1', [ok]);
    let running = 0;
    let most = 0;
    const calls: BoxAuthRefreshContext[] = [];
    const { instance, auth } = authClient({
      refreshTimeoutMs: 40,
      refresh: async (context) => {
        calls.push(context);
        running += 1;
        most = Math.max(most, running);
        await sleep(120); // ignores its signal, as a refresh-token request must
        running -= 1;
        return world.mint();
      },
    });
    const timedOut = await rejection(instance.get('/files/1'));
    expect(timedOut).toMatchObject({ name: 'BoxAuthRefreshError', timedOutAfterMs: 40 });
    expect(calls[0]?.signal.aborted).toBe(true);
    // A call while it still runs, within the timeout's cooldown, rejects at once rather than
    // starting another beside it (or joining it).
    const joined = await rejection(instance.get('/files/1'));
    expect(joined).toMatchObject({ name: 'BoxAuthRefreshError', coolingDownMs: expect.any(Number) });
    expect(joined.cause).toMatchObject({ name: 'BoxAuthRefreshError', timedOutAfterMs: 40 });
    expect(calls).toHaveLength(1);
    // Once it has come, its token serves: no new refresh.
    while (running > 0) await sleep(2);
    const res = await instance.get('/files/1');
    expect(res.status).toBe(200);
    expect(calls).toHaveLength(1);
    expect(most).toBe(1);
    expect(await auth.token()).toBe(world.bearer(world.api.log[0] as never));
  });

  it('a refresh that gives back the very token Box refused fails, rather than re-sending into a certain 401', async () => {
    world.script('/files/1', [ok]);
    const stale = 'stale-token-000000';
    const { instance } = authClient({ refresh: async () => stale, initialToken: stale });
    const error = await rejection(instance.get('/files/1'));
    expect(isBoxAuthRefreshError(error)).toBe(true);
    expect(error.message).toContain('refresh() resolved to the very token Box had refused');
    expect(world.api.log).toHaveLength(1);
  });

  it('a 401 from another origin a redirect led to refreshes nothing: the token was not sent there', async () => {
    world.api.script('/files/1/content', (_count, request) =>
      world.valid.has(world.bearer(request) ?? '') ? { status: 302, headers: { location: `${world.tokens.url}/d/1` } } : { status: 401 },
    );
    world.tokens.script('/d/1', [{ status: 401, body: { type: 'error', status: 401, code: 'unauthorized' } }]);
    const r = refresher();
    const token = world.mint();
    const { instance, auth } = authClient({ refresh: r.refresh, initialToken: token });
    const error = await rejection(instance.get('/files/1/content'));
    expect(error.status).toBe(401);
    expect(error.attempts).toBe(1);
    expect(r.calls).toEqual([]);
    expect(await auth.token()).toBe(token);
    expect(world.tokens.log[0]?.headers.authorization).toBeUndefined();
  });

  it('eject() while a first attempt waits for its token: it goes out as plain axios, without the token', async () => {
    world.api.script('/files/1', [ok]);
    const r = refresher(60);
    const auth = createBoxAuth({ origins: [world.api.url], refresh: r.refresh });
    const instance = axios.create({ baseURL: world.api.url });
    const handle = attachBoxStatus(instance, { auth });
    const pending = instance.get('/files/1');
    while (r.calls.length === 0) await sleep(2);
    handle.eject();
    await pending;
    expect(world.api.log.map((request) => request.headers.authorization)).toEqual([undefined]);
  });

  it('the refresh error\'s 401 response carries the call\'s config, as a Box error\'s does', async () => {
    world.script('/files/1', [ok]);
    const { instance } = authClient({
      initialToken: 'stale-token-000000',
      refresh: async () => {
        throw new Error('down');
      },
    });
    const error = await rejection(instance.get('/files/1'));
    expect(error.response.config).toBe(error.config);
  });
});

describe('what onRetry is handed', () => {
  it('event.error shows no credential in any rendering', async () => {
    world.script('/files/1', [ok]);
    const r = refresher();
    const stale = 'stale-token-000000';
    const { instance, events } = authClient({ refresh: r.refresh, initialToken: stale });
    await instance.get('/files/1');
    expect(events[0]?.error).toBeInstanceOf(Error);
    expect(shownSecrets(events[0]?.error, [stale])).toEqual([]);
  });
});

describe('a store shared by BoxAuths', () => {
  it('one refresh under the store\'s lock serves every BoxAuth with the same key: the others read its token', async () => {
    world.script('/files/1', [ok]);
    const store = createMemoryStore();
    const r = refresher(40);
    const told: BoxAuthRefreshEvent[] = [];
    const auths = [1, 2, 3].map(() =>
      createBoxAuth({ origins: [world.api.url], refresh: r.refresh, store, key: 'service', onRefresh: (e) => void told.push(e) }),
    );
    const tokens = await Promise.all(auths.map((auth) => auth.token()));
    expect(new Set(tokens).size).toBe(1);
    expect(r.calls).toHaveLength(1);
    expect(told.filter((event) => event.fromStore)).toHaveLength(2);
    // Box accepts that token, then stops: a 401 to it, met by one, the others see the new token in the store.
    const instances = auths.map((auth) => {
      const instance = axios.create({ baseURL: world.api.url });
      attachBoxStatus(instance, { auth });
      return instance;
    });
    await instances[0]?.get('/files/1');
    world.valid.delete(tokens[0] as string);
    await auths[0]?.renew(tokens[0] as string);
    expect(r.calls).toHaveLength(2);
    await auths[1]?.renew(tokens[0] as string);
    expect(await auths[1]?.token()).toBe(r.issued[1]);
    expect(r.calls).toHaveLength(2);
  });

  it('a token written between the read and the lock is used, not refreshed over (a refresh token is spent once)', async () => {
    const memory = createMemoryStore();
    const r = refresher(5);
    // Another process, between this one's read and its lock: it refreshed, wrote its token and let go.
    const store: BoxStateStore = {
      ...memory,
      pauseMs: (scope) => memory.pauseMs(scope),
      lockRefresh(key, ttlMs) {
        memory.writeToken(key, { accessToken: 'written-by-another-process', expiresAt: Date.now() + 3_600_000 });
        return memory.lockRefresh(key, ttlMs);
      },
    };
    const told: BoxAuthRefreshEvent[] = [];
    const auth = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, store, key: 'service', onRefresh: (e) => void told.push(e) });
    expect(await auth.token()).toBe('written-by-another-process');
    expect(r.calls).toHaveLength(0);
    expect(told.map((event) => event.fromStore)).toEqual([true]);
    // And the lock was let go.
    expect(memory.lockRefresh('service', 1000)).toBe(true);
  });

  it('another key is another token', async () => {
    const store = createMemoryStore();
    const r = refresher(5);
    const alice = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, store, key: 'alice' });
    const bob = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, store, key: 'bob' });
    expect(await alice.token()).not.toBe(await bob.token());
    expect(r.calls).toHaveLength(2);
  });
});
