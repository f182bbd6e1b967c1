/**
 * A {@link BoxRedisStore} for a fleet: every process sharing one Redis shares a Box user's
 * pauses, rate limits and token. Node only; bring your own ioredis or node-redis client.
 *
 * @module axios-box-status/redis
 */
export { createRedisStore } from './redis-store.js';
export type { BoxRedisStore, BoxRedisStoreOptions } from './redis-store-types.js';
