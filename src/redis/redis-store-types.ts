import type { BoxEffectiveLimit, BoxRateWindow } from '../store/rate-types.js';
import type { BoxStateStore } from '../store/store-types.js';

/**
 * Options of {@link createRedisStore}.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createRedisStore, type BoxRedisStoreOptions } from 'axios-box-status/redis';
 *
 * const options: BoxRedisStoreOptions = { client: new Redis(process.env.REDIS_URL!), prefix: 'my-app:box:', timeoutMs: 200 };
 * const store = createRedisStore(options);
 * ```
 */
export interface BoxRedisStoreOptions {
  /**
   * The app's own client: ioredis (6) or node-redis (`redis` 5 or 6), a client or a cluster, set up
   * as the app likes (offline queue or not, lazy or not, connected now or later).
   */
  client: unknown;
  /**
   * Put before every key and the channel, so that several apps can share one Redis.
   * @default 'axios-box-status:'
   */
  prefix?: string | undefined;
  /**
   * How long one Redis command may take before the store carries on without Redis (and leaves it
   * alone for half a second before trying again). A reply that arrived in time but was read late,
   * because the process was busy, counts: a stall is not an outage. Also the most `close()` waits.
   * @default 100
   */
  timeoutMs?: number | undefined;
}

/**
 * A BoxStateStore shared through Redis, and what it needs beyond one.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { Redis } from 'ioredis';
 * import { attachBoxStatus } from 'axios-box-status';
 * import { createRedisStore } from 'axios-box-status/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL!);
 * const store = createRedisStore({ client: redis });
 * attachBoxStatus(axios.create({ baseURL: 'https://api.box.com/2.0' }), { store, rateLimit: true });
 * setInterval(() => console.log(store.status()), 10_000).unref(); // { shared: true, processes: 4, limits: [...] }
 * process.once('SIGTERM', async () => {
 *   await store.close();
 *   await redis.quit();
 * });
 * ```
 */
export interface BoxRedisStore extends BoxStateStore {
  /**
   * Whether the store shares with the fleet now (Redis answered the last command, and the store's
   * subscription is live), how many processes were alive when Redis last answered, and the rate
   * limits as the fleet paces them (each rule's effective max, per scope this process used lately;
   * this process's own while Redis is away).
   */
  status(): {
    /** Redis answered the last command and the subscription is live. */
    shared: boolean;
    /** The processes alive when Redis last answered. */
    processes: number;
    /** Each rule's effective max, per scope this process used lately. */
    limits: BoxEffectiveLimit[];
  };
  reportLag(scope: string, windows: readonly BoxRateWindow[], lagMs: number, slot?: object): Promise<void>;
  rateLimited(scope: string, windows: readonly BoxRateWindow[]): Promise<void>;
  limits(scope?: string): BoxEffectiveLimit[];
  /**
   * End the store's own subscription and heartbeat (a process that does not exits only when
   * killed), within `timeoutMs` (and a little) even while Redis does not answer.
   */
  close(): Promise<void>;
}
