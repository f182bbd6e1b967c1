import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import { createClient as createClient5 } from 'redis5';
import type { ClusterNode } from './redis-cluster.js';

/** A client of one of the kinds the Redis store takes, and how to let it go. */
export interface TestRedisClient {
  client: unknown;
  close(): Promise<void>;
}

export type RedisClientKind = 'ioredis' | 'node-redis 6' | 'node-redis 5';
export type ClusterClientKind = 'ioredis cluster' | 'node-redis cluster';

export const REDIS_CLIENT_KINDS: readonly RedisClientKind[] = ['ioredis', 'node-redis 6', 'node-redis 5'];
export const CLUSTER_CLIENT_KINDS: readonly ClusterClientKind[] = ['ioredis cluster', 'node-redis cluster'];

export interface ClientSetup {
  /** Options laid over the test's own (ioredis: the client's; node-redis: the client's, `socket` merged). */
  options?: Record<string, unknown>;
  /** false: hand the client over unconnected (ioredis connects on its first command unless lazy). */
  connect?: boolean;
}

/** An ioredis client that is let go even when Redis does not answer (its QUIT would wait). */
function ioredisClosable(client: Redis | Cluster): TestRedisClient {
  client.on('error', () => {});
  return {
    client,
    close: async () => {
      if (client.status !== 'ready') return client.disconnect();
      await Promise.race([client.quit(), new Promise((resolve) => setTimeout(resolve, 500))]).catch(() => undefined);
      client.disconnect();
    },
  };
}

/** A node-redis client or cluster, let go even when Redis does not answer. */
function nodeRedisClosable(client: { isReady?: boolean; isOpen: boolean; close(): Promise<unknown>; destroy(): unknown }): TestRedisClient {
  return {
    client,
    close: async () => {
      if (!client.isOpen) return;
      if (client.isReady === false) return void client.destroy();
      try {
        await Promise.race([client.close(), new Promise((_, reject) => setTimeout(reject, 500))]);
      } catch {
        client.destroy();
      }
    },
  };
}

const ready = (client: Redis | Cluster): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('end', () => reject(new Error('ioredis could not connect')));
  });

/** A client of `kind` on the server's unix socket, connected unless `setup.connect` is false. */
export async function redisClient(kind: RedisClientKind, socket: string, setup: ClientSetup = {}): Promise<TestRedisClient> {
  const { options = {}, connect = true } = setup;
  if (kind === 'ioredis') {
    const client = new Redis({ path: socket, maxRetriesPerRequest: 1, retryStrategy: () => 50, ...options });
    const closable = ioredisClosable(client);
    if (connect && !options.lazyConnect) await ready(client);
    return closable;
  }
  const { socket: socketOptions, ...rest } = options as { socket?: object };
  const merged = { socket: { path: socket, reconnectStrategy: () => 50, ...socketOptions }, ...rest };
  const client = kind === 'node-redis 6' ? createClient(merged) : createClient5(merged);
  client.on('error', () => {});
  if (connect) await client.connect();
  return nodeRedisClosable(client);
}

/** A client of `kind` on a cluster (its nodes as seeds), connected unless `setup.connect` is false. */
export async function clusterClient(kind: ClusterClientKind, nodes: readonly ClusterNode[], setup: ClientSetup = {}): Promise<TestRedisClient> {
  const { options = {}, connect = true } = setup;
  if (kind === 'ioredis cluster') {
    const client = new Cluster(
      nodes.map((node) => ({ ...node })),
      { clusterRetryStrategy: () => 50, redisOptions: { maxRetriesPerRequest: 1 }, ...options },
    );
    const closable = ioredisClosable(client);
    if (connect && !options.lazyConnect) await ready(client);
    return closable;
  }
  const client = createCluster({
    rootNodes: nodes.map((node) => ({ socket: { ...node } })),
    defaults: { socket: { reconnectStrategy: () => 50 } },
    ...options,
  });
  client.on('error', () => {});
  if (connect) await client.connect();
  return nodeRedisClosable(client);
}
