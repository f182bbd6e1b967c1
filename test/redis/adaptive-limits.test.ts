// The fleet's windows count each request by when it may reach Box, and its adaptive limits, kept
// in Redis: two stores on two clients stand for two processes, against a real redis-server, with
// each client the store takes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, type BoxRedisStore } from '../../src/redis/index.js';
import { REDIS_CLIENT_KINDS, redisClient, type TestRedisClient } from '../helpers/redis-clients.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { sleep } from '../helpers/time.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.close();
});

const opened: { stores: BoxRedisStore[]; clients: TestRedisClient[] } = { stores: [], clients: [] };
afterEach(async () => {
  await Promise.all(opened.stores.splice(0).map((store) => store.close()));
  await Promise.all(opened.clients.splice(0).map((client) => client.close()));
});

let prefixes = 0;
/** Two stores (two processes) on one prefix of the test's own, each on a client of its own. */
async function fleetOf(kind: (typeof REDIS_CLIENT_KINDS)[number], count = 2): Promise<BoxRedisStore[]> {
  const prefix = `adaptive${(prefixes += 1)}:`;
  const stores: BoxRedisStore[] = [];
  for (let i = 0; i < count; i += 1) {
    const client = await redisClient(kind, redis.socket);
    opened.clients.push(client);
    const store = createRedisStore({ client: client.client, prefix, timeoutMs: 1000 });
    opened.stores.push(store);
    stores.push(store);
  }
  return stores;
}

/** The one limit a store reports for `scope`. */
function limitOf(store: BoxRedisStore, scope: string) {
  const limits = store.status().limits.filter((limit) => limit.scope === scope);
  expect(limits).toHaveLength(1);
  return limits[0] as (typeof limits)[number];
}

describe.each(REDIS_CLIENT_KINDS)('with %s', (kind) => {
  it('a slot is counted as pending until answered (ask again soon), then until its slot plus its lag, for every process', async () => {
    const [a, b] = (await fleetOf(kind)) as [BoxRedisStore, BoxRedisStore];
    const rules = [{ name: 'calls', max: 1, perMs: 60_000 }];
    const slot = {};
    expect(await a.acquire('u', rules, true, slot)).toBe(0);
    expect(limitOf(a, 'u')).toEqual({ scope: 'u', name: 'calls', max: 1, effectiveMax: 1, perMs: 60_000 });
    // Not yet answered: it may reach Box any time now, and holds the window; b asks again in 50 ms.
    expect(await b.acquire('u', rules)).toBe(50);
    // Answered at once (a lag of 0 ms): it reached Box by its slot, and leaves the window 60 s after
    // it. (A lag reported ahead of Redis's clock would still read as pending: a real lag is measured
    // when the answer came, so it never is; 5 ms made up here was, when the test ran fast.)
    await a.reportLag('u', rules, 0, slot);
    const after = await b.acquire('u', rules);
    expect(after).toBeLessThanOrEqual(60_000);
    expect(after).toBeGreaterThan(59_000);
    // A slot settled twice moves once; a slot it never granted, nothing.
    await a.reportLag('u', rules, 30_000, slot);
    await a.reportLag('u', rules, 30_000, {});
    // (Moved to 30 s after its slot, it would hold the window 90 s.)
    expect(await b.acquire('u', rules)).toBeLessThanOrEqual(60_005);
  });

  it('a slot not yet answered two windows after it still holds the window (it may yet reach Box)', async () => {
    const [a, b] = (await fleetOf(kind)) as [BoxRedisStore, BoxRedisStore];
    const rules = [{ name: 'calls', max: 1, perMs: 150 }];
    expect(await a.acquire('u', rules, true, {})).toBe(0);
    await sleep(2 * 150 + 20);
    expect(await b.acquire('u', rules)).toBe(50);
  });

  it('a 429 cuts the effective max for every process, once a window, and it climbs back by one a window after the pause', async () => {
    const [a, b] = (await fleetOf(kind)) as [BoxRedisStore, BoxRedisStore];
    const rules = [{ name: 'calls', max: 10, perMs: 1000 }];
    const cutAt = performance.now();
    a.pause('u', 100);
    await a.rateLimited('u', rules);
    // Cut by then: climbing from the end of its 100 ms pause.
    const cutBy = performance.now();
    // The other 429s of the same window cut nothing more.
    await b.rateLimited('u', rules);
    expect(limitOf(a, 'u').effectiveMax).toBe(7);
    expect(limitOf(b, 'u').effectiveMax).toBe(7);
    // b keeps to 7 in a window (the pause over): the 8th waits.
    await sleep(110);
    const waits = [];
    for (let i = 0; i < 8; i += 1) waits.push(await b.acquire('u', rules));
    expect(waits.slice(0, 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(waits[7]).toBeGreaterThan(0);
    // A window after the pause, not two: 8.
    await sleep(cutBy + 100 + 1000 + 20 - performance.now());
    await a.acquire('u', rules);
    expect(performance.now() - cutAt).toBeLessThan(2000);
    expect(limitOf(a, 'u').effectiveMax).toBe(8);
  });

  it('Redis away: each process paces by what it learnt itself, and says so', async () => {
    const [a] = (await fleetOf(kind, 1)) as [BoxRedisStore];
    const rules = [{ name: 'calls', max: 10, perMs: 60_000 }];
    expect(await a.acquire('u', rules, true, {})).toBe(0);
    await a.rateLimited('u', rules);
    expect(limitOf(a, 'u').effectiveMax).toBe(7);
    await redis.kill();
    try {
      // The first command to fail tells the store Redis is away.
      expect(await a.acquire('u', rules)).toBe(0);
      expect(a.status().shared).toBe(false);
      // Its own record: the 429 it met, and the slots Redis granted it.
      expect(limitOf(a, 'u')).toEqual({ scope: 'u', name: 'calls', max: 10, effectiveMax: 7, perMs: 60_000 });
    } finally {
      await redis.restart();
    }
  });
});

it('the keys of a scope, its rules\' hashes among them, share one hash slot (Redis Cluster safe)', async () => {
  const [a] = (await fleetOf('ioredis', 1)) as [BoxRedisStore];
  const rules = [
    { name: 'calls', max: 10, perMs: 1000 },
    { name: 'uploads', max: 10, perMs: 1000 },
  ];
  const slot = {};
  await a.acquire('user-9', rules, true, slot);
  await a.reportLag('user-9', rules, 500, slot);
  await a.rateLimited('user-9', rules);
  const admin = await redisClient('ioredis', redis.socket);
  opened.clients.push(admin);
  const keys = (await (admin.client as { keys(pattern: string): Promise<string[]> }).keys(`adaptive${prefixes}:*`)).filter((key) => key.includes('{s:user-9}'));
  expect(keys.sort()).toEqual(['l:calls', 'l:uploads', 'w:calls', 'w:uploads'].map((part) => `adaptive${prefixes}:{s:user-9}:${part}`));
});
