export { createRedisStore } from './redis-store.js';
export type { BoxRedisStore, BoxRedisStoreOptions } from './redis-store.js';
