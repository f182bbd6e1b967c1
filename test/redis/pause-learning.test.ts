// A pause Redis holds reaches a process however it began: before the process (or its store, or
// its subscription) was there, while its subscription was lost, or just as it was being made.
// Real redis-server (a single node and a three-master cluster), every client kind.
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachBoxStatus } from '../../src/index.js';
import { ok, startBoxServer } from '../helpers/box-server.js';
import { CLUSTER_CLIENT_KINDS, REDIS_CLIENT_KINDS } from '../helpers/redis-clients.js';
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

/** A pause as a process that left (or that this one never heard) set it: in Redis, not published. */
const pauseInRedis = async (target: RedisTarget, prefix: string, scope: string, ms: number): Promise<void> =>
  void (await (await target.admin()).call('SET', `${prefix}{s:${scope}}:pause`, '1', 'PX', String(ms)));

let users = 0;

describe.each(TARGETS.map((target) => [target.name, target] as const))('%s', (_name, target) => {
  it('a store made during a pause knows it before the scope\'s first request; a scope without one reads none', async () => {
    const prefix = freshPrefix('late');
    const setAt = performance.now();
    await pauseInRedis(target, prefix, 'u', 3000);
    const late = trackedStore(await target.client(), { prefix, timeoutMs: 2000 });
    expect(late.pauseMs('u')).toBe(0);
    await late.learnPause?.('u');
    // To its end in Redis, at least (which came no sooner than 3000 ms after setAt; PTTL is whole ms).
    expect(late.pauseMs('u')).toBeGreaterThanOrEqual(3000 - (performance.now() - setAt) - 1);
    await late.learnPause?.('v');
    expect(late.pauseMs('v')).toBe(0);
    // Read once the subscription is live, a scope is known: its pauses arrive as news from then on.
    await sharing(late);
    await late.learnPause?.('v');
    expect(late.learnPause?.('v')).toBeUndefined();
  });

  it.each([
    ['without rateLimit', undefined],
    ['with a rule that the request does not match (searches only)', { rules: [{ name: 'searches', max: 6, perMs: 1000, match: 'search' as const }] }],
  ])('an instance on a store made during a pause sends nothing into it, %s', async (_label, rateLimit) => {
    const api = track('servers', await startBoxServer());
    api.script('/files/1', [ok]);
    const prefix = freshPrefix('late-instance');
    const startedAt = performance.now();
    await pauseInRedis(target, prefix, 'default', 400);
    const late = trackedStore(await target.client(), { prefix, timeoutMs: 2000 });
    const instance = axios.create({ baseURL: api.url });
    attachBoxStatus(instance, { store: late, ...(rateLimit ? { rateLimit } : {}) });
    await Promise.all([instance.get('/files/1'), instance.get('/files/1')]);
    // Both were held until the pause Redis had when the store was made had run out.
    for (const request of api.log) expect(request.receivedAt - startedAt).toBeGreaterThanOrEqual(400);
  });

  it('a pause published as the store is being made (before its subscription is live) is not missed', async () => {
    const prefix = freshPrefix('early');
    const other = trackedStore(await target.client(), { prefix, timeoutMs: 2000 });
    await sharing(other);
    const scope = `user-${(users += 1)}`;
    const fresh = trackedStore(await target.client(), { prefix, timeoutMs: 2000 });
    // Read before the subscription is live: not known, so read again for the next request.
    await fresh.learnPause?.(scope);
    other.pause(scope, 2000);
    await sleep(20);
    await fresh.learnPause?.(scope);
    await eventually(() => fresh.pauseMs(scope) > 1000);
  });
});

describe.each(TARGETS.map((target) => [target.name, target] as const))('%s, the subscription lost', (_name, target) => {
  it('while it cannot be made again, each request reads the pause, and status() says the store does not share; once it is back, the pauses missed are read again', async () => {
    const admin = await target.admin();
    const user = `store-user-${(users += 1)}`;
    // A user of the store's own, so that its connections (and only they) can be cut off and kept
    // from subscribing (SUBSCRIBE refused by the ACL).
    const setUser = (...rules: string[]) => admin.onEveryNode('ACL', 'SETUSER', user, ...rules);
    await setUser('on', '>store-secret', '~*', '&*', '+@all');
    const credentials = { username: user, password: 'store-secret' };
    const options = target.cluster && target.name.startsWith('node-redis') ? { defaults: { ...credentials, socket: { reconnectStrategy: () => 50 } } } : target.cluster ? { redisOptions: { ...credentials, maxRetriesPerRequest: 1 } } : credentials;
    const prefix = freshPrefix('lost');
    const store = trackedStore(await target.client({ options }), { prefix, timeoutMs: 2000 });
    await sharing(store);
    await store.learnPause?.('u');
    await store.learnPause?.('w');
    expect(store.learnPause?.('u')).toBeUndefined();
    const connectionsAt = async () =>
      (await admin.onEveryNode('INFO', 'stats')).reduce((sum: number, info) => sum + Number(/total_connections_received:(\d+)/.exec(String(info))?.[1]), 0);

    // Cut off, and kept from subscribing again.
    await setUser('-subscribe');
    await admin.onEveryNode('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await eventually(() => !store.status().shared);
    // Its news is missed: what a request of `u` finds out, it reads.
    await pauseInRedis(target, prefix, 'u', 3000);
    await pauseInRedis(target, prefix, 'w', 3000);
    const reading = store.learnPause?.('u');
    expect(reading).toBeInstanceOf(Promise);
    await reading;
    expect(store.pauseMs('u')).toBeGreaterThan(2000);
    // Commands answer, but the store does not share: it hears nothing. And it does not make a new
    // connection every moment meanwhile (one subscriber, made again only when lost).
    const before = await connectionsAt();
    await sleep(1200);
    expect(store.status().shared).toBe(false);
    expect((await connectionsAt()) - before).toBeLessThanOrEqual(1);

    // Let it subscribe again: once it has, the scope it knew before (`w`) is read again unasked.
    await setUser('+subscribe');
    await admin.onEveryNode('CLIENT', 'KILL', 'USER', user);
    await sharing(store);
    await eventually(() => store.pauseMs('w') > 1000);
    await admin.onEveryNode('ACL', 'DELUSER', user);
  });
});

describe('what the channel and Redis tell a store', () => {
  const target = singleTarget('ioredis', () => redis.socket);

  it('a message that is not a pause is ignored', async () => {
    const prefix = freshPrefix('garbled');
    const store = trackedStore(await target.client(), { prefix, timeoutMs: 2000 });
    await sharing(store);
    const admin = await target.admin();
    for (const message of ['garbled', '0\nu', '-5\nu', '\nu', 'NaN\nu']) await admin.call('PUBLISH', `${prefix}pauses`, message);
    // Heard after them (one connection, in order): by then they have been ignored.
    await admin.call('PUBLISH', `${prefix}pauses`, '800\nmarker');
    await eventually(() => store.pauseMs('marker') > 500);
    expect(store.pauseMs('u')).toBe(0);
  });

  it('a process acting for many users keeps no more than 1024 of them known: past that, each is read again on its next use', async () => {
    const prefix = freshPrefix('many');
    const store = trackedStore(await target.client(), { prefix, timeoutMs: 2000 });
    await sharing(store);
    for (let user = 0; user < 1024; user += 1) await store.learnPause?.(`user-${user}`);
    expect(store.learnPause?.('user-0')).toBeUndefined();
    expect(store.learnPause?.('user-1023')).toBeUndefined();
    // The 1025th: the known ones are forgotten, and read again when next used.
    await store.learnPause?.('user-1024');
    expect(store.learnPause?.('user-1024')).toBeUndefined();
    const again = store.learnPause?.('user-0');
    expect(again).toBeInstanceOf(Promise);
    await again;
  });
});
