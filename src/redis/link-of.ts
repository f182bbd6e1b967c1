import { hasMethods } from '../options/rules.js';
import { ioredisLink, type IoRedisLike } from './ioredis-link.js';
import type { RedisLink } from './link.js';
import { nodeRedisLink, type NodeRedisLike } from './node-redis-link.js';

/**
 * The link to a user's client: ioredis (a `Redis` or a `Cluster`, told by `call` and `status`) or
 * node-redis 5 and later (a client or a cluster, told by `sendCommand` and `isOpen`). Undefined
 * for anything else.
 */
export function linkOf(client: unknown): RedisLink | undefined {
  if (hasMethods(client, ['call', 'duplicate']) && 'status' in (client as object)) return ioredisLink(client as IoRedisLike);
  if (hasMethods(client, ['sendCommand']) && 'isOpen' in (client as object)) return nodeRedisLink(client as NodeRedisLike);
  return undefined;
}

