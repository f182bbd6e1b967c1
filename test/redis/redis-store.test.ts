// The Redis store against a real redis-server, with each client the store takes, on a single
// node and on a three-master Redis Cluster.
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/redis/index.js';
import { attachBoxStatus } from '../../src/index.js';
import { ok, startBoxServer, tooMany } from '../helpers/box-server.js';
import { CLUSTER_CLIENT_KINDS, REDIS_CLIENT_KINDS, redisClient, type RedisClientKind } from '../helpers/redis-clients.js';
import { startRedisCluster, type RedisCluster } from '../helpers/redis-cluster.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import {
  closeAfterEach,
  clusterTarget,
  eventually,
  freshPrefix,
  sharing,
  singleTarget,
  track,
  trackedStore,
  type RedisTarget,
} from '../helpers/redis-targets.js';
import { sleep } from '../helpers/time.js';

let redis: RedisServer;
let cluster: RedisCluster;
beforeAll(async () => {
  [redis, cluster] = await Promise.all([startRedis(), startRedisCluster()]);
}, 30_000);
afterAll(async () => {
  await Promise.all([redis.close(), cluster.close()]);
});
closeAfterEach();

const TARGETS: readonly RedisTarget[] = [
  ...REDIS_CLIENT_KINDS.map((kind) => singleTarget(kind, () => redis.socket)),
  ...CLUSTER_CLIENT_KINDS.map((kind) => clusterTarget(kind, () => cluster.nodes)),
];

// What these tests check is what Redis shares, not how slow it may be: a loaded machine must not
// make a store carry on alone (the outage tests, in redis-outage.test.ts, set their own).
const TIMEOUT_MS = 2000;

/** A store of a single node's client of `kind`, under a prefix of the test's own unless given. */
async function store(kind: RedisClientKind, prefix = freshPrefix()) {
  const client = track('clients', await redisClient(kind, redis.socket));
  return trackedStore(client, { prefix, timeoutMs: TIMEOUT_MS });
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
    const client = label === 'a client that is neither' || label === 'no client' ? undefined : track('clients', await redisClient('ioredis', redis.socket));
    expect(() => createRedisStore({ ...(client ? { client: client.client } : {}), ...options } as never)).toThrow(
      new TypeError(`axios-box-status: ${message}`),
    );
  });
});

describe.each(TARGETS.map((target) => [target.name, target] as const))('the Redis store with %s', (kind, target) => {
  // A prefix of this client kind's own: the keys of one kind's run must not reach the next's.
  const shared = (name: string): string => `${name}:${kind}:`;
  const store = async (prefix = freshPrefix()) => trackedStore(await target.client(), { prefix, timeoutMs: TIMEOUT_MS });

  it('a pause reaches every store at once, and is never shortened by a later, shorter one', async () => {
    const [a, b] = [await store(shared('shared1')), await store(shared('shared1'))];
    await sharing(a, b);
    const pausedAt = performance.now();
    /** What is left of a pause of `ms` set at pausedAt, at the least (its end in Redis came no sooner). */
    const left = (ms: number): number => ms - (performance.now() - pausedAt) - 1;
    a.pause('user-7', 3000);
    await eventually(() => b.pauseMs('user-7') > 0);
    expect(b.pauseMs('user-7')).toBeGreaterThanOrEqual(left(3000));
    expect(b.pauseMs('user-8')).toBe(0);
    expect(b.pauseMs()).toBeGreaterThanOrEqual(left(3000));
    b.pause('user-7', 200);
    await sleep(50);
    expect(a.pauseMs('user-7')).toBeGreaterThanOrEqual(left(3000));
    expect(b.pauseMs('user-7')).toBeGreaterThanOrEqual(left(3000));
    // In Redis too, where a store that missed the news looks: the key still runs the longer pause.
    const pttl = Number(await (await target.admin()).call('PTTL', `${shared('shared1')}{s:user-7}:pause`));
    expect(pttl).toBeGreaterThanOrEqual(left(3000));
    expect(pttl).toBeGreaterThan(800);
  });

  it('a time is kept past its window, so that a process with a wider window (a larger latency margin) still counts it', async () => {
    const [a, b] = [await store(shared('widened')), await store(shared('widened'))];
    const narrow = [{ name: 'calls', max: 2, perMs: 100 }];
    const firstAt = performance.now();
    expect(await a.acquire('u', narrow)).toBe(0);
    await sleep(110);
    expect(await a.acquire('u', narrow)).toBe(0);
    // Both are within b's 1000 ms window: b waits for the first to leave it.
    const wait = await b.acquire('u', [{ name: 'calls', max: 2, perMs: 1000 }]);
    expect(wait).toBeGreaterThan(150);
    // When the first was counted (no sooner than `firstAt`) and 1000 ms: a whole ms either way.
    expect(wait).toBeGreaterThanOrEqual(1000 - (performance.now() - firstAt) - 1);
  });

  it('a pause of 0 ms (retry-after: 0) is no pause, and sharing goes on', async () => {
    const [a, b] = [await store(shared('zero')), await store(shared('zero'))];
    await sharing(a, b);
    a.pause('u', 0);
    a.pause('u', 0.4);
    await sleep(30);
    expect(a.status().shared).toBe(true);
    a.pause('u', 500);
    await eventually(() => b.pauseMs('u') > 300);
    expect(a.status().shared).toBe(true);
  });

  it('windows count every store\'s requests: at most max in any window, the rest told how long to wait', async () => {
    const [a, b] = [await store(shared('shared2')), await store(shared('shared2'))];
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
    const a = await store();
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
    const a = await store();
    a.pause('u', 500);
    await sleep(20);
    const wait = await a.acquire('u', [{ name: 'calls', max: 100, perMs: 1000 }]);
    expect(wait).toBeGreaterThan(400);
  });

  it('the scripts are loaded again after SCRIPT FLUSH', async () => {
    const a = await store();
    const rules = [{ name: 'calls', max: 100, perMs: 1000 }];
    expect(await a.acquire('u', rules)).toBe(0);
    await (await target.admin()).onEveryNode('SCRIPT', 'FLUSH');
    expect(await a.acquire('u', rules)).toBe(0);
    expect(a.status().shared).toBe(true);
  });

  it('the keys of one scope share one hash slot (Redis Cluster safe)', async () => {
    const a = await store(shared('slots'));
    // The slot first: a scope already paused gets none (and no window is written).
    await a.acquire('user-9', [
      { name: 'calls', max: 10, perMs: 1000 },
      { name: 'uploads', max: 10, perMs: 1000 },
    ]);
    a.pause('user-9', 1000);
    await a.writeToken('service', { accessToken: 'token-in-redis-000' });
    await a.lockRefresh('service', 1000);
    await sleep(20);
    const keys = (await (await target.admin()).keys(`${shared('slots')}*`)).sort();
    const scoped = keys.filter((key) => key.includes('{s:user-9}'));
    expect(scoped).toHaveLength(3);
    expect(new Set(scoped.map(slotOf)).size).toBe(1);
    const auth = keys.filter((key) => key.includes('{a:service}'));
    expect(auth).toHaveLength(2);
    expect(new Set(auth.map(slotOf)).size).toBe(1);
  });

  it('tokens and the refresh lock are shared; only the holder releases the lock', async () => {
    const [a, b] = [await store(shared('shared3')), await store(shared('shared3'))];
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
    const [a, b] = [await store(shared('lease')), await store(shared('lease'))];
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

  it('closed at once, while its subscription is still being made: nothing is left subscribed', async () => {
    const prefix = freshPrefix('closed-early');
    const early = trackedStore(await target.client(), { prefix });
    const started = performance.now();
    await early.close();
    expect(performance.now() - started).toBeLessThan(1000);
    const admin = await target.admin();
    const subscribers = async () =>
      (await admin.onEveryNode('PUBSUB', 'NUMSUB', `${prefix}pauses`)).reduce((sum: number, answer) => sum + Number((answer as unknown[])[1]), 0);
    await sleep(300);
    expect(await subscribers()).toBe(0);
    // Another store under the prefix shares as ever.
    const later = await store(prefix);
    await sharing(later);
    expect(await subscribers()).toBe(1);
  });

  it('counts the processes that share it', async () => {
    const a = await store(shared('fleet-count'));
    await sleep(30);
    const b = await store(shared('fleet-count'));
    await eventually(() => b.status().processes === 2);
    // The first learns of the second at its next beat, within a second or so.
    await eventually(() => a.status().processes === 2, 2500);
    await a.close();
    const c = await store(shared('fleet-count'));
    await eventually(() => c.status().processes === 2);
  });
});

describe('two instances on two stores, one Redis', () => {
  it('a 429 on one holds the other\'s requests for its Retry-After', async () => {
    const api = await startBoxServer();
    track('servers', api);
    api.script('/limited', [tooMany('0.4'), ok]);
    api.script('/other', [ok]);
    const [storeA, storeB] = [await store('ioredis', 'pair:'), await store('node-redis 6', 'pair:')];
    await sharing(storeA, storeB);
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
    track('servers', api);
    api.script('/files/1', [ok, ok]);
    const [storeA, storeB] = [await store('ioredis', 'unshared:'), await store('ioredis', 'unshared:')];
    await sharing(storeA, storeB);
    storeB.pause('default', 2000);
    await eventually(() => storeA.pauseMs('default') > 0);
    const instance = axios.create({ baseURL: api.url });
    attachBoxStatus(instance, { store: storeA, rateLimit: { rules: [{ name: 'wide', max: 1000, perMs: 1000 }] } });
    const started = performance.now();
    await instance.get('/files/1', { boxRetry: { shareRateLimit: false } });
    expect(performance.now() - started).toBeLessThan(500);
  });
});
