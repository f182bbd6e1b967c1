import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createClient as createClient5 } from 'redis5';

/** A connected client of one of the kinds the Redis store takes, and how to let it go. */
export interface TestRedisClient {
  client: unknown;
  close(): Promise<void>;
}

export type RedisClientKind = 'ioredis' | 'node-redis 6' | 'node-redis 5';

export const REDIS_CLIENT_KINDS: readonly RedisClientKind[] = ['ioredis', 'node-redis 6', 'node-redis 5'];

/** A client of `kind` on the server's unix socket, connected. */
export async function redisClient(kind: RedisClientKind, socket: string): Promise<TestRedisClient> {
  if (kind === 'ioredis') {
    const client = new Redis({ path: socket, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    client.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('end', () => reject(new Error('ioredis could not connect')));
    });
    return { client, close: async () => void (await client.quit().catch(() => client.disconnect())) };
  }
  const options = { socket: { path: socket, reconnectStrategy: () => 50 } };
  const client = kind === 'node-redis 6' ? createClient(options) : createClient5(options);
  client.on('error', () => {});
  await client.connect();
  return {
    client,
    // node-redis's close() waits for a reconnection that may never come: a client not ready is destroyed.
    close: async () => {
      if (!client.isReady) return client.destroy();
      try {
        await client.close();
      } catch {
        client.destroy();
      }
    },
  };
}
