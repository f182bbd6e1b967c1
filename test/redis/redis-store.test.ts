// The Redis store against a real redis-server, with each client the store takes.
import axios from 'axios';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, type BoxRedisStore } from '../../src/redis/index.js';
import { attachBoxStatus } from '../../src/index.js';
import { ok, startBoxServer, tooMany, type BoxServer } from '../helpers/box-server.js';
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

/** Everything a test opened, closed after it: stores first, then their clients. */
const opened: { stores: BoxRedisStore[]; clients: TestRedisClient[]; servers: BoxServer[] } = { stores: [], clients: [], servers: [] };
afterEach(async () => {
  await Promise.all(opened.stores.splice(0).map((store) => store.close()));
  await Promise.all(opened.clients.splice(0).map((client) => client.close()));
  await Promise.all(opened.servers.splice(0).map((server) => server.close()));
});

let prefixes = 0;
/** A store on a fresh client, under a prefix of the test's own (so that tests do not see each other's keys). */
async function store(kind: (typeof REDIS_CLIENT_KINDS)[number], prefix = `test${(prefixes += 1)}:`, timeoutMs?: number) {
  const client = await redisClient(kind, redis.socket);
  opened.clients.push(client);
  const made = createRedisStore({ client: client.client, prefix, ...(timeoutMs ? { timeoutMs } : {}) });
  opened.stores.push(made);
  return made;
}

/** Wait until `check` holds (a message through Redis takes a moment). */
async function eventually(check: () => boolean, withinMs = 1000): Promise<void> {
  const until = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('the condition did not come true in time');
    await sleep(5);
  }
}

/** Redis Cluster's hash slot of a key (CRC16/XMODEM of its hash tag). */
function slotOf(key: string): number {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  const tag = open !== -1 && close > open + 1 ? key.slice(open + 1, close) : key;
  let crc = 0;
  for (const byte of Buffer.from(tag)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

describe('createRedisStore: options', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a client that is neither', { client: { get() {} } }, 'createRedisStore.client must be an ioredis or node-redis client (new Redis(), createClient()), received an object'],
    ['no client', {}, 'createRedisStore.client must be an ioredis or node-redis client (new Redis(), createClient()), received undefined'],
    ['an empty prefix', { prefix: '' }, 'createRedisStore.prefix must be a non-empty string, received ""'],
    ['a negative timeout', { timeoutMs: -1 }, 'createRedisStore.timeoutMs must be a number of milliseconds from 1 to 2147483647, received -1'],
    ['an unknown option', { url: 'redis://x' }, 'unknown option createRedisStore.url (known: client, prefix, timeoutMs)'],
  ])('%s: a TypeError that names it', async (label, options, message) => {
    const client = label === 'a client that is neither' || label === 'no client' ? undefined : await redisClient('ioredis', redis.socket);
    if (client) opened.clients.push(client);
    expect(() => createRedisStore({ ...(client ? { client: client.client } : {}), ...options } as never)).toThrow(
      new TypeError(`axios-box-status: ${message}`),
    );
  });
});

describe.each(REDIS_CLIENT_KINDS)('the Redis store with %s', (kind) => {
  // A prefix of this client kind's own: the keys of one kind's run must not reach the next's.
  const shared = (name: string): string => `${name}:${kind}:`;

  it('a pause reaches every store at once, and is never shortened by a later, shorter one', async () => {
    const [a, b] = [await store(kind, shared('shared1')), await store(kind, shared('shared1'))];
    await sleep(50); // both subscribed
    a.pause('user-7', 1000);
    await eventually(() => b.pauseMs('user-7') > 900);
    expect(b.pauseMs('user-8')).toBe(0);
    expect(b.pauseMs()).toBeGreaterThan(900);
    b.pause('user-7', 200);
    await sleep(50);
    expect(a.pauseMs('user-7')).toBeGreaterThan(800);
    expect(b.pauseMs('user-7')).toBeGreaterThan(800);
    // In Redis too, where a store that missed the news looks: the key still runs the longer pause.
    const raw = await redisClient('ioredis', redis.socket);
    opened.clients.push(raw);
    const pttl = await (raw.client as { call(...args: string[]): Promise<number> }).call('PTTL', `${shared('shared1')}{s:user-7}:pause`);
    expect(pttl).toBeGreaterThan(800);
  });

  it('a time is kept past its window, so that a process with a wider window (a larger latency margin) still counts it', async () => {
    const [a, b] = [await store(kind, shared('widened')), await store(kind, shared('widened'))];
    const narrow = [{ name: 'calls', max: 2, perMs: 100 }];
    expect(await a.acquire('u', narrow)).toBe(0);
    await sleep(110);
    expect(await a.acquire('u', narrow)).toBe(0);
    // Both are within b's 400 ms window: b waits for the first to leave it.
    expect(await b.acquire('u', [{ name: 'calls', max: 2, perMs: 400 }])).toBeGreaterThan(150);
  });

  it('a pause of 0 ms (retry-after: 0) is no pause, and sharing goes on', async () => {
    const [a, b] = [await store(kind, shared('zero')), await store(kind, shared('zero'))];
    await sleep(50);
    a.pause('u', 0);
    a.pause('u', 0.4);
    await sleep(30);
    expect(a.status().shared).toBe(true);
    a.pause('u', 500);
    await eventually(() => b.pauseMs('u') > 300);
    expect(a.status().shared).toBe(true);
  });

  it('windows count every store\'s requests: at most max in any window, the rest told how long to wait', async () => {
    const [a, b] = [await store(kind, shared('shared2')), await store(kind, shared('shared2'))];
    const rules = [{ name: 'calls', max: 5, perMs: 400 }];
    const waits = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).acquire('user-1', rules)));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(5);
    for (const wait of waits.filter((w) => w > 0)) {
      expect(wait).toBeGreaterThan(300);
      expect(wait).toBeLessThanOrEqual(400);
    }
    // Another scope has windows of its own.
    expect(await a.acquire('user-2', rules)).toBe(0);
    await sleep(Math.max(...waits) + 5);
    expect(await b.acquire('user-1', rules)).toBe(0);
  });

  it('a request counts in all its windows or none', async () => {
    const a = await store(kind);
    const rules = [
      { name: 'calls', max: 10, perMs: 60_000 },
      { name: 'searches', max: 2, perMs: 60_000 },
    ];
    expect(await a.acquire('u', rules)).toBe(0);
    expect(await a.acquire('u', rules)).toBe(0);
    expect(await a.acquire('u', rules)).toBeGreaterThan(0);
    // The refused one was not counted in `calls`: 8 more fit there.
    const callsOnly = [{ name: 'calls', max: 10, perMs: 60_000 }];
    const more = await Promise.all(Array.from({ length: 9 }, () => a.acquire('u', callsOnly)));
    expect(more.filter((wait) => wait === 0)).toHaveLength(8);
  });

  it('a paused scope gets no slot: acquire answers the pause', async () => {
    const a = await store(kind);
    a.pause('u', 500);
    await sleep(20);
    const wait = await a.acquire('u', [{ name: 'calls', max: 100, perMs: 1000 }]);
    expect(wait).toBeGreaterThan(400);
  });

  it('the scripts are loaded again after SCRIPT FLUSH', async () => {
    const a = await store(kind);
    const rules = [{ name: 'calls', max: 100, perMs: 1000 }];
    expect(await a.acquire('u', rules)).toBe(0);
    const admin = await redisClient('ioredis', redis.socket);
    opened.clients.push(admin);
    await (admin.client as { call(...args: string[]): Promise<unknown> }).call('SCRIPT', 'FLUSH');
    expect(await a.acquire('u', rules)).toBe(0);
    expect(a.status().shared).toBe(true);
  });

  it('the keys of one scope share one hash slot (Redis Cluster safe)', async () => {
    const a = await store(kind, shared('slots'));
    a.pause('user-9', 100);
    await a.acquire('user-9', [
      { name: 'calls', max: 10, perMs: 1000 },
      { name: 'uploads', max: 10, perMs: 1000 },
    ]);
    await a.writeToken('service', { accessToken: 'token-in-redis-000' });
    await a.lockRefresh('service', 1000);
    await sleep(20);
    const admin = await redisClient('ioredis', redis.socket);
    opened.clients.push(admin);
    const keys = (await (admin.client as { keys(pattern: string): Promise<string[]> }).keys(`${shared('slots')}*`)).sort();
    const scoped = keys.filter((key) => key.includes('{s:user-9}'));
    expect(scoped).toHaveLength(3);
    expect(new Set(scoped.map(slotOf)).size).toBe(1);
    const auth = keys.filter((key) => key.includes('{a:service}'));
    expect(auth).toHaveLength(2);
    expect(new Set(auth.map(slotOf)).size).toBe(1);
  });

  it('tokens and the refresh lock are shared; only the holder releases the lock', async () => {
    const [a, b] = [await store(kind, shared('shared3')), await store(kind, shared('shared3'))];
    await a.writeToken('svc', { accessToken: 'shared-token-1234', expiresAt: Date.now() + 60_000, refreshToken: 'refresh-1234' });
    expect(await b.readToken('svc')).toMatchObject({ accessToken: 'shared-token-1234', refreshToken: 'refresh-1234' });
    expect(await a.lockRefresh('svc', 1000)).toBe(true);
    expect(await b.lockRefresh('svc', 1000)).toBe(false);
    await b.unlockRefresh('svc');
    expect(await b.lockRefresh('svc', 1000)).toBe(false);
    await a.unlockRefresh('svc');
    expect(await b.lockRefresh('svc', 1000)).toBe(true);
  });

  it('the refresh lock is a lease: only its owner renews or releases it, and once it lapses another takes it', async () => {
    const [a, b] = [await store(kind, shared('lease')), await store(kind, shared('lease'))];
    expect(await a.lockRefresh('svc', 300, 'refresh-1')).toBe(true);
    expect(await b.lockRefresh('svc', 300, 'refresh-1')).toBe(false);
    // The same owner name in another process is another holder.
    expect(await b.renewRefresh?.('svc', 5000, 'refresh-1')).toBe(false);
    expect(await a.renewRefresh?.('svc', 300, 'refresh-2')).toBe(false);
    for (let beat = 0; beat < 4; beat += 1) {
      await sleep(60);
      expect(await a.renewRefresh?.('svc', 300, 'refresh-1')).toBe(true);
    }
    // Renewed past its first 300 ms: still held.
    expect(await b.lockRefresh('svc', 150, 'refresh-9')).toBe(false);
    await b.unlockRefresh('svc', 'refresh-1');
    expect(await b.lockRefresh('svc', 150, 'refresh-9')).toBe(false);
    // Its holder stops renewing (it died): the lease lapses, and cannot be renewed after.
    await sleep(400);
    expect(await a.renewRefresh?.('svc', 300, 'refresh-1')).toBe(false);
    expect(await b.lockRefresh('svc', 1000, 'refresh-9')).toBe(true);
    await b.unlockRefresh('svc', 'refresh-9');
    expect(await a.lockRefresh('svc', 1000, 'refresh-3')).toBe(true);
  });

  it('counts the processes that share it', async () => {
    const a = await store(kind, shared('fleet-count'));
    await sleep(30);
    const b = await store(kind, shared('fleet-count'));
    await eventually(() => b.status().processes === 2);
    // The first learns of the second at its next beat, within a second or so.
    await eventually(() => a.status().processes === 2, 2500);
    await a.close();
    opened.stores.splice(opened.stores.indexOf(a), 1);
    const c = await store(kind, shared('fleet-count'));
    await eventually(() => c.status().processes === 2);
  });
});

describe('when Redis is slow or gone', () => {
  it('no call fails: the store answers from this process at once, and shares again when Redis is back', async () => {
    const a = await store('ioredis', 'outage:', 50);
    const rules = [{ name: 'calls', max: 4, perMs: 60_000 }];
    expect(await a.acquire('u', rules)).toBe(0);
    await redis.kill();
    try {
      const started = Date.now();
      // Alone (1 process seen), its share is the whole limit: 4, counted here from now on.
      const waits = [];
      for (let i = 0; i < 5; i += 1) waits.push(await a.acquire('u', rules));
      expect(Date.now() - started).toBeLessThan(500);
      expect(waits.filter((wait) => wait === 0)).toHaveLength(4);
      expect(a.status().shared).toBe(false);
      a.pause('u', 300);
      expect(a.pauseMs('u')).toBeGreaterThan(200);
      await a.writeToken('svc', { accessToken: 'kept-here-0000' });
      expect(await a.readToken('svc')).toMatchObject({ accessToken: 'kept-here-0000' });
      expect(await a.lockRefresh('svc', 1000)).toBe(true);
      expect(await a.lockRefresh('svc', 1000)).toBe(false);
      // A lease taken here while Redis is away: its holder carries on renewing it.
      expect(await a.lockRefresh('svc-2', 1000, 'refresh-1')).toBe(true);
      expect(await a.renewRefresh?.('svc-2', 1000, 'refresh-1')).toBe(true);
    } finally {
      await redis.restart();
    }
    // After the back-off, the next command finds Redis again.
    await sleep(1100);
    await eventually(() => {
      void a.acquire('v', rules);
      return a.status().shared;
    }, 3000);
  });

  it('an instance on a store whose Redis is gone still sends every call', async () => {
    const api = await startBoxServer();
    opened.servers.push(api);
    api.script('/files/1', [ok]);
    const a = await store('node-redis 6', 'outage2:', 50);
    const instance = axios.create({ baseURL: api.url });
    attachBoxStatus(instance, { store: a, rateLimit: { rules: [{ name: 'calls', max: 100, perMs: 1000 }] } });
    await redis.kill();
    try {
      const results = await Promise.all(Array.from({ length: 10 }, () => instance.get('/files/1')));
      expect(results.every((res) => res.status === 200)).toBe(true);
    } finally {
      await redis.restart();
    }
  });
});

describe('two instances on two stores, one Redis', () => {
  it('a 429 on one holds the other\'s requests for its Retry-After', async () => {
    const api = await startBoxServer();
    opened.servers.push(api);
    api.script('/limited', [tooMany('0.4'), ok]);
    api.script('/other', [ok]);
    const [storeA, storeB] = [await store('ioredis', 'pair:'), await store('node-redis 6', 'pair:')];
    await sleep(50);
    const one = axios.create({ baseURL: api.url });
    const two = axios.create({ baseURL: api.url });
    attachBoxStatus(one, { store: storeA, retry: { baseDelayMs: 1 } });
    attachBoxStatus(two, { store: storeB, retry: { baseDelayMs: 1 } });
    const limited = one.get('/limited');
    // `two` asks as soon as the 429 has been answered, while `one` waits out its Retry-After.
    await eventually(() => api.log.some((request) => request.path === '/limited'));
    await sleep(30);
    const res = await two.get('/other');
    expect(res.status).toBe(200);
    await limited;
    const otherAt = api.log.find((request) => request.path === '/other')?.receivedAt ?? 0;
    const limitedAt = api.log.find((request) => request.path === '/limited')?.receivedAt ?? 0;
    expect(otherAt - limitedAt).toBeGreaterThanOrEqual(390);
  });

  it('a request with shareRateLimit: false neither waits for the pause nor for Redis\'s copy of it, rate limit or not', async () => {
    const api = await startBoxServer();
    opened.servers.push(api);
    api.script('/files/1', [ok, ok]);
    const [storeA, storeB] = [await store('ioredis', 'unshared:'), await store('ioredis', 'unshared:')];
    await sleep(50);
    storeB.pause('default', 2000);
    await eventually(() => storeA.pauseMs('default') > 0);
    const instance = axios.create({ baseURL: api.url });
    attachBoxStatus(instance, { store: storeA, rateLimit: { rules: [{ name: 'wide', max: 1000, perMs: 1000 }] } });
    const started = performance.now();
    await instance.get('/files/1', { boxRetry: { shareRateLimit: false } });
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('a store made while Redis is away', () => {
  it.each(['ioredis', 'node-redis 6'] as const)('%s: close() does not wait for Redis to come back', async (kind) => {
    const client = await redisClient(kind, redis.socket);
    opened.clients.push(client);
    await redis.kill();
    try {
      const away = createRedisStore({ client: client.client, prefix: 'away:', timeoutMs: 50 });
      await sleep(100);
      const started = performance.now();
      await away.close();
      expect(performance.now() - started).toBeLessThan(500);
    } finally {
      await redis.restart();
    }
  });


  it('subscribes once Redis is back, and hears the pauses of the others', async () => {
    const client = await redisClient('ioredis', redis.socket);
    opened.clients.push(client);
    await redis.kill();
    const late = createRedisStore({ client: client.client, prefix: 'late:', timeoutMs: 50 });
    opened.stores.push(late);
    await sleep(150);
    // Not shared until Redis has answered once.
    expect(late.status().shared).toBe(false);
    await redis.restart();
    const other = await store('node-redis 6', 'late:');
    await eventually(() => late.status().shared && late.status().processes === 2, 5000);
    await sleep(100);
    other.pause('u', 2000);
    await eventually(() => late.pauseMs('u') > 1000, 2000);
  });
});
