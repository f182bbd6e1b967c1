// The proactive refresh runs in the background: calls go on with the current token while it is
// valid, a failed or slow proactive refresh fails and slows none of them, and a short-lived token
// is refreshed at half its life rather than on every call. Against a real local token endpoint.
import axios from 'axios';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attachBoxStatus, boxClientCredentialsGrant, createBoxAuth, type BoxAuthOptions, type BoxAuthRefreshEvent } from '../../src/index.js';
import { ok } from '../helpers/box-server.js';
import { rejection } from '../helpers/client.js';
import { sleep, timed } from '../helpers/time.js';
import { INVALID_GRANT, useTokenWorld } from '../helpers/token-world.js';

const world = useTokenWorld();
const AUTH_SECRETS = Symbol.for('axios-box-status.auth-secrets');

const ccg = () =>
  boxClientCredentialsGrant({ clientId: 'client-id', clientSecret: 'client-secret-0000', subjectType: 'enterprise', subjectId: '1', tokenUrl: world.tokenUrl });
const issued = (expiresIn = 3600, delayMs = 0) => ({ status: 200, delayMs, body: { access_token: world.mint(), expires_in: expiresIn } });

function client(options: Partial<BoxAuthOptions> & Pick<BoxAuthOptions, 'refresh'>) {
  world.script('/files/1', [ok]);
  const events: BoxAuthRefreshEvent[] = [];
  const auth = createBoxAuth({ origins: [world.api.url], onRefresh: (event) => void events.push(event), ...options });
  const instance = axios.create({ baseURL: world.api.url });
  attachBoxStatus(instance, { auth });
  return { auth, instance, events };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a token within refreshBeforeExpiryMs of its expiry', () => {
  it('a failed proactive refresh fails no call while the token is valid (120 s left), and is not retried on every call', async () => {
    world.tokens.script('/oauth2/token', [INVALID_GRANT]);
    const valid = world.mint();
    const { instance, events } = client({ refresh: ccg(), initialToken: { accessToken: valid, expiresAt: Date.now() + 120_000 } });
    const results = await Promise.allSettled(Array.from({ length: 10 }, async () => instance.get('/files/1')));
    for (let call = 0; call < 10; call += 1) results.push(...(await Promise.allSettled([instance.get('/files/1')])));
    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(0);
    expect(world.api.log.map((request) => world.bearer(request))).toEqual(Array(20).fill(valid));
    // One refresh, failed: its cooldown keeps the others from hammering the endpoint.
    expect(world.tokenRequests()).toHaveLength(1);
    expect(events.map((event) => [event.reason, event.ok])).toEqual([['expiring', false]]);
  });

  it('a slow proactive refresh (1 s) slows no call: each takes a fraction of it, and the calls after it carry the new token', async () => {
    world.tokens.script('/oauth2/token', () => issued(3600, 1000));
    const valid = world.mint();
    const { instance, events } = client({ refresh: ccg(), initialToken: { accessToken: valid, expiresAt: Date.now() + 120_000 } });
    const durations: number[] = [];
    for (let call = 0; call < 10; call += 1) durations.push((await timed(instance.get('/files/1')))[1]);
    expect(Math.max(...durations)).toBeLessThan(500);
    while (events.length === 0) await sleep(10);
    await instance.get('/files/1');
    const bearers = world.api.log.map((request) => world.bearer(request));
    expect(bearers.slice(0, 10)).toEqual(Array(10).fill(valid));
    expect(bearers[10]).not.toBe(valid);
    expect(world.tokenRequests()).toHaveLength(1);
  });

  it('an expired token is not served: the call waits for the refresh', async () => {
    world.tokens.script('/oauth2/token', () => issued());
    const { instance, events } = client({ refresh: ccg(), initialToken: { accessToken: world.mint(), expiresAt: Date.now() - 1 } });
    await instance.get('/files/1');
    expect(events.map((event) => event.reason)).toEqual(['expiring']);
    expect(world.bearer(world.api.log[0] as never)).toMatch(/^token-2-/);
  });
});

describe('short-lived tokens', () => {
  it('20 calls over 3 s with tokens that last 2 s (refreshBeforeExpiryMs 180000): at most 4 refreshes, every call served', async () => {
    world.tokens.script('/oauth2/token', () => issued(2));
    const { instance } = client({ refresh: ccg() });
    for (let call = 0; call < 20; call += 1) {
      expect((await instance.get('/files/1')).status).toBe(200);
      await sleep(150);
    }
    expect(world.tokenRequests().length).toBeLessThanOrEqual(4);
    expect(world.tokenRequests().length).toBeGreaterThanOrEqual(2);
  });

  it('120 s tokens, 3,000 calls in a row: 1 refresh', async () => {
    world.tokens.script('/oauth2/token', () => issued(120));
    const { auth } = client({ refresh: ccg() });
    for (let call = 0; call < 3000; call += 1) await auth.token();
    expect(world.tokenRequests()).toHaveLength(1);
  });

  it('the set of tokens kept for scrubbing stays bounded however many refreshes', async () => {
    world.tokens.script('/oauth2/token', () => issued());
    const { auth } = client({ refresh: ccg() });
    const listed = (): string[] => (auth as unknown as Record<symbol, () => string[]>)[AUTH_SECRETS]?.() ?? [];
    const seen: string[] = [];
    for (let refresh = 0; refresh < 60; refresh += 1) {
      auth.invalidate();
      seen.push(await auth.token());
    }
    expect(listed().length).toBeLessThanOrEqual(10);
    // The latest ones are still scrubbed.
    expect(listed()).toContain(seen.at(-1));
  });
});

describe('what happens around a refresh', () => {
  it('invalidate() while a refresh runs: the call waits for it and takes its token; no second refresh', async () => {
    world.tokens.script('/oauth2/token', () => issued(3600, 100));
    const { auth, instance } = client({ refresh: ccg() });
    const first = instance.get('/files/1');
    while (world.tokenRequests().length === 0) await sleep(2);
    auth.invalidate();
    const second = instance.get('/files/1');
    await Promise.all([first, second]);
    expect(world.tokenRequests()).toHaveLength(1);
    expect(new Set(world.api.log.map((request) => world.bearer(request))).size).toBe(1);
  });

  it('eject() while a background refresh runs: the refresh completes and serves the next instance', async () => {
    world.tokens.script('/oauth2/token', () => issued(3600, 80));
    const valid = world.mint();
    const { auth } = client({ refresh: ccg(), initialToken: { accessToken: valid, expiresAt: Date.now() + 60_000 } });
    const instance = axios.create({ baseURL: world.api.url });
    const handle = attachBoxStatus(instance, { auth });
    await instance.get('/files/1');
    handle.eject();
    while (world.tokenRequests()[0]?.answeredAt === undefined) await sleep(5);
    await sleep(5);
    const other = axios.create({ baseURL: world.api.url });
    attachBoxStatus(other, { auth });
    await other.get('/files/1');
    expect(world.bearer(world.api.log[1] as never)).not.toBe(valid);
  });

  it('the wall clock jumps: a valid token is not taken for expired, and a cooldown is neither cut nor stretched', async () => {
    world.tokens.script('/oauth2/token', [INVALID_GRANT]);
    const valid = world.mint();
    const { auth } = client({ refresh: ccg(), initialToken: { accessToken: valid, expiresIn: 3600 }, refreshCooldownMs: 200 });
    const now = Date.now();
    // Two hours ahead, as a clock set right after a long suspend might be.
    vi.spyOn(Date, 'now').mockImplementation(() => now + 7_200_000);
    expect(await auth.token()).toBe(valid);
    expect(world.tokenRequests()).toHaveLength(0);
    auth.invalidate();
    await rejection(auth.token());
    // Two hours back: the cooldown still runs on its own clock.
    vi.spyOn(Date, 'now').mockImplementation(() => now - 7_200_000);
    const cooling = await rejection(auth.token());
    expect(cooling.coolingDownMs).toBeGreaterThan(100);
    expect(cooling.coolingDownMs).toBeLessThanOrEqual(200);
    expect(world.tokenRequests()).toHaveLength(1);
  });
});
