import { DECREASE, PENDING_MS, PENDING_POLL_MS } from '../pacing/adaptive-limits.js';
import type { BoxEffectiveLimit, BoxRateWindow } from '../store/rate-types.js';
import { clock } from '../util/wait.js';
import { NOW, script, type Script } from './scripts.js';

// The fleet's windows in Redis: per scope and rule, a sorted set of the requests let through, each
// scored by the latest it may reach Box (one not yet answered, as if PENDING_MS after its slot: a
// score still to come), and a hash of what the last 429 left (`low`, `from`, `cut`: the
// rules of adaptive-limits.ts, on Redis's clock).

// Redis's clock, in milliseconds, and the effective max of a rule from its hash (HMGET of low,
// from, cut).
const RULES = `${NOW}
local function effective(max, per, s)
  local low = tonumber(s[1])
  if not low then return max end
  local from = tonumber(s[2])
  local climbed = 0
  if now > from then climbed = math.floor((now - from) / per) end
  return math.min(max, low + climbed)
end`;

/**
 * Take a slot in every window of a scope, when each has room within its effective max and (when
 * asked to heed it) the scope is not paused. A request that will be answered is counted as not yet
 * answered until SETTLE; another, at its slot. KEYS: the pause, then per rule its sorted set and
 * its hash. ARGV: this request's id, '1' to heed the pause, '1' when it will be answered, then max
 * and perMs per rule. Returns {0, 0, now} (counted, at Redis's `now`),
 * {1, ms} (paused that long) or {2, ms, now} (a window is full: ask again in that long; nothing
 * counted), then per rule its effective max.
 *
 * Times are kept for twice a window past them: no time that may still count is forgotten.
 */
export const ACQUIRE = script(`${RULES}
if ARGV[2] == '1' then
  local paused = redis.call('PTTL', KEYS[1])
  if paused > 0 then return {1, paused} end
end
local out = {0, 0, now}
local wait = 0
for i = 1, (#KEYS - 1) / 2 do
  local times = KEYS[2 * i]
  local max = tonumber(ARGV[2 * i + 2])
  local per = tonumber(ARGV[2 * i + 3])
  local most = effective(max, per, redis.call('HMGET', KEYS[2 * i + 1], 'low', 'from', 'cut'))
  redis.call('ZREMRANGEBYSCORE', times, '-inf', now - 2 * per)
  local count = redis.call('ZCOUNT', times, '(' .. (now - per), '+inf')
  if count >= most then
    local total = redis.call('ZCARD', times)
    local at = tonumber(redis.call('ZRANGE', times, total - most, total - most, 'WITHSCORES')[2])
    local room = at + per - now
    if at > now then room = math.min(room, ${PENDING_POLL_MS}) end
    if room > wait then wait = room end
  end
  out[i + 3] = most
end
if wait > 0 then
  out[1] = 2
  out[2] = wait
  return out
end
for i = 1, (#KEYS - 1) / 2 do
  local per = tonumber(ARGV[2 * i + 3])
  local hold = math.max(per, ${PENDING_MS})
  redis.call('ZADD', KEYS[2 * i], now + tonumber(ARGV[3]) * hold, ARGV[1])
  redis.call('PEXPIRE', KEYS[2 * i], math.ceil(hold + 2 * per))
end
return out`);

/**
 * A request answered (or failed): counted from now on at `at` (its slot plus the time it took,
 * on Redis's clock: it reached Box by then), unless its whole window has passed. KEYS: its sorted
 * sets. ARGV: its id, `at`.
 */
export const SETTLE = script(`for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], 'XX', ARGV[2], ARGV[1])
end
return 0`);

/**
 * A 429 met in a scope: each rule's effective max cut (DECREASE; at least 1), unless it was cut
 * less than a window ago; its climb back starts when the scope's pause ends. Kept until it has
 * climbed back. KEYS: the pause, then per rule its hash. ARGV: max and perMs per rule. Returns
 * each rule's effective max.
 */
export const LOWER = script(`${RULES}
local paused = math.max(0, redis.call('PTTL', KEYS[1]))
local out = {}
for i = 2, #KEYS do
  local max = tonumber(ARGV[2 * i - 3])
  local per = tonumber(ARGV[2 * i - 2])
  local s = redis.call('HMGET', KEYS[i], 'low', 'from', 'cut')
  local low = effective(max, per, s)
  local cut = tonumber(s[3])
  if not (cut and now - cut < per) then
    low = math.max(1, math.floor(low * ${DECREASE}))
    cut = now
  end
  redis.call('HSET', KEYS[i], 'low', low, 'from', now + paused, 'cut', cut)
  redis.call('PEXPIRE', KEYS[i], math.ceil(paused + (max - low + 1) * per))
  out[i - 1] = low
end
return out`);

/** How long a rule of a scope this process no longer uses stays in `limits()`, beyond two windows. */
const UNUSED_MS = 10_000;

/** Runs a script on Redis: its answer, or undefined when Redis could not be used. */
export type RunScript = (run: Script, keys: string[], args: string[]) => Promise<unknown>;

/** What a slot asked of Redis came to: counted (0), or the wait, and whether a pause is why. */
export interface SharedSlot {
  readonly waitMs: number;
  readonly paused: boolean;
}

/** One rule of one scope as Redis answered last, and when (on this process's clock). */
interface Mirrored extends BoxEffectiveLimit {
  at: number;
}

/**
 * The windows a Redis store shares: slots, answers and 429s sent to Redis's scripts, and a mirror
 * of what Redis answered (the effective max of each rule) for `limits()`. `keyOf(scope, part)`
 * names a scope's key (all of a scope's in one hash slot).
 */
export function sharedWindows(run: RunScript, keyOf: (scope: string, part: string) => string) {
  const mirror = new Map<string, Mirrored>();
  /** The slots Redis granted and not yet answered: their id, and when (on Redis's clock). */
  const slots = new WeakMap<object, { id: string; takenAt: number }>();
  const timesOf = (scope: string, windows: readonly BoxRateWindow[]): string[] => windows.map((window) => keyOf(scope, `w:${window.name}`));
  const cutsOf = (scope: string, windows: readonly BoxRateWindow[]): string[] => windows.map((window) => keyOf(scope, `l:${window.name}`));
  const rulesOf = (windows: readonly BoxRateWindow[]): string[] => windows.flatMap((window) => [String(window.max), String(window.perMs)]);
  const remember = (scope: string, window: BoxRateWindow, effectiveMax: number): void => {
    mirror.set(`${scope}\n${window.name}`, { scope, name: window.name, max: window.max, effectiveMax, perMs: window.perMs, at: clock() });
  };

  return {
    /** `slot` in each of `windows` for the request `id`; undefined when Redis could not be asked. */
    async acquire(scope: string, windows: readonly BoxRateWindow[], heedPause: boolean, id: string, slot?: object): Promise<SharedSlot | undefined> {
      const keys = [keyOf(scope, 'pause'), ...windows.flatMap((window) => [keyOf(scope, `w:${window.name}`), keyOf(scope, `l:${window.name}`)])];
      const answer = await run(ACQUIRE, keys, [id, heedPause ? '1' : '0', slot ? '1' : '0', ...rulesOf(windows)]);
      if (!Array.isArray(answer)) return undefined;
      const [what, ms, now, ...effective] = answer.map(Number) as [number, number, number?, ...number[]];
      // A paused scope's answer has no rules in it.
      windows.forEach((window, i) => {
        if (effective[i] !== undefined) remember(scope, window, effective[i]);
      });
      if (what === 0 && slot && now !== undefined) slots.set(slot, { id, takenAt: now });
      return { waitMs: what === 0 ? 0 : Math.max(1, ms), paused: what === 1 };
    },

    /** The request that took `slot` was answered `lagMs` after it asked: settled in Redis. */
    async reportLag(scope: string, windows: readonly BoxRateWindow[], lagMs: number, slot?: object): Promise<void> {
      const taken = slot && slots.get(slot);
      if (!taken) return;
      slots.delete(slot);
      await run(SETTLE, timesOf(scope, windows), [taken.id, String(taken.takenAt + Math.ceil(lagMs))]);
    },

    /** A 429 met: lowered in Redis, for the fleet. */
    async rateLimited(scope: string, windows: readonly BoxRateWindow[]): Promise<void> {
      const answer = await run(LOWER, [keyOf(scope, 'pause'), ...cutsOf(scope, windows)], rulesOf(windows));
      if (Array.isArray(answer)) windows.forEach((window, i) => remember(scope, window, Number(answer[i])));
    },

    /** The rules of `scope` (else of every scope) as Redis last answered, of the scopes used lately. */
    limits(scope?: string): BoxEffectiveLimit[] {
      const now = clock();
      const limits: BoxEffectiveLimit[] = [];
      for (const [key, { at, ...limit }] of mirror) {
        if (now - at > 2 * limit.perMs + UNUSED_MS) mirror.delete(key);
        else if (scope === undefined || limit.scope === scope) limits.push(limit);
      }
      return limits;
    },
  };
}
