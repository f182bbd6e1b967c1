import { localStore } from '../store/memory-store.js';
import { aString, fail, layOver, milliseconds } from '../options/rules.js';
import type { BoxEffectiveLimit, BoxRateWindow } from '../store/rate-types.js';
import { commandGate, UNSHARED } from './command-gate.js';
import { fleetPauses } from './fleet-pauses.js';
import { atMost } from './link.js';
import { linkOf } from './link-of.js';
import { fleetTokens } from './fleet-tokens.js';
import type { BoxRedisStore, BoxRedisStoreOptions } from './redis-store-types.js';
import { HEARTBEAT, runScript } from './scripts.js';
import { sharedWindows } from './windows.js';

// A process that has not yet heard of a newcomer takes too large a share of each limit should Redis
// go: a beat a second keeps that moment short, for one script a second per process.
const HEARTBEAT_MS = 1000;
const HEARTBEAT_TTL_MS = 5000;

/**
 * A BoxStateStore that every process using the same Redis shares, for
 * `attachBoxStatus(instance, { store })` and `createBoxAuth({ store })`: a 429's pause holds the
 * whole fleet, the rate limits count every process's requests, and one process refreshes a token
 * for all. Atomic Lua scripts on Redis's own clock; the keys of a scope share one hash slot.
 *
 * Redis slow or gone never fails a call: after `timeoutMs` the store carries on with this
 * process's own state (the pauses it knows, and its share of each limit: 1 / the processes alive
 * when Redis last answered), and shares again once Redis answers. Call `close()` before the
 * process exits.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { Redis } from 'ioredis';
 * import { attachBoxStatus } from 'axios-box-status';
 * import { createRedisStore } from 'axios-box-status/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL!); // or node-redis: createClient()
 * const store = createRedisStore({ client: redis });
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box, { store, rateLimit: true });
 * // Before the process exits:
 * await store.close();
 * await redis.quit();
 * ```
 */
export function createRedisStore(options: BoxRedisStoreOptions): BoxRedisStore {
  const { client, prefix, timeoutMs } = layOver(
    options,
    { client: undefined, prefix: 'axios-box-status:', timeoutMs: 100 } as BoxRedisStoreOptions & { prefix: string; timeoutMs: number },
    { client: (value) => value, prefix: aString, timeoutMs: milliseconds(1) },
    'createRedisStore',
    undefined,
    'an object',
  );
  const link = linkOf(client);
  if (!link) {
    fail('createRedisStore.client', 'an ioredis or node-redis client (new Redis(), createClient())', client);
  }
  const channel = `${prefix}pauses`;
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  let requests = 0;
  let processes = 1;
  // This process's own state: the mirror of the fleet's pauses, and all it has while Redis is away.
  const local = localStore(() => 1 / processes);
  let subscribed = false;
  let closed = false;

  const beat = async (): Promise<void> => {
    const alive = await gate.run((l) => runScript(l, HEARTBEAT, [`${prefix}processes`], [id, String(HEARTBEAT_TTL_MS)]));
    if (typeof alive === 'number' && alive > 0) processes = alive;
  };
  const gate = commandGate(link, timeoutMs, beat, () => pauses.answering());
  const scopeKey = (scope: string, part: string): string => `${prefix}{s:${scope}}:${part}`;
  const windows = sharedWindows(async (script, keys, args) => {
    const answer = await gate.run((l) => runScript(l, script, keys, args));
    return answer === UNSHARED ? undefined : answer;
  }, scopeKey);
  const pauses = fleetPauses(gate, local, (scope) => scopeKey(scope, 'pause'), channel);
  const tokens = fleetTokens(gate, local, (key, part) => `${prefix}{a:${key}}:${part}`, id);

  // Other processes' pauses arrive on the channel: "<ms>\n<scope>".
  const subscriber = link.subscribe(channel, {
    message: (message) => pauses.heard(message),
    live() {
      subscribed = true;
      pauses.subscribed();
    },
    lost() {
      subscribed = false;
      pauses.unsubscribed();
    },
  });

  void beat();
  const heartbeat = setInterval(() => void beat(), HEARTBEAT_MS);
  (heartbeat as { unref?: () => void }).unref?.();

  // While Redis is away, this process paces by what it learnt itself.
  const limits = (scope?: string): BoxEffectiveLimit[] => (gate.answering() ? windows.limits(scope) : local.limits(scope));

  return {
    pauseMs: (scope) => local.pauseMs(scope),

    learnPause: (scope) => pauses.learn(scope),

    pause: (scope, ms) => pauses.pause(scope, ms),

    async acquire(scope, rules: readonly BoxRateWindow[], heedPause = true, slot) {
      requests += 1;
      const shared = await windows.acquire(scope, rules, heedPause, `${id}:${requests}`, slot);
      // Without Redis: this process's share of each limit, counted here.
      if (!shared) return local.acquire(scope, rules, heedPause, slot);
      if (shared.paused) local.pause(scope, shared.waitMs);
      return shared.waitMs;
    },

    async reportLag(scope, rules, lagMs, slot) {
      // Kept here too (and a slot taken here while Redis was away settled), for when Redis is away.
      local.reportLag(scope, rules, lagMs, slot);
      await windows.reportLag(scope, rules, lagMs, slot);
    },

    async rateLimited(scope, rules) {
      local.rateLimited(scope, rules);
      await windows.rateLimited(scope, rules);
    },

    limits,

    ...tokens,

    status: () => ({ shared: gate.answering() && subscribed, processes, limits: limits() }),

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      gate.close();
      // Both at once, each bounded: Redis not answering (stopped, a network gone quiet) holds no one.
      await Promise.all([
        gate.run((l) => l.command(['ZREM', `${prefix}processes`, id], `${prefix}processes`)),
        atMost(subscriber.close(timeoutMs), timeoutMs + 50),
      ]);
    },
  };
}
