import { DECREASE, LAG_MEMORY_MS, LEAST_MARGIN_MS, MOST_MARGIN_PART } from '../adaptive-limits.js';
import type { BoxEffectiveLimit, BoxRateWindow } from '../store-types.js';
import { clock } from '../wait.js';
import { NOW, script, type Script } from './scripts.js';

// The fleet's windows in Redis: per scope and rule, a sorted set of the requests let through, each
// scored by the latest it may reach Box, and a hash of what the fleet learnt (adaptive-limits.ts, the same rules on Redis's clock): the
// lag (`lag`, `before`, `period`) that sets the margin, and what the last 429 left (`low`, `from`,
// `cut`) that sets the effective max.

// Redis's clock, in milliseconds, and the rules of adaptive-limits.ts over a rule's hash (HMGET of
// low, from, cut, lag, before, period).
const RULES = `${NOW}
local FIELDS = {'low', 'from', 'cut', 'lag', 'before', 'period'}
local function effective(max, per, s)
  local low = tonumber(s[1])
  if not low then return max end
  local from = tonumber(s[2])
  local climbed = 0
  if now > from then climbed = math.floor((now - from) / per) end
  return math.min(max, low + climbed)
end
local function rolled(per, s)
  local period = math.floor(now / math.max(per, ${LAG_MEMORY_MS}))
  local at = tonumber(s[6])
  if at == period then return period, tonumber(s[4]), tonumber(s[5]) end
  if at == period - 1 then return period, 0, tonumber(s[4]) end
  return period, 0, 0
end
local function margin(per, s)
  local _, most, before = rolled(per, s)
  return math.min(math.ceil(per * ${MOST_MARGIN_PART}), math.max(${LEAST_MARGIN_MS}, most, before))
end
-- Keep a rule's hash while its lag is remembered, and until its limit has climbed back.
local function keep(key, max, per, low, from)
  local ms = 2 * math.max(per, ${LAG_MEMORY_MS})
  if low then ms = math.max(ms, from - now + (max - low + 1) * per) end
  redis.call('PEXPIRE', key, math.ceil(ms))
end`;

/**
 * Take a slot in every window of a scope, when each has room within its effective max and (when
 * asked to heed it) the scope is not paused. A request is counted until the latest it may reach
 * Box: its slot plus the rule's margin, until its answer settles it (SETTLE). KEYS: the pause,
 * then per rule its sorted set and its hash. ARGV: this request's member, '1' to heed the pause,
 * then max and perMs per rule. Returns {0, 0, now} (counted, at Redis's `now`), {1, ms} (paused
 * that long) or {2, ms, now} (a window is full for that long; nothing counted), then per rule its
 * effective max and margin.
 *
 * Times are kept for twice a window: a request answered late is settled later still, and no time
 * that may still count is forgotten.
 */
export const ACQUIRE = script(`${RULES}
if ARGV[2] == '1' then
  local paused = redis.call('PTTL', KEYS[1])
  if paused > 0 then return {1, paused} end
end
local out = {0, 0, now}
local wait = 0
for i = 1, (#KEYS - 1) / 2 do
  local times, learnt = KEYS[2 * i], KEYS[2 * i + 1]
  local max = tonumber(ARGV[2 * i + 1])
  local per = tonumber(ARGV[2 * i + 2])
  local s = redis.call('HMGET', learnt, unpack(FIELDS))
  local most = effective(max, per, s)
  redis.call('ZREMRANGEBYSCORE', times, '-inf', now - 2 * per)
  local count = redis.call('ZCOUNT', times, '(' .. (now - per), '+inf')
  if count >= most then
    local total = redis.call('ZCARD', times)
    local oldest = redis.call('ZRANGE', times, total - most, total - most, 'WITHSCORES')
    local room = tonumber(oldest[2]) + per - now
    if room > wait then wait = room end
  end
  out[2 * i + 2] = most
  out[2 * i + 3] = margin(per, s)
end
if wait > 0 then
  out[1] = 2
  out[2] = wait
  return out
end
for i = 1, (#KEYS - 1) / 2 do
  redis.call('ZADD', KEYS[2 * i], now + out[2 * i + 3], ARGV[1])
  redis.call('PEXPIRE', KEYS[2 * i], math.ceil(2 * tonumber(ARGV[2 * i + 2])))
end
return out`);

/**
 * A request answered: counted from now on at `at` (its slot plus the time it took, on Redis's
 * clock) instead of its slot plus the margin; and its lag, which each rule's margin remembers.
 * KEYS: per rule its sorted set and its hash. ARGV: the request's member ('' for a lag alone),
 * `at`, the lag, then max and perMs per rule. Returns each rule's margin.
 */
export const SETTLE = script(`${RULES}
local out = {}
local at = tonumber(ARGV[2])
local ms = math.ceil(tonumber(ARGV[3]))
for i = 1, #KEYS / 2 do
  local times, learnt = KEYS[2 * i - 1], KEYS[2 * i]
  local max = tonumber(ARGV[2 * i + 2])
  local per = tonumber(ARGV[2 * i + 3])
  if ARGV[1] ~= '' then
    redis.call('ZADD', times, at, ARGV[1])
    redis.call('PEXPIRE', times, math.ceil(2 * per))
  end
  local s = redis.call('HMGET', learnt, unpack(FIELDS))
  local period, most, before = rolled(per, s)
  redis.call('HSET', learnt, 'period', period, 'lag', math.max(most, ms), 'before', before)
  keep(learnt, max, per, tonumber(s[1]), tonumber(s[2]))
  s[4], s[5], s[6] = math.max(most, ms), before, period
  out[i] = margin(per, s)
end
return out`);

/**
 * A 429 met in a scope: each rule's effective max cut (DECREASE; at least 1), unless it was cut less
 * than a window ago; its climb back starts when the scope's pause ends. KEYS: the pause, then per
 * rule its hash. ARGV: max and perMs per rule. Returns each rule's effective max.
 */
export const LOWER = script(`${RULES}
local paused = math.max(0, redis.call('PTTL', KEYS[1]))
local out = {}
for i = 2, #KEYS do
  local max = tonumber(ARGV[2 * i - 3])
  local per = tonumber(ARGV[2 * i - 2])
  local s = redis.call('HMGET', KEYS[i], unpack(FIELDS))
  local low = effective(max, per, s)
  local cut = tonumber(s[3])
  if not (cut and now - cut < per) then
    low = math.max(1, math.floor(low * ${DECREASE}))
    cut = now
  end
  redis.call('HSET', KEYS[i], 'low', low, 'from', now + paused, 'cut', cut)
  keep(KEYS[i], max, per, low, now + paused)
  out[i - 1] = low
end
return out`);

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
 * of what Redis answered (the effective max and margin of each rule) for `limits()` and to tell a
 * lag worth sending. `keyOf(scope, part)` names a scope's key (all of a scope's in one hash slot).
 */
export function sharedWindows(run: RunScript, keyOf: (scope: string, part: string) => string) {
  const mirror = new Map<string, Mirrored>();
  /** The slots Redis granted and not yet answered: their member, and when (on Redis's clock). */
  const slots = new WeakMap<object, { member: string; takenAt: number }>();
  const keysOf = (scope: string, windows: readonly BoxRateWindow[]): string[] =>
    windows.flatMap((window) => [keyOf(scope, `w:${window.name}`), keyOf(scope, `l:${window.name}`)]);
  const rulesOf = (windows: readonly BoxRateWindow[]): string[] => windows.flatMap((window) => [String(window.max), String(window.perMs)]);
  const remember = (scope: string, window: BoxRateWindow, fields: Partial<BoxEffectiveLimit>): void => {
    const key = `${scope}\n${window.name}`;
    const known = mirror.get(key) ?? { scope, name: window.name, max: window.max, perMs: window.perMs, effectiveMax: window.max, marginMs: LEAST_MARGIN_MS, at: 0 };
    mirror.set(key, { ...known, max: window.max, perMs: window.perMs, ...fields, at: clock() });
  };

  return {
    /** `slot` in each of `windows` for `member`; undefined when Redis could not be asked. */
    async acquire(scope: string, windows: readonly BoxRateWindow[], heedPause: boolean, member: string, slot?: object): Promise<SharedSlot | undefined> {
      const keys = [keyOf(scope, 'pause'), ...keysOf(scope, windows)];
      const answer = await run(ACQUIRE, keys, [member, heedPause ? '1' : '0', ...rulesOf(windows)]);
      if (!Array.isArray(answer)) return undefined;
      const [what, ms, now, ...learnt] = answer.map(Number) as [number, number, number?, ...number[]];
      // A paused scope's answer has no rules in it.
      windows.forEach((window, i) => {
        const [effectiveMax, marginMs] = learnt.slice(2 * i, 2 * i + 2) as [number?, number?];
        if (effectiveMax !== undefined && marginMs !== undefined) remember(scope, window, { effectiveMax, marginMs });
      });
      if (what === 0 && slot && now !== undefined) slots.set(slot, { member, takenAt: now });
      return { waitMs: what === 0 ? 0 : Math.max(1, ms), paused: what === 1 };
    },

    /**
     * The request that took `slot` was answered `lagMs` after it asked: settled in Redis. A lag
     * without a slot Redis granted is sent only when it widens a margin as the fleet knows it.
     */
    async reportLag(scope: string, windows: readonly BoxRateWindow[], lagMs: number, slot?: object): Promise<void> {
      const ms = Math.ceil(lagMs);
      const taken = slot && slots.get(slot);
      if (slot) slots.delete(slot);
      const wider = (window: BoxRateWindow): boolean =>
        Math.min(ms, Math.ceil(window.perMs * MOST_MARGIN_PART)) > (mirror.get(`${scope}\n${window.name}`)?.marginMs ?? 0);
      if (!taken && !windows.some(wider)) return;
      const args = [taken?.member ?? '', String((taken?.takenAt ?? 0) + ms), String(ms), ...rulesOf(windows)];
      const answer = await run(SETTLE, keysOf(scope, windows), args);
      if (Array.isArray(answer)) windows.forEach((window, i) => remember(scope, window, { marginMs: Number(answer[i]) }));
    },

    /** A 429 met: true when Redis lowered the limits for the fleet. */
    async rateLimited(scope: string, windows: readonly BoxRateWindow[]): Promise<boolean> {
      const keys = [keyOf(scope, 'pause'), ...windows.map((window) => keyOf(scope, `l:${window.name}`))];
      const answer = await run(LOWER, keys, rulesOf(windows));
      if (!Array.isArray(answer)) return false;
      windows.forEach((window, i) => remember(scope, window, { effectiveMax: Number(answer[i]) }));
      return true;
    },

    /** The rules of `scope` (else of every scope) as Redis last answered, of the scopes used lately. */
    limits(scope?: string): BoxEffectiveLimit[] {
      const now = clock();
      const limits: BoxEffectiveLimit[] = [];
      for (const [key, { at, ...limit }] of mirror) {
        if (now - at > 2 * Math.max(limit.perMs, LAG_MEMORY_MS)) mirror.delete(key);
        else if (scope === undefined || limit.scope === scope) limits.push(limit);
      }
      return limits;
    },
  };
}
