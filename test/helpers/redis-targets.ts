// Where the Redis store's tests run: a single redis-server on a unix socket, or a three-master
// Redis Cluster, each with every client kind the store takes; an admin connection to look at what
// the store left in Redis; and what a test opened, closed after it.
import { Cluster, Redis } from 'ioredis';
import { afterEach } from 'vitest';
import { createRedisStore, type BoxRedisStore, type BoxRedisStoreOptions } from '../../src/redis/index.js';
import type { BoxServer } from './box-server.js';
import { clusterClient, redisClient, type ClientSetup, type ClusterClientKind, type RedisClientKind, type TestRedisClient } from './redis-clients.js';
import type { ClusterNode } from './redis-cluster.js';
import { sleep } from './time.js';

/** Commands on the Redis a test runs on, whatever the store's client. */
export interface RedisAdmin {
  /** A command, routed by its key on a cluster. */
  call(...args: string[]): Promise<unknown>;
  /** Every key matching `pattern`, on every node. */
  keys(pattern: string): Promise<string[]>;
  /** A command on every node (every master of a cluster). */
  onEveryNode(...args: string[]): Promise<unknown[]>;
}

export interface RedisTarget {
  readonly name: string;
  readonly cluster: boolean;
  /** A fresh client, connected unless told otherwise; closed after the test. */
  client(setup?: ClientSetup): Promise<TestRedisClient>;
  /** The admin connection, made once per test. */
  admin(): Promise<RedisAdmin>;
}

/** Everything a test opened, closed after it: stores first, then clients, then servers. */
const opened: { stores: BoxRedisStore[]; clients: TestRedisClient[]; servers: BoxServer[] } = { stores: [], clients: [], servers: [] };
let admin: { admin: RedisAdmin; close(): void } | undefined;

/** Close, after each test of the calling file, what it opened here. */
export function closeAfterEach(): void {
  afterEach(async () => {
    await Promise.all(opened.stores.splice(0).map((store) => store.close()));
    await Promise.all(opened.clients.splice(0).map((client) => client.close()));
    await Promise.all(opened.servers.splice(0).map((server) => server.close()));
    admin?.close();
    admin = undefined;
  });
}

/** Closed after the test. */
export function track<T extends BoxRedisStore | TestRedisClient | BoxServer>(kind: 'stores' | 'clients' | 'servers', thing: T): T {
  (opened[kind] as T[]).push(thing);
  return thing;
}

/** A store on `client`, closed after the test. */
export function trackedStore(client: TestRedisClient, options: Omit<BoxRedisStoreOptions, 'client'> = {}): BoxRedisStore {
  return track('stores', createRedisStore({ client: client.client, ...options }));
}

let prefixes = 0;
/** A prefix of the test's own: tests do not see each other's keys and messages. */
export const freshPrefix = (name = 'test'): string => `${name}${(prefixes += 1)}:`;

/** Wait until `check` holds (a message through Redis takes a moment). */
export async function eventually(check: () => boolean | Promise<boolean>, withinMs = 2000): Promise<void> {
  const until = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('the condition did not come true in time');
    await sleep(5);
  }
}

/** Wait until every store shares (Redis answers and its subscription is live). */
export const sharing = (...stores: BoxRedisStore[]): Promise<void> =>
  eventually(() => stores.every((store) => store.status().shared), 5000);

export function singleTarget(kind: RedisClientKind, socket: () => string): RedisTarget {
  return {
    name: kind,
    cluster: false,
    client: async (setup) => track('clients', await redisClient(kind, socket(), setup)),
    async admin() {
      if (!admin) {
        const client = new Redis({ path: socket(), maxRetriesPerRequest: 1 });
        client.on('error', () => {});
        const call = (...args: string[]) => client.call(...(args as [string, ...string[]]));
        admin = {
          admin: { call, keys: (pattern) => client.keys(pattern), onEveryNode: async (...args) => [await call(...args)] },
          close: () => client.disconnect(),
        };
      }
      return admin.admin;
    },
  };
}

export function clusterTarget(kind: ClusterClientKind, nodes: () => readonly ClusterNode[]): RedisTarget {
  return {
    name: kind,
    cluster: true,
    client: async (setup) => track('clients', await clusterClient(kind, nodes(), setup)),
    async admin() {
      if (!admin) {
        const client = new Cluster(nodes().map((node) => ({ ...node })));
        client.on('error', () => {});
        await new Promise((resolve) => client.once('ready', resolve));
        const masters = () => client.nodes('master');
        const onEveryNode = (...args: string[]) => Promise.all(masters().map((node) => node.call(...(args as [string, ...string[]]))));
        admin = {
          admin: {
            call: (...args) => client.call(...(args as [string, ...string[]])),
            keys: async (pattern) => (await Promise.all(masters().map((node) => node.keys(pattern)))).flat(),
            onEveryNode,
          },
          close: () => client.disconnect(),
        };
      }
      return admin.admin;
    },
  };
}
