// BoxAuths sharing a store: the refresh lock is a lease its holder renews while its refresh runs
// and that lapses when the holder is gone; a store that fails or hangs costs the sharing, never a
// call; a store written before lock owners existed keeps working.
import { describe, expect, it } from 'vitest';
import { createBoxAuth, createMemoryStore, type BoxAuthRefreshContext, type BoxStateStore, type BoxTokenStore } from '../../src/index.js';
import { sleep, timed } from '../helpers/time.js';
import { useTokenWorld } from '../helpers/token-world.js';

const world = useTokenWorld();

/** A refresh that takes `delayMs`, minting a valid token, recording each call. */
function slowRefresh(delayMs: number) {
  const calls: BoxAuthRefreshContext[] = [];
  return {
    calls,
    refresh: async (context: BoxAuthRefreshContext) => {
      calls.push(context);
      await sleep(delayMs);
      return { accessToken: world.mint(), expiresIn: 3600 };
    },
  };
}

describe('the refresh lock is a lease', () => {
  it('renewed while a refresh runs past it: the other BoxAuth waits for its token instead of refreshing beside it', async () => {
    const store = createMemoryStore();
    const r = slowRefresh(1600);
    // refreshTimeoutMs 3000: a lease of 750 ms, which the holder renews every 250 ms.
    const holder = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, store, key: 'svc', refreshTimeoutMs: 3000 });
    const waiter = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, store, key: 'svc', refreshTimeoutMs: 3000 });
    const first = holder.token();
    while (r.calls.length === 0) await sleep(2);
    const [a, b] = await Promise.all([first, waiter.token()]);
    expect(a).toBe(b);
    expect(r.calls).toHaveLength(1);
  });

  it('a holder that never lets go (it died): its lease lapses and another BoxAuth refreshes', async () => {
    const store = createMemoryStore();
    // A process that took the lock and died: nobody renews it, nobody releases it.
    expect(await store.lockRefresh('svc', 300, 'dead-process')).toBe(true);
    const r = slowRefresh(5);
    const auth = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, store, key: 'svc' });
    const [token, ms] = await timed(auth.token());
    expect(token).toMatch(/^token-1-/);
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(r.calls).toHaveLength(1);
  });

  it('an abandoned refresh stops renewing: the lease lapses, and the next refresh (here or elsewhere) gets the lock', async () => {
    const store = createMemoryStore();
    let refreshes = 0;
    const auth = createBoxAuth({
      origins: [world.api.url],
      store,
      key: 'svc',
      refreshTimeoutMs: 400,
      refreshCooldownMs: 0,
      refresh: async () => {
        refreshes += 1;
        if (refreshes === 1) return new Promise<never>(() => {});
        return world.mint();
      },
    });
    await expect(auth.token()).rejects.toMatchObject({ timedOutAfterMs: 400 });
    const [token, ms] = await timed(auth.token());
    expect(token).toMatch(/^token-1-/);
    // The lease (100 ms, a quarter of 400) lapsed soon after the abandonment.
    expect(ms).toBeLessThan(400);
  });
});

describe('what the store teaches', () => {
  it("another process's token, due for refresh: its refresh token is the one the refresh is handed", async () => {
    const store = createMemoryStore();
    await store.writeToken('svc', { accessToken: 'other-process-token', expiresAt: Date.now() + 1000, refreshToken: 'refresh-from-other' });
    const r = slowRefresh(5);
    const auth = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, store, key: 'svc' });
    expect(await auth.token()).toMatch(/^token-1-/);
    expect(r.calls.map((context) => context.refreshToken)).toEqual(['refresh-from-other']);
  });
});

describe('a store of the token part only (BoxTokenStore)', () => {
  it('is enough for BoxAuths to share one token and one refresh; one with only the pacing part is refused, naming the option', async () => {
    const memory = createMemoryStore();
    const tokens: BoxTokenStore = {
      readToken: (key) => memory.readToken(key),
      writeToken: (key, token) => memory.writeToken(key, token),
      lockRefresh: (key, ttlMs, owner) => memory.lockRefresh(key, ttlMs, owner),
      unlockRefresh: (key, owner) => memory.unlockRefresh(key, owner),
    };
    const r = slowRefresh(50);
    const a = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, store: tokens, key: 'svc' });
    const b = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, store: tokens, key: 'svc' });
    const [ta, tb] = await Promise.all([a.token(), b.token()]);
    expect(ta).toBe(tb);
    expect(r.calls).toHaveLength(1);
    const pacingOnly = { pauseMs: () => 0, pause() {}, acquire: () => 0 };
    expect(() => createBoxAuth({ origins: [world.api.url], refresh: r.refresh, store: pacingOnly as unknown as BoxTokenStore, key: 'svc' })).toThrow(
      new TypeError('axios-box-status: createBoxAuth.store must be a BoxStateStore (createMemoryStore(), createRedisStore()), received an object'),
    );
  });
});

describe('a store that fails or hangs costs the sharing, not the call', () => {
  it.each<[string, Partial<BoxStateStore>]>([
    ['readToken throws', { readToken: () => Promise.reject(new Error('ECONNRESET')) }],
    ['lockRefresh throws', { lockRefresh: () => { throw new Error('NOSCRIPT') } }],
    ['lockRefresh never answers', { lockRefresh: () => new Promise<boolean>(() => {}) }],
    ['readToken never answers', { readToken: () => new Promise<never>(() => {}) }],
    ['unlockRefresh and writeToken throw', { unlockRefresh: () => { throw new Error('gone') }, writeToken: () => { throw new Error('gone') } }],
  ])('%s: the token is refreshed here, within a few seconds', async (_label, broken) => {
    const store: BoxStateStore = { ...createMemoryStore(), ...broken };
    const r = slowRefresh(5);
    const auth = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, store, key: 'svc' });
    const [token, ms] = await timed(auth.token());
    expect(token).toMatch(/^token-1-/);
    // A store call that hangs is let go after 1 s; a refresh reads the store twice at most.
    expect(ms).toBeLessThan(3500);
  });
});

describe('a store written before lock owners and renewal', () => {
  it('is given a lock as long as refreshTimeoutMs, taken and released without an owner it does not know', async () => {
    const memory = createMemoryStore();
    const locks: unknown[][] = [];
    const unlocks: unknown[][] = [];
    // The old interface only: two-argument lockRefresh, one-argument unlockRefresh, no renewRefresh.
    const store: BoxStateStore = {
      pauseMs: (scope) => memory.pauseMs(scope),
      pause: (scope, ms) => memory.pause(scope, ms),
      acquire: (scope, windows) => memory.acquire(scope, windows),
      readToken: (key) => memory.readToken(key),
      writeToken: (key, token) => memory.writeToken(key, token),
      lockRefresh(key: string, ttlMs: number) {
        locks.push([key, ttlMs]);
        return memory.lockRefresh(key, ttlMs);
      },
      unlockRefresh(key: string) {
        unlocks.push([key]);
        return memory.unlockRefresh(key);
      },
    };
    const r = slowRefresh(5);
    const auth = createBoxAuth({ origins: [world.api.url], refresh: r.refresh, store, key: 'svc', refreshTimeoutMs: 7000 });
    expect(await auth.token()).toMatch(/^token-1-/);
    expect(locks).toEqual([['svc', 7000]]);
    expect(unlocks).toEqual([['svc']]);
    expect(memory.lockRefresh('svc', 1000)).toBe(true);
  });
});

describe('the memory store\'s lock', () => {
  it('only its owner renews or releases it; one without an owner is anyone\'s to release', async () => {
    const store = createMemoryStore();
    expect(store.lockRefresh('k', 1000, 'a')).toBe(true);
    expect(store.lockRefresh('k', 1000, 'b')).toBe(false);
    expect(store.renewRefresh?.('k', 1000, 'b')).toBe(false);
    expect(store.renewRefresh?.('k', 1000, 'a')).toBe(true);
    store.unlockRefresh('k', 'b');
    expect(store.lockRefresh('k', 1000, 'b')).toBe(false);
    store.unlockRefresh('k', 'a');
    expect(store.lockRefresh('k', 40)).toBe(true);
    store.unlockRefresh('k', 'someone');
    expect(store.lockRefresh('k', 40, 'c')).toBe(true);
    await sleep(60);
    // Lapsed: its owner cannot renew it, and another may take it.
    expect(store.renewRefresh?.('k', 1000, 'c')).toBe(false);
    expect(store.lockRefresh('k', 1000, 'd')).toBe(true);
  });
});
