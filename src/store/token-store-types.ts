/**
 * A token as a store keeps it for every process that shares it: what a {@link BoxStateStore}
 * of your own reads and writes.
 *
 * @example
 * ```ts
 * import { createMemoryStore, type BoxStoredToken } from 'axios-box-status';
 *
 * const store = createMemoryStore();
 * const token: BoxStoredToken = { accessToken: 'a token', expiresAt: Date.now() + 3_600_000, issuedAt: Date.now() };
 * await store.writeToken('ccg:my-app', token);
 * ```
 */
export interface BoxStoredToken {
  /** The access token. */
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt?: number | undefined;
  /** The refresh token that came with it (OAuth 2.0), for whichever process refreshes next. */
  refreshToken?: string | undefined;
  /**
   * When it was issued, in epoch milliseconds: with `expiresAt`, its whole lifetime, by which every
   * process times its refresh (a short-lived token is refreshed at half its life).
   */
  issuedAt?: number | undefined;
}

/**
 * A BoxAuth's token and refresh lock, per key: one part of a {@link BoxStateStore}. A store of
 * your own for `createBoxAuth({ store })` needs only this.
 *
 * @example
 * ```ts
 * import { createBoxAuth, createMemoryStore, type BoxTokenStore } from 'axios-box-status';
 *
 * // Tokens kept in a Map of your own (a database table, say), the lock in memory.
 * const rows = new Map<string, string>();
 * const locks = createMemoryStore();
 * const store: BoxTokenStore = {
 *   readToken: (key) => {
 *     const row = rows.get(key);
 *     return row === undefined ? undefined : JSON.parse(row);
 *   },
 *   writeToken: (key, token) => void rows.set(key, JSON.stringify(token)),
 *   lockRefresh: (key, ttlMs, owner) => locks.lockRefresh(key, ttlMs, owner),
 *   unlockRefresh: (key, owner) => locks.unlockRefresh(key, owner),
 * };
 * const auth = createBoxAuth({ refresh: async () => ({ accessToken: 'a token', expiresIn: 3600 }), store, key: 'svc' });
 * ```
 */
export interface BoxTokenStore {
  /** The token kept under `key`, if any. */
  readToken(key: string): BoxStoredToken | undefined | Promise<BoxStoredToken | undefined>;
  /** Keep `token` under `key`, for every process that shares the store. */
  writeToken(key: string, token: BoxStoredToken): void | Promise<void>;
  /**
   * Take the refresh lock of `key` for at most `ttlMs`: true when this caller now holds it (and
   * refreshes), false when another does (and this one waits for its token). `owner` names the
   * holder (a BoxAuth's refresh): only it may renew or release the lock. A store written before
   * owners existed may ignore it.
   */
  lockRefresh(key: string, ttlMs: number, owner?: string): boolean | Promise<boolean>;
  /** Release the refresh lock of `key`, if `owner` (or, without an owner, this caller) holds it. */
  unlockRefresh(key: string, owner?: string): void | Promise<void>;
  /**
   * Extend the refresh lock of `key` to `ttlMs` from now, when `owner` still holds it (true);
   * false when it lapsed or another holds it. A BoxAuth renews its lock while its refresh runs,
   * so that the lock can be short: a process that dies holding it blocks the others only until
   * it lapses. A store without this method is given locks as long as `refreshTimeoutMs`.
   */
  renewRefresh?(key: string, ttlMs: number, owner: string): boolean | Promise<boolean>;
}
