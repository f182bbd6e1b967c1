// Any client setup that works for commands works for sharing: the store's subscription is made
// and kept whatever the app's client is set up with, and status().shared says so only once it is.
// Each setup: a store on such a client hears (never asks for) a pause another store sets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoxRedisStore } from '../../src/redis/index.js';
import type { ClientSetup } from '../helpers/redis-clients.js';
import { startRedisCluster, type RedisCluster } from '../helpers/redis-cluster.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { closeAfterEach, clusterTarget, eventually, freshPrefix, sharing, singleTarget, trackedStore, type RedisTarget } from '../helpers/redis-targets.js';

let redis: RedisServer;
let cluster: RedisCluster;
beforeAll(async () => {
  [redis, cluster] = await Promise.all([startRedis(), startRedisCluster()]);
}, 30_000);
afterAll(async () => {
  await Promise.all([redis.close(), cluster.close()]);
});
closeAfterEach();

const single = (kind: Parameters<typeof singleTarget>[0]) => singleTarget(kind, () => redis.socket);
const clustered = (kind: Parameters<typeof clusterTarget>[0]) => clusterTarget(kind, () => cluster.nodes);

interface Setup {
  target: RedisTarget;
  client: ClientSetup;
  /** What the app does after making the store (connect its client, ...). */
  then?: (client: unknown) => Promise<unknown>;
  /** What happens to Redis once the store shares (a restart). */
  meanwhile?: () => Promise<void>;
}

const connect = (client: unknown) => (client as { connect(): Promise<unknown> }).connect();

const SETUPS: ReadonlyArray<[string, () => Setup]> = [
  ['ioredis, enableOfflineQueue: false', () => ({ target: single('ioredis'), client: { options: { enableOfflineQueue: false } } })],
  ['ioredis, lazyConnect: true, not yet connected', () => ({ target: single('ioredis'), client: { options: { lazyConnect: true }, connect: false } })],
  [
    'ioredis, lazyConnect and enableOfflineQueue: false, not yet connected',
    () => ({ target: single('ioredis'), client: { options: { lazyConnect: true, enableOfflineQueue: false }, connect: false } }),
  ],
  [
    'ioredis, autoResubscribe: false, after Redis restarted',
    () => ({
      target: single('ioredis'),
      client: { options: { autoResubscribe: false } },
      meanwhile: async () => {
        await redis.kill();
        await redis.restart();
      },
    }),
  ],
  ['node-redis 6, disableOfflineQueue', () => ({ target: single('node-redis 6'), client: { options: { disableOfflineQueue: true } } })],
  ['node-redis 5, disableOfflineQueue', () => ({ target: single('node-redis 5'), client: { options: { disableOfflineQueue: true } } })],
  ['node-redis 6, connected after the store was made', () => ({ target: single('node-redis 6'), client: { connect: false }, then: connect })],
  ['node-redis 5, connected after the store was made', () => ({ target: single('node-redis 5'), client: { connect: false }, then: connect })],
  [
    'node-redis 6, disableOfflineQueue, after Redis restarted',
    () => ({
      target: single('node-redis 6'),
      client: { options: { disableOfflineQueue: true } },
      meanwhile: async () => {
        await redis.kill();
        await redis.restart();
      },
    }),
  ],
  ['ioredis cluster, enableOfflineQueue: false', () => ({ target: clustered('ioredis cluster'), client: { options: { enableOfflineQueue: false } } })],
  ['ioredis cluster, lazyConnect: true, not yet connected', () => ({ target: clustered('ioredis cluster'), client: { options: { lazyConnect: true }, connect: false } })],
  ['node-redis cluster, connected after the store was made', () => ({ target: clustered('node-redis cluster'), client: { connect: false }, then: connect })],
  ['node-redis cluster, minimizeConnections: true', () => ({ target: clustered('node-redis cluster'), client: { options: { minimizeConnections: true } } })],
];

describe.each(SETUPS)('%s', (_name, make) => {
  it('shares: status().shared once subscribed, and a pause another store sets is heard', async () => {
    const setup = make();
    const prefix = freshPrefix('setup');
    const client = await setup.target.client(setup.client);
    const store: BoxRedisStore = trackedStore(client, { prefix, timeoutMs: 2000 });
    await setup.then?.(client.client);
    const other = trackedStore(await setup.target.client(), { prefix, timeoutMs: 2000 });
    await sharing(store, other);
    if (setup.meanwhile) {
      await setup.meanwhile();
      await sharing(store, other);
    }
    other.pause('u', 2000);
    // Never asked: the news came on its subscription.
    await eventually(() => store.pauseMs('u') > 1000);
    expect(store.status().shared).toBe(true);
  });
});
