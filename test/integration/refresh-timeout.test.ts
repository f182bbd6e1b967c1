// A refresh that outlasts refreshTimeoutMs is abandoned: its signal aborts (the built-in grants
// pass it to their request), its waiting calls reject, and once the cooldown allows, a new refresh
// starts even if the old one never settles. Against a real local token endpoint.
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import {
  attachBoxStatus,
  boxClientCredentialsGrant,
  boxRefreshTokenGrant,
  createBoxAuth,
  type BoxAuthOptions,
  type BoxTokenPair,
} from '../../src/index.js';
import { ok } from '../helpers/box-server.js';
import { rejection } from '../helpers/client.js';
import { sleep } from '../helpers/time.js';
import { form, INVALID_GRANT, useTokenWorld } from '../helpers/token-world.js';

const world = useTokenWorld();

const ccg = () =>
  boxClientCredentialsGrant({ clientId: 'client-id', clientSecret: 'client-secret-0000', subjectType: 'enterprise', subjectId: '1', tokenUrl: world.tokenUrl });
const issued = () => ({ status: 200, body: { access_token: world.mint(), expires_in: 3600 } });

/**
 * Calls in `loops` loops until the first succeeds: how long that took, and how many failed before.
 * Each failed call is followed by a short pause, as an app's own loop would have.
 */
async function untilFirstSuccess(options: Partial<BoxAuthOptions> & Pick<BoxAuthOptions, 'refresh'>, loops = 3) {
  world.script('/files/1', [ok]);
  const auth = createBoxAuth({ origins: [world.api.url], ...options });
  const instance = axios.create({ baseURL: world.api.url });
  attachBoxStatus(instance, { auth });
  const started = performance.now();
  let succeededAt: number | undefined;
  let failed = 0;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (succeededAt === undefined && performance.now() - started < 10_000) {
        try {
          await instance.get('/files/1');
          succeededAt ??= performance.now() - started;
        } catch {
          failed += 1;
          await sleep(10);
        }
      }
    }),
  );
  return { succeededAt: succeededAt ?? Infinity, failed };
}

describe('a hung token endpoint', () => {
  it('hung once, then recovered: the first success within refreshTimeoutMs + cooldown + 1 s, the hung request aborted', async () => {
    world.tokens.script('/oauth2/token', (count) => (count === 1 ? { hang: true } : issued()));
    const { succeededAt, failed } = await untilFirstSuccess({ refresh: ccg(), refreshTimeoutMs: 200 });
    expect(succeededAt).toBeLessThan(200 + 1000 + 1000);
    expect(failed).toBeGreaterThan(0);
    const [hung] = world.tokenRequests();
    // CCG passes the signal on: the request was cut when the refresh was abandoned.
    expect(hung?.closedAt).toBeDefined();
    expect((hung?.closedAt as number) - (hung?.receivedAt as number)).toBeLessThan(1000);
    expect(world.tokenRequests()).toHaveLength(2);
  });

  it('a custom refresh that ignores its signal and never settles does not lock the BoxAuth', async () => {
    let refreshes = 0;
    const signals: AbortSignal[] = [];
    const { succeededAt } = await untilFirstSuccess({
      refreshTimeoutMs: 200,
      refresh: async ({ signal }) => {
        refreshes += 1;
        signals.push(signal);
        if (refreshes === 1) return new Promise<never>(() => {});
        return world.mint();
      },
    });
    expect(succeededAt).toBeLessThan(200 + 1000 + 1000);
    expect(refreshes).toBe(2);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[1]?.aborted).toBe(false);
  });

  it('a 429 with a long Retry-After: the refresh is abandoned at refreshTimeoutMs, and CCG cuts its wait (it settles at once, sends nothing more)', async () => {
    world.tokens.script('/oauth2/token', [{ status: 429, headers: { 'retry-after': '30' }, body: { error: 'rate_limited' } }]);
    const auth = createBoxAuth({ origins: [world.api.url], refresh: ccg(), refreshTimeoutMs: 150 });
    const started = performance.now();
    const error = await rejection(auth.token());
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toMatchObject({ name: 'BoxAuthRefreshError', timedOutAfterMs: 150 });
    // The grant itself, handed a signal that aborts during its 30 s wait: it settles then.
    const controller = new AbortController();
    const grant = ccg();
    const pending = rejection(grant({ reason: 'missing', signal: controller.signal }));
    while (world.tokenRequests().length < 2 || world.tokenRequests()[1]?.answeredAt === undefined) await sleep(5);
    const abortedAt = performance.now();
    controller.abort();
    expect(axios.isCancel(await pending)).toBe(true);
    expect(performance.now() - abortedAt).toBeLessThan(500);
    expect(world.tokenRequests()).toHaveLength(2);
  });
});

describe('an abandoned refresh that settles late', () => {
  it('after a newer refresh gave a token, its own is not adopted over it', async () => {
    const tokens: string[] = [];
    let calls = 0;
    const auth = createBoxAuth({
      origins: [world.api.url],
      refreshTimeoutMs: 60,
      refreshCooldownMs: 0,
      refresh: async () => {
        calls += 1;
        const token = world.mint();
        tokens.push(token);
        await sleep(calls === 1 ? 200 : 0);
        return token;
      },
    });
    await expect(auth.token()).rejects.toMatchObject({ timedOutAfterMs: 60 });
    const newer = await auth.token();
    expect(newer).toBe(tokens[1]);
    await sleep(200);
    expect(await auth.token()).toBe(newer);
  });
});

describe('an abandoned refresh-token grant', () => {
  it('its late answer is adopted: the rotated refresh token kept, onTokens called, the next refresh spends it', async () => {
    let rotated = 0;
    world.tokens.script('/oauth2/token', (count, request) => {
      if (form(request)['refresh_token'] !== `refresh-token-${rotated}`) return INVALID_GRANT;
      rotated += 1;
      return { status: 200, delayMs: count === 1 ? 300 : 0, body: { access_token: world.mint(), expires_in: 3600, refresh_token: `refresh-token-${rotated}` } };
    });
    const persisted: string[] = [];
    const refresh = boxRefreshTokenGrant({
      clientId: 'client-id',
      clientSecret: 'client-secret-0000',
      refreshToken: 'refresh-token-0',
      tokenUrl: world.tokenUrl,
      onTokens: (pair: BoxTokenPair) => void persisted.push(pair.refreshToken),
    });
    const auth = createBoxAuth({ origins: [world.api.url], refresh, refreshTimeoutMs: 100 });
    await expect(auth.token()).rejects.toMatchObject({ name: 'BoxAuthRefreshError', timedOutAfterMs: 100 });
    // The request on the wire was let finish (cutting it could lose the rotated token).
    while (world.tokenRequests()[0]?.answeredAt === undefined) await sleep(5);
    await sleep(5);
    expect(world.tokenRequests()[0]?.closedAt).toBeUndefined();
    expect(persisted).toEqual(['refresh-token-1']);
    const late = await auth.token();
    expect(late).toMatch(/^token-1-/);
    auth.invalidate();
    expect(await auth.token()).toMatch(/^token-2-/);
    expect(world.tokenRequests().map((request) => form(request)['refresh_token'])).toEqual(['refresh-token-0', 'refresh-token-1']);
  });

  it('abandoned before its request was sent: nothing is sent', async () => {
    world.tokens.script('/oauth2/token', [{ status: 200, body: { access_token: 'x-token-000000' } }]);
    const refresh = boxRefreshTokenGrant({ clientId: 'client-id', clientSecret: 'client-secret-0000', refreshToken: 'refresh-token-0', tokenUrl: world.tokenUrl });
    const controller = new AbortController();
    controller.abort();
    await expect(refresh({ reason: 'missing', signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(world.tokenRequests()).toHaveLength(0);
  });

  it('a 429 that comes after the refresh was abandoned is not retried (Box spent nothing on it)', async () => {
    world.tokens.script('/oauth2/token', [{ status: 429, delayMs: 200, headers: { 'retry-after': '0.05' }, body: { error: 'rate_limited' } }]);
    const refresh = boxRefreshTokenGrant({ clientId: 'client-id', clientSecret: 'client-secret-0000', refreshToken: 'refresh-token-0', tokenUrl: world.tokenUrl });
    const auth = createBoxAuth({ origins: [world.api.url], refresh, refreshTimeoutMs: 100 });
    await rejection(auth.token());
    await sleep(400);
    expect(world.tokenRequests()).toHaveLength(1);
  });
});
