import type { RedisLink } from './link.js';

/** A Lua script, run atomically on Redis's own clock; its SHA as Redis names it, once learnt. */
export interface Script {
  readonly source: string;
  sha: string | undefined;
}

export function script(source: string): Script {
  return { source, sha: undefined };
}

// Redis's clock, in milliseconds: every process of the fleet reads the same one.
export const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * Lengthen a scope's pause (never shorten it), and tell every process when it did.
 * KEYS: the pause. ARGV: milliseconds (from 1), the channel, the message. Returns the pause now
 * in force.
 */
export const PAUSE = script(`local current = redis.call('PTTL', KEYS[1])
local wanted = tonumber(ARGV[1])
if wanted >= 1 and current < wanted then
  redis.call('SET', KEYS[1], '1', 'PX', wanted)
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return wanted
end
return current`);

/**
 * Say this process is alive, forget those not heard of within the TTL, and count the rest.
 * KEYS: the set of processes. ARGV: this process's id, the TTL. Returns how many are alive.
 */
export const HEARTBEAT = script(`${NOW}
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return redis.call('ZCARD', KEYS[1])`);

/** Release a lock only when its owner asks. KEYS: the lock. ARGV: the owner. */
export const UNLOCK = script(`if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`);

/**
 * Lengthen a lock only while its owner holds it. KEYS: the lock. ARGV: the owner, milliseconds.
 * Returns 1 when renewed, 0 when it lapsed or another holds it.
 */
export const RENEW = script(`if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`);

/**
 * Run a script by its SHA, and by its source when Redis does not have it (after a restart or a
 * SCRIPT FLUSH, or on a cluster node that never saw it): EVAL caches it again.
 */
export async function runScript(link: RedisLink, run: Script, keys: readonly string[], args: readonly string[]): Promise<unknown> {
  const tail = [String(keys.length), ...keys, ...args];
  // Redis says what the SHA is (no hashing here: the entry needs no crypto module).
  run.sha ??= String(await link.command(['SCRIPT', 'LOAD', run.source], keys[0]));
  try {
    return await link.command(['EVALSHA', run.sha, ...tail], keys[0]);
  } catch (error) {
    if (!/NOSCRIPT/i.test(String((error as { message?: unknown } | null)?.message ?? error))) throw error;
    return link.command(['EVAL', run.source, ...tail], keys[0]);
  }
}
