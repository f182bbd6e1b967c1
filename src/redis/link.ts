import { hasMethods } from '../options/rules.js';

/** What the store needs of a Redis client: one command at a time, and a subscription. */
export interface RedisLink {
  /** Which kind of client it is. */
  readonly kind: 'ioredis' | 'node-redis';
  /** Send a command; `key` routes it on a cluster (the key the command touches). */
  command(args: readonly string[], key?: string): Promise<unknown>;
  /**
   * Subscribe to `channel` on a connection of its own. `ready` settles once subscribed (rejects
   * when that failed: the connection is then closed); `close()` ends it at any moment, even one
   * still connecting.
   */
  subscribe(channel: string, onMessage: (message: string) => void): Subscription;
}

export interface Subscription {
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

type Method = (...args: unknown[]) => unknown;

interface IoRedisLike {
  status: unknown;
  call: Method;
  duplicate: Method;
}

interface NodeRedisLike {
  isOpen: unknown;
  sendCommand: Method;
  duplicate?: Method;
  subscribe?: Method;
  unsubscribe?: Method;
  getSlotMaster?: Method;
}

interface IoRedisSubscriber {
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
  readonly status: string;
}

interface NodeRedisSubscriber {
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  quit?(): Promise<unknown>;
  close?(): Promise<unknown>;
  destroy?(): void;
}

/**
 * The link to a user's client: ioredis (a `Redis` or a `Cluster`, told by `call` and `status`) or
 * node-redis 4 and later (a client or a cluster, told by `sendCommand` and `isOpen`). Undefined
 * for anything else.
 */
export function linkOf(client: unknown): RedisLink | undefined {
  if (hasMethods(client, ['call', 'duplicate']) && 'status' in (client as object)) return ioredisLink(client as IoRedisLike);
  if (hasMethods(client, ['sendCommand']) && 'isOpen' in (client as object)) return nodeRedisLink(client as NodeRedisLike);
  return undefined;
}

function ioredisLink(client: IoRedisLike): RedisLink {
  return {
    kind: 'ioredis',
    command: (args) => Promise.resolve(client.call(...args)),
    subscribe(channel, onMessage) {
      const subscriber = client.duplicate() as IoRedisSubscriber;
      // A connection error is the client's to retry; unheard, Node would throw it.
      subscriber.on('error', () => {});
      subscriber.on('message', (from, message) => {
        if (from === channel) onMessage(message);
      });
      const ready = Promise.resolve(subscriber.subscribe(channel)).then(
        () => undefined,
        (error: unknown) => {
          subscriber.disconnect();
          throw error;
        },
      );
      return {
        ready,
        async close() {
          // Not connected (Redis away): a QUIT would wait in the offline queue; stop reconnecting now.
          if (subscriber.status !== 'ready') subscriber.disconnect();
          else await subscriber.quit().catch(() => subscriber.disconnect());
        },
      };
    },
  };
}

function nodeRedisLink(client: NodeRedisLike): RedisLink {
  const cluster = typeof client.getSlotMaster === 'function';
  return {
    kind: 'node-redis',
    // A cluster routes by the command's first key; a client takes the command alone.
    command: (args, key) =>
      Promise.resolve(cluster ? client.sendCommand(key, false, [...args]) : client.sendCommand([...args])),
    subscribe(channel, onMessage) {
      if (cluster) {
        // A cluster keeps its subscriptions on a connection of its own.
        const ready = Promise.resolve(client.subscribe?.(channel, onMessage)).then(() => undefined);
        return {
          ready,
          async close() {
            await Promise.resolve(client.unsubscribe?.(channel, onMessage)).catch(() => undefined);
          },
        };
      }
      const subscriber = client.duplicate?.() as NodeRedisSubscriber;
      subscriber.on('error', () => {});
      let closed = false;
      const end = async (): Promise<void> => {
        try {
          await (subscriber.close ?? subscriber.quit)?.call(subscriber);
        } catch {
          subscriber.destroy?.();
        }
      };
      const ready = (async () => {
        try {
          await subscriber.connect();
          await subscriber.subscribe(channel, onMessage);
        } catch (error) {
          subscriber.destroy?.();
          throw error;
        }
        if (closed) await end();
      })();
      return {
        ready,
        async close() {
          closed = true;
          // Still connecting (Redis away): stop its reconnecting now, or the process never exits.
          if (!subscriber.isReady) subscriber.destroy?.();
          else await end();
        },
      };
    },
  };
}
