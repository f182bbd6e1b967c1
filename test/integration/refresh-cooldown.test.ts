// A token endpoint that fails: one outcome per refresh for every call waiting on it, then a
// cooldown that doubles with each failure in a row, during which calls that need a new token
// reject at once without touching the endpoint. Against a real local token endpoint.
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import {
  attachBoxStatus,
  boxClientCredentialsGrant,
  boxRefreshTokenGrant,
  createBoxAuth,
  createMemoryStore,
  isBoxAuthRefreshError,
  isBoxClientError,
  type BoxAuthOptions,
} from '../../src/index.js';
import { ok } from '../helpers/box-server.js';
import { rejection } from '../helpers/client.js';
import { sleep } from '../helpers/time.js';
import { INVALID_GRANT, UNAUTHORIZED, useTokenWorld } from '../helpers/token-world.js';

const world = useTokenWorld();

const refreshTokenGrant = () =>
  boxRefreshTokenGrant({ clientId: 'client-id', clientSecret: 'client-secret-0000', refreshToken: 'refresh-token-0000', tokenUrl: world.tokenUrl });
const ccg = () =>
  boxClientCredentialsGrant({ clientId: 'client-id', clientSecret: 'client-secret-0000', subjectType: 'enterprise', subjectId: '1', tokenUrl: world.tokenUrl });

/** An instance on the test API with a BoxAuth for its origin. */
function client(options: Partial<BoxAuthOptions> & Pick<BoxAuthOptions, 'refresh'>) {
  const auth = createBoxAuth({ origins: [world.api.url], ...options });
  const instance = axios.create({ baseURL: world.api.url });
  attachBoxStatus(instance, { auth, retry: { baseDelayMs: 1, maxDelayMs: 4 } });
  return { auth, instance };
}

/** Whether a refresh failure's causes lead to the endpoint's invalid_grant. */
const endsInInvalidGrant = (error: any): boolean => {
  for (let cause = error; cause; cause = cause.cause) if (isBoxClientError(cause) && cause.boxCode === 'invalid_grant') return true;
  return false;
};

describe('one outcome per refresh, failures included', () => {
  it('200 concurrent calls meet a 401 and the token endpoint answers 400 invalid_grant: 1 token request, every call rejects', async () => {
    world.tokens.script('/oauth2/token', [INVALID_GRANT]);
    // The 401s come back over 300 ms, as they would from a busy API: the first one's refresh has
    // failed long before the last arrives.
    world.api.script('/files/1', (count) => ({ ...UNAUTHORIZED, delayMs: count * 1.5 }));
    const { instance } = client({ refresh: refreshTokenGrant(), initialToken: 'stale-token-000000' });
    const errors = await Promise.all(Array.from({ length: 200 }, () => rejection(instance.get('/files/1'))));
    expect(world.tokenRequests()).toHaveLength(1);
    expect(errors.every((error) => isBoxAuthRefreshError(error) && endsInInvalidGrant(error))).toBe(true);
    // Nothing re-sent: each call sent its one request.
    expect(world.api.count('/files/1')).toBe(200);
  });

  it.each<[string, Record<string, unknown>]>([
    ['500', { status: 500, body: { error: 'server_error' } }],
    ['a reset connection', { destroy: true }],
  ])('a refresh-token endpoint answering %s: 1 token request for 20 concurrent calls, none re-sent', async (_label, reply) => {
    world.tokens.script('/oauth2/token', [reply]);
    world.api.script('/files/1', (count) => ({ ...UNAUTHORIZED, delayMs: count * 5 }));
    const { instance } = client({ refresh: refreshTokenGrant(), initialToken: 'stale-token-000000' });
    const errors = await Promise.all(Array.from({ length: 20 }, () => rejection(instance.get('/files/1'))));
    expect(errors.every((error) => isBoxAuthRefreshError(error))).toBe(true);
    // A refresh token is never posted twice: Box may have spent it on the first.
    expect(world.tokenRequests()).toHaveLength(1);
  });
});

describe('the cooldown', () => {
  it('10 loops for 2 s against a failing endpoint: at most 1 token request per cooldown step, the steps doubling', async () => {
    world.tokens.script('/oauth2/token', [INVALID_GRANT]);
    world.script('/files/1', [ok]);
    const { instance } = client({ refresh: refreshTokenGrant(), refreshCooldownMs: 50 });
    let calls = 0;
    const until = performance.now() + 2000;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (performance.now() < until) {
          calls += 1;
          await rejection(instance.get('/files/1'));
          await new Promise((resolve) => setImmediate(resolve));
        }
      }),
    );
    const at = world.tokenRequests().map((request) => request.receivedAt);
    const gaps = at.slice(1).map((time, index) => time - (at[index] as number));
    // Cooldowns of 50, 100, 200, 400 and 800 ms fit in 2 s, 1600 ms does not: 6 requests at most.
    expect(at.length).toBeGreaterThanOrEqual(4);
    expect(at.length).toBeLessThanOrEqual(6);
    gaps.forEach((gap, index) => expect(gap).toBeGreaterThanOrEqual(50 * 2 ** index));
    expect(calls).toBeGreaterThan(100);
    // Nothing went to the API: no call had a token to send.
    expect(world.api.log).toHaveLength(0);
  }, 15_000);

  it('during the cooldown a call that needs a token rejects at once, its cause the last failure, the endpoint untouched', async () => {
    world.tokens.script('/oauth2/token', [INVALID_GRANT]);
    const { auth } = client({ refresh: refreshTokenGrant(), refreshCooldownMs: 60_000 });
    const failed = await rejection(auth.token());
    expect(failed).toMatchObject({ name: 'BoxAuthRefreshError', reason: 'missing', coolingDownMs: undefined });
    const started = performance.now();
    const refused = await rejection(auth.token());
    expect(performance.now() - started).toBeLessThan(50);
    expect(refused).toMatchObject({ name: 'BoxAuthRefreshError', reason: 'missing', code: 'ERR_BOX_AUTH_REFRESH' });
    expect(refused.coolingDownMs).toBeGreaterThan(59_000);
    expect(refused.coolingDownMs).toBeLessThanOrEqual(60_000);
    expect(refused.cause).toBe(failed);
    expect(refused.message).toMatch(
      /^Box token refresh \(reason missing\) not started: cooling down for \d+ ms after a failed refresh \(failed: Box API 400 invalid_grant: Invalid refresh token\)/,
    );
    expect(world.tokenRequests()).toHaveLength(1);
  });

  it('a success resets it: the next failure cools down for refreshCooldownMs again, not double', async () => {
    let answer = INVALID_GRANT;
    world.tokens.script('/oauth2/token', () => (answer.status === 200 ? { ...answer, body: { access_token: world.mint(), expires_in: 3600 } } : answer));
    const cooldowns: number[] = [];
    const { auth } = client({ refresh: ccg(), refreshCooldownMs: 40 });
    const cooldownNow = async (): Promise<number> => (await rejection(auth.token())).coolingDownMs;
    await rejection(auth.token());
    cooldowns.push(await cooldownNow());
    await sleep(45);
    await rejection(auth.token());
    cooldowns.push(await cooldownNow());
    await sleep(85);
    answer = { status: 200 };
    await auth.token();
    answer = INVALID_GRANT;
    auth.invalidate();
    await rejection(auth.token());
    cooldowns.push(await cooldownNow());
    expect(cooldowns[0]).toBeLessThanOrEqual(40);
    expect(cooldowns[1]).toBeGreaterThan(40);
    expect(cooldowns[1]).toBeLessThanOrEqual(80);
    expect(cooldowns[2]).toBeLessThanOrEqual(40);
  });

  it('100 sequential calls of a revoked app (Box refuses every token it issues): at most 8 refreshes', async () => {
    // The token endpoint still issues tokens; the API answers 401 to each of them.
    world.tokens.script('/oauth2/token', () => ({ status: 200, body: { access_token: `revoked-${Math.random().toString(36).slice(2)}`, expires_in: 3600 } }));
    world.api.script('/files/1', [UNAUTHORIZED]);
    const { instance } = client({ refresh: ccg() });
    const outcomes: string[] = [];
    for (let call = 0; call < 100; call += 1) {
      const error = await rejection(instance.get('/files/1'));
      outcomes.push(error.name);
    }
    expect(world.tokenRequests().length).toBeLessThanOrEqual(8);
    // The first call met the refused token; the others were refused at once, touching nothing.
    expect(new Set(outcomes)).toEqual(new Set(['BoxAuthRefreshError']));
    expect(world.api.count('/files/1')).toBeLessThanOrEqual(8);
  });

  it('a revoked app: each token Box refuses at once is a failure in a row, so the cooldown doubles (not back to refreshCooldownMs each time)', async () => {
    world.tokens.script('/oauth2/token', () => ({ status: 200, body: { access_token: `revoked-${Math.random().toString(36).slice(2)}`, expires_in: 3600 } }));
    world.api.script('/files/1', [UNAUTHORIZED]);
    const { instance } = client({ refresh: ccg(), refreshCooldownMs: 20 });
    const cooldowns: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      // Each call after the cooldown: one refresh, its token refused at once, the call told the cooldown that follows.
      const error = await rejection(instance.get('/files/1'));
      expect(error.name).toBe('BoxAuthRefreshError');
      cooldowns.push(error.coolingDownMs);
      await sleep(error.coolingDownMs + 5);
    }
    expect(world.tokenRequests()).toHaveLength(5);
    // 20, 40, 80, 160, 320 ms, less what the machine's lag took off each before it was read.
    cooldowns.slice(1).forEach((cooldown, index) => expect(cooldown).toBeGreaterThan(1.5 * (cooldowns[index] as number)));
    expect(cooldowns[4]).toBeGreaterThan(200);
  });

  it('a call aborted during the cooldown rejects with CanceledError, and one aborted before it started touches nothing', async () => {
    world.tokens.script('/oauth2/token', [INVALID_GRANT]);
    const { instance } = client({ refresh: refreshTokenGrant() });
    await rejection(instance.get('/files/1'));
    const error = await rejection(instance.get('/files/1', { signal: AbortSignal.abort() }));
    expect(axios.isCancel(error)).toBe(true);
    expect(world.tokenRequests()).toHaveLength(1);
    expect(world.api.log).toHaveLength(0);
  });

  it('in a cooldown, a token another process has put in the store since serves: no call refused, the endpoint untouched', async () => {
    world.script('/files/1', [ok]);
    world.tokens.script('/oauth2/token', [INVALID_GRANT]);
    const store = createMemoryStore();
    // This process's refresh fails and cools down for a minute.
    const here = client({ refresh: refreshTokenGrant(), store, key: 'svc', refreshCooldownMs: 60_000 });
    await rejection(here.instance.get('/files/1'));
    expect(world.tokenRequests()).toHaveLength(1);
    // Another process (its own BoxAuth on the same store and key) refreshes, with credentials that work.
    const theirs = world.mint();
    const elsewhere = createBoxAuth({ origins: [world.api.url], store, key: 'svc', refresh: async () => ({ accessToken: theirs, expiresIn: 3600 }) });
    expect(await elsewhere.token()).toBe(theirs);
    // The cooling process takes that token at once instead of refusing its calls for the minute.
    expect((await here.instance.get('/files/1')).status).toBe(200);
    expect(world.bearer(world.api.log.at(-1) as never)).toBe(theirs);
    expect(world.tokenRequests()).toHaveLength(1);
    // And it is over: the next call needs nothing.
    expect(await here.auth.token()).toBe(theirs);
  });

  it('in a cooldown with a store holding only the refused token: refused at once, the endpoint untouched', async () => {
    world.tokens.script('/oauth2/token', [INVALID_GRANT]);
    const store = createMemoryStore();
    await store.writeToken('svc', { accessToken: 'stale-token-000000', expiresAt: Date.now() + 3_600_000 });
    world.api.script('/files/1', [UNAUTHORIZED]);
    const { instance } = client({ refresh: refreshTokenGrant(), store, key: 'svc', refreshCooldownMs: 60_000 });
    await rejection(instance.get('/files/1'));
    const error = await rejection(instance.get('/files/1'));
    expect(error).toMatchObject({ name: 'BoxAuthRefreshError' });
    expect(error.coolingDownMs).toBeGreaterThan(59_000);
    expect(world.tokenRequests()).toHaveLength(1);
  });

  it.each<[string, Record<string, unknown>]>([
    ['expiresIn: 0', { expiresIn: 0 }],
    ['an expiresAt in seconds by mistake', { expiresAt: Math.floor(Date.now() / 1000) + 3600 }],
  ])('a refresh that resolves to a token already expired (%s) is a failure: the calls reject, and the cooldown holds the next ones', async (_label, expiry) => {
    let refreshes = 0;
    const { auth } = client({
      refresh: async () => {
        refreshes += 1;
        return { accessToken: world.mint(), ...expiry };
      },
      refreshCooldownMs: 60_000,
    });
    const failed = await rejection(auth.token());
    expect(failed).toMatchObject({ name: 'BoxAuthRefreshError', reason: 'missing' });
    expect(failed.message).toContain('a token that has already expired');
    const refused = await rejection(auth.token());
    expect(refused.coolingDownMs).toBeGreaterThan(59_000);
    expect(refreshes).toBe(1);
  });

  it('a call whose token is still valid is not held by the cooldown', async () => {
    world.script('/files/1', [ok]);
    world.tokens.script('/oauth2/token', [INVALID_GRANT]);
    const valid = world.mint();
    const { auth, instance } = client({ refresh: refreshTokenGrant(), initialToken: valid });
    const other = createBoxAuth({ origins: [world.api.url], refresh: refreshTokenGrant() });
    await rejection(other.token());
    // One BoxAuth's cooldown is its own; and a valid token serves through any cooldown.
    expect((await instance.get('/files/1')).status).toBe(200);
    expect(await auth.token()).toBe(valid);
  });
});
