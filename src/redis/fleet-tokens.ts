import type { BoxStoredToken, BoxTokenStore } from '../store/token-store-types.js';
import { UNSHARED, type CommandGate } from './command-gate.js';
import { RENEW, runScript, UNLOCK } from './scripts.js';

/**
 * The token part of the Redis store: a BoxAuth's token kept in Redis for every process, and its
 * refresh lock, a lease held by this process (`id`) and the refresh within it. `local` is what each
 * falls back on while Redis is away: the process's own token, and a lock of its own.
 */
export function fleetTokens(gate: CommandGate, local: BoxTokenStore, keyOf: (key: string, part: 'token' | 'lock') => string, id: string): Required<BoxTokenStore> {
  /** Who holds a refresh lock: this process, and the refresh within it when the caller names one. */
  const holder = (owner: string | undefined): string => (owner === undefined ? id : `${id}:${owner}`);
  return {
    async readToken(key) {
      const text = await gate.run((l) => l.command(['GET', keyOf(key, 'token')], keyOf(key, 'token')));
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
      await gate.run((l) => l.command(['SET', keyOf(key, 'token'), JSON.stringify(token), ...lifetime], keyOf(key, 'token')), true);
    },

    async lockRefresh(key, ttlMs, owner) {
      const taken = await gate.run((l) => l.command(['SET', keyOf(key, 'lock'), holder(owner), 'NX', 'PX', String(Math.ceil(ttlMs))], keyOf(key, 'lock')));
      // Without Redis each process refreshes for itself, one refresh at a time.
      return taken === UNSHARED ? local.lockRefresh(key, ttlMs, owner) : taken === 'OK';
    },

    async renewRefresh(key, ttlMs, owner) {
      const renewed = await gate.run((l) => runScript(l, RENEW, [keyOf(key, 'lock')], [holder(owner), String(Math.ceil(ttlMs))]));
      // Redis away: the holder carries on (its own lock here, if it took one while Redis was away).
      return renewed === UNSHARED ? true : renewed === 1;
    },

    async unlockRefresh(key, owner) {
      void local.unlockRefresh(key, owner);
      await gate.run((l) => runScript(l, UNLOCK, [keyOf(key, 'lock')], [holder(owner)]), true);
    }
  };
}
