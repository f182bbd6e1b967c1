import { atMost, keepOpen, pick, type RedisLink } from './link.js';

type Method = (...args: unknown[]) => unknown;

export interface NodeRedisLike {
  isOpen: unknown;
  sendCommand: Method;
  duplicate?: Method;
  /** A cluster's (the way it is told from a client). */
  getSlotMaster?: Method;
  /** A cluster's masters, once it has connected; each with its client once that is made. */
  masters?: ReadonlyArray<{ client?: NodeRedisLike }>;
  nodeClient?: Method;
  options?: { socket?: object };
}

interface NodeRedisConnection {
  readonly isReady: boolean;
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  on(event: 'error', listener: () => void): unknown;
  close(): Promise<unknown>;
  destroy(): void;
}

/** The link to a node-redis client or cluster (node-redis 5 and later). */
export function nodeRedisLink(client: NodeRedisLike): RedisLink {
  const cluster = typeof client.getSlotMaster === 'function';
  return {
    kind: 'node-redis',
    // A cluster routes by the command's first key; a client takes the command alone.
    command: (args, key) =>
      Promise.resolve(cluster ? client.sendCommand(key, false, [...args]) : client.sendCommand([...args])),
    subscribe: (channel, events) =>
      keepOpen(events, (hooks) => {
        const source = cluster ? masterClient(client) : client;
        if (!source?.duplicate) return undefined;
        // Its own connection, as the app's client is set up, except that it does not reconnect by
        // itself (the store makes a new one); subscribed once connected, so no offline queue is needed.
        const connection = source.duplicate({
          socket: { ...source.options?.socket, reconnectStrategy: false },
        }) as NodeRedisConnection;
        let ending = false;
        const ended = (): void => {
          if (!connection.isOpen) hooks.ended();
        };
        connection.on('error', ended);
        connection
          .connect()
          .then(() => {
            // Ended while connecting: node-redis may still finish connecting the socket it had begun.
            if (ending) return connection.destroy();
            return connection.subscribe(channel, (message) => events.message(message)).then(() => hooks.live());
          })
          // Refused (an ACL without SUBSCRIBE): the store goes on unsubscribed, asking Redis instead.
          .catch(ended);
        return {
          async end(withinMs) {
            ending = true;
            if (connection.isReady) await atMost(connection.close(), withinMs);
            try {
              connection.destroy();
            } catch {
              // Already closed: node-redis 5 says so by throwing.
            }
          },
        };
      }),
  };
}

/**
 * A client of one of a cluster's masters (a cluster sends every message to every node), or
 * undefined while the cluster has none connected yet (asked to connect one, for the next try).
 */
function masterClient(cluster: NodeRedisLike): NodeRedisLike | undefined {
  const master = pick(cluster.masters);
  if (master && !master.client) void Promise.resolve(cluster.nodeClient?.(master)).catch(() => {});
  return master?.client;
}
