import { atMost, keepOpen, pick, type RedisLink } from './link.js';

type Method = (...args: unknown[]) => unknown;

export interface IoRedisLike {
  status: unknown;
  call: Method;
  duplicate: Method;
  /** A `Cluster`'s nodes (its masters once it has connected). */
  nodes?: (role: 'master') => readonly IoRedisLike[];
}

interface IoRedisConnection {
  readonly status: string;
  subscribe(channel: string): Promise<unknown>;
  on(event: 'error' | 'end', listener: () => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

// The subscriber is the store's own, whatever the app's client is set up with: it connects at once
// (the app's client may be lazy), subscribes itself each time it is ready (no offline queue needed,
// and no resubscription left to the client), and does not reconnect by itself: the store makes a
// new one, on a cluster on whichever master is there then.
const SUBSCRIBER_OPTIONS = { lazyConnect: false, autoResubscribe: false, retryStrategy: () => null };

/** The link to an ioredis `Redis` or `Cluster`. */
export function ioredisLink(client: IoRedisLike): RedisLink {
  const masters = client.nodes?.bind(client);
  return {
    kind: 'ioredis',
    command: (args) => Promise.resolve(client.call(...args)),
    subscribe: (channel, events) =>
      keepOpen(events, (hooks) => {
        // A cluster sends every message to every node: one master's connection hears them all.
        const source = masters ? pick(masters('master')) : client;
        if (!source) return undefined;
        const connection = source.duplicate(SUBSCRIBER_OPTIONS) as IoRedisConnection;
        // A connection error ends it ('end' follows): unheard, Node would throw it.
        connection.on('error', () => {});
        connection.on('end', () => hooks.ended());
        // Subscribed to the one channel: every message is from it.
        connection.on('message', (_channel, message) => events.message(message));
        // Refused (an ACL without SUBSCRIBE): the store goes on unsubscribed, asking Redis instead.
        connection.on('ready', () => void connection.subscribe(channel).then(() => hooks.live(), () => {}));
        return {
          async end(withinMs) {
            if (connection.status === 'ready') await atMost(connection.quit(), withinMs);
            connection.disconnect();
          },
        };
      }),
  };
}
