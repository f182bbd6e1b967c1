import { localStore } from '../memory-store.js';
import { aString, fail, layOver, milliseconds } from '../rules.js';
import type { BoxEffectiveLimit, BoxRateWindow, BoxStateStore, BoxStoredToken } from '../store-types.js';
import { clock } from '../wait.js';
import { linkOf, type RedisLink, type Subscription } from './link.js';
import { HEARTBEAT, PAUSE, RENEW, runScript, UNLOCK } from './scripts.js';
import { sharedWindows } from './windows.js';

/** Options of {@link createRedisStore}. */
export interface BoxRedisStoreOptions {
  /** The app's own client, connected: ioredis (6) or node-redis (`redis` 5 or 6), a client or a cluster. */
  client: unknown;
  /**
   * Put before every key and the channel, so that several apps can share one Redis.
   * @default 'axios-box-status:'
   */
  prefix?: string | undefined;
  /**
   * How long one Redis command may take before the store carries on without Redis (and leaves it
   * alone for a second or more before trying again).
   * @default 100
   */
  timeoutMs?: number | undefined;
}

/** A BoxStateStore shared through Redis, and what it needs beyond one. */
export interface BoxRedisStore extends BoxStateStore {
  /**
   * Whether Redis answered the last time it was asked, how many processes were alive then, and
   * the rate limits as the fleet paces them (each rule's effective max, per scope this
   * process used lately; this process's own while Redis is away).
   */
  status(): { shared: boolean; processes: number; limits: BoxEffectiveLimit[] };
  reportLag(scope: string, windows: readonly BoxRateWindow[], lagMs: number, slot?: object): Promise<void>;
  rateLimited(scope: string, windows: readonly BoxRateWindow[]): Promise<void>;
  limits(scope?: string): BoxEffectiveLimit[];
  /** End the store's own subscription and heartbeat: a process that does not exits only when killed. */
  close(): Promise<void>;
}

// A process that has not yet heard of a newcomer takes too large a share of each limit should Redis
// go: a beat a second keeps that moment short, for one script a second per process.
const HEARTBEAT_MS = 1000;
const HEARTBEAT_TTL_MS = 5000;
const FIRST_BACKOFF_MS = 1000;
const MOST_BACKOFF_MS = 10_000;
const TIMED_OUT = Symbol('timed out');
/** What a Redis command gives back when Redis could not be used: the local state serves. */
const UNSHARED = Symbol('unshared');

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
  /** Whether Redis answered the last command: false until it first does. */
  let shared = false;
  let downUntil = 0;
  let backoffMs = FIRST_BACKOFF_MS;

  /**
   * A command on Redis, or UNSHARED when Redis is slow, gone, or left alone for now. `always`:
   * sent even then, as what undoes an earlier command must be (a lock taken by a command that
   * timed out here may still land).
   */
  const redis = async <T>(run: (link: RedisLink) => Promise<T>, always = false): Promise<T | typeof UNSHARED> => {
    if (!always && clock() < downUntil) return UNSHARED;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const answer = await Promise.race([
        run(link),
        new Promise<typeof TIMED_OUT>((resolve) => {
          timer = setTimeout(resolve, timeoutMs, TIMED_OUT);
        }),
      ]);
      if (answer === TIMED_OUT) throw new Error('timed out');
      shared = true;
      backoffMs = FIRST_BACKOFF_MS;
      if (!listening) listen();
      return answer;
    } catch {
      shared = false;
      // The commands that were under way together fail together: one outage, one step of back-off.
      if (clock() >= downUntil) {
        downUntil = clock() + backoffMs;
        backoffMs = Math.min(backoffMs * 2, MOST_BACKOFF_MS);
      }
      return UNSHARED;
    } finally {
      clearTimeout(timer);
    }
  };

  const scopeKey = (scope: string, part: string): string => `${prefix}{s:${scope}}:${part}`;
  const authKey = (key: string, part: string): string => `${prefix}{a:${key}}:${part}`;
  const windows = sharedWindows(async (script, keys, args) => {
    const answer = await redis((l) => runScript(l, script, keys, args));
    return answer === UNSHARED ? undefined : answer;
  }, scopeKey);
  /** Who holds a refresh lock: this process, and the refresh within it when the caller names one. */
  const holder = (owner: string | undefined): string => (owner === undefined ? id : `${id}:${owner}`);

  // Other processes' pauses arrive here: "<ms>\n<scope>". A subscription that failed (Redis was
  // away) is made again once Redis answers a command.
  let subscription: Subscription | undefined;
  let listening = false;
  let closed = false;
  const listen = (): void => {
    if (closed) return;
    listening = true;
    const made = link.subscribe(channel, (message) => {
      const cut = message.indexOf('\n');
      const ms = Number(message.slice(0, cut));
      if (cut > 0 && ms > 0) local.pause(message.slice(cut + 1), ms);
    });
    subscription = made;
    made.ready.catch(() => {
      if (subscription === made) listening = false;
    });
  };
  listen();

  const beat = async (): Promise<void> => {
    const alive = await redis((l) => runScript(l, HEARTBEAT, [`${prefix}processes`], [id, String(HEARTBEAT_TTL_MS)]));
    if (typeof alive === 'number' && alive > 0) processes = alive;
  };
  void beat();
  const heartbeat = setInterval(() => void beat(), HEARTBEAT_MS);
  (heartbeat as { unref?: () => void }).unref?.();

  // While Redis is away, this process paces by what it learnt itself.
  const limits = (scope?: string): BoxEffectiveLimit[] => (shared && clock() >= downUntil ? windows.limits(scope) : local.limits(scope));

  return {
    pauseMs: (scope) => local.pauseMs(scope),

    pause(scope, ms) {
      // Here at once; for the others as soon as Redis has it (they hear it on the channel).
      local.pause(scope, ms);
      if (!(ms >= 1)) return;
      const ceil = String(Math.ceil(ms));
      void redis((l) => runScript(l, PAUSE, [scopeKey(scope, 'pause')], [ceil, channel, `${ceil}\n${scope}`])).then(
        (inForce) => {
          // Redis may hold a longer one, set by a process whose message has not arrived yet.
          if (typeof inForce === 'number' && inForce > ms) local.pause(scope, inForce);
        },
      );
    },

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

    async readToken(key) {
      const text = await redis((l) => l.command(['GET', authKey(key, 'token')], authKey(key, 'token')));
      if (text === UNSHARED) return local.readToken(key);
      try {
        return typeof text === 'string' ? (JSON.parse(text) as BoxStoredToken) : undefined;
      } catch {
        return undefined;
      }
    },

    async writeToken(key, token) {
      void local.writeToken(key, token);
      const lifetime = token.expiresAt === undefined ? [] : ['PX', String(Math.max(1000, Math.ceil(token.expiresAt - Date.now())))];
      await redis((l) => l.command(['SET', authKey(key, 'token'), JSON.stringify(token), ...lifetime], authKey(key, 'token')), true);
    },

    async lockRefresh(key, ttlMs, owner) {
      const taken = await redis((l) => l.command(['SET', authKey(key, 'lock'), holder(owner), 'NX', 'PX', String(Math.ceil(ttlMs))], authKey(key, 'lock')));
      // Without Redis each process refreshes for itself, one refresh at a time.
      return taken === UNSHARED ? local.lockRefresh(key, ttlMs, owner) : taken === 'OK';
    },

    async renewRefresh(key, ttlMs, owner) {
      const renewed = await redis((l) => runScript(l, RENEW, [authKey(key, 'lock')], [holder(owner), String(Math.ceil(ttlMs))]));
      // Redis away: the holder carries on (its own lock here, if it took one while Redis was away).
      return renewed === UNSHARED ? true : renewed === 1;
    },

    async unlockRefresh(key, owner) {
      void local.unlockRefresh(key, owner);
      await redis((l) => runScript(l, UNLOCK, [authKey(key, 'lock')], [holder(owner)]), true);
    },

    status: () => ({ shared: shared && clock() >= downUntil, processes, limits: limits() }),

    async close() {
      closed = true;
      clearInterval(heartbeat);
      await redis((l) => l.command(['ZREM', `${prefix}processes`, id], `${prefix}processes`));
      await subscription?.close().catch(() => undefined);
    },
  };
}
