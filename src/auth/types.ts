import type { BoxTokenStore } from '../store/token-store-types.js';
import type { BoxAuthRefreshContext, BoxAuthRefreshEvent, BoxToken } from './refresh-types.js';

export type { BoxAuthRefreshContext, BoxAuthRefreshEvent, BoxAuthRefreshReason, BoxToken } from './refresh-types.js';

/**
 * Options of {@link createBoxAuth}. Only `refresh` is required (and `key` with a `store`).
 *
 * @example
 * ```ts
 * import { boxClientCredentialsGrant, createBoxAuth, type BoxAuthOptions } from 'axios-box-status';
 *
 * const options: BoxAuthOptions = {
 *   refresh: boxClientCredentialsGrant({ clientId: 'id', clientSecret: 'secret', subjectType: 'enterprise', subjectId: '1' }),
 *   // A test server must be listed, or its requests carry no token.
 *   origins: ['https://api.box.com', 'https://upload.box.com', 'http://127.0.0.1:8080'],
 *   refreshTimeoutMs: 10_000,
 * };
 * const auth = createBoxAuth(options);
 * ```
 */
export interface BoxAuthOptions {
  /**
   * Fetch a new access token. Called once at a time per BoxAuth, however many calls and
   * instances wait for it (a refresh abandoned at `refreshTimeoutMs` may still be running beside
   * the next one). `boxClientCredentialsGrant`, `boxRefreshTokenGrant` and `boxJwtGrant`
   * (`axios-box-status/jwt`) make one.
   */
  refresh(context: BoxAuthRefreshContext): Promise<BoxToken | string>;
  /**
   * A token to start with, so that the first call need not refresh.
   * @default undefined (the first call refreshes, reason `missing`)
   */
  initialToken?: BoxToken | string | undefined;
  /**
   * The origins whose requests carry the token (scheme, host and port): `https:` ones, or `http:`
   * on a loopback host (127.0.0.1, [::1], localhost), so that the token never goes out in clear.
   * A request to any other origin is sent as the caller made it, and its 401 refreshes nothing.
   * @default ['https://api.box.com', 'https://upload.box.com']
   */
  origins?: readonly string[] | undefined;
  /**
   * A token with a known expiry is refreshed in the background once less than this is left of it
   * (a token whose whole lifetime is shorter than twice this: once less than half its lifetime
   * is left). Calls go on with it until it expires; only a call that finds it expired waits.
   * @default 180000
   */
  refreshBeforeExpiryMs?: number | undefined;
  /**
   * How long a refresh may take: then it is abandoned (its signal aborts), the calls waiting for
   * it reject with a `BoxAuthRefreshError`, and it counts as a failure (see `refreshCooldownMs`).
   * The next refresh does not wait for it to settle.
   * @default 30000
   */
  refreshTimeoutMs?: number | undefined;
  /**
   * After a failed refresh (it threw, timed out, or Box answered 401 to the token it gave before
   * accepting it once), no refresh starts for this long, doubled for each failure in a row up to
   * 60000, and back to this after a success. A call that needs a new token meanwhile rejects at
   * once with a `BoxAuthRefreshError` whose `cause` is the last failure; a call whose token is
   * still valid goes on with it. From 0 (no cooldown) to 60000.
   * @default 1000
   */
  refreshCooldownMs?: number | undefined;
  /**
   * Told after each refresh, whether it gave a token or failed. What it throws is ignored.
   * @default undefined
   */
  onRefresh?: ((event: BoxAuthRefreshEvent) => void) | undefined;
  /**
   * Share the token and the refresh across processes (`createRedisStore`) or BoxAuths: one
   * process refreshes under the store's lock, and the others wait for its token and use it. The
   * lock is a lease of at most 5 s that its holder renews while its refresh runs: if the holder
   * dies, another process takes the lock once it lapses. Requires `key`.
   * @default undefined (the token is this BoxAuth's own)
   */
  store?: BoxTokenStore | undefined;
  /**
   * Whose token, within the store: BoxAuths with the same store and key share one token.
   * Required with a `store`, so that two users' BoxAuths never share a token by default.
   * @default undefined (required with `store`; without one, unused)
   */
  key?: string | undefined;
}

/**
 * A managed Box access token, shared by every call and every instance it is attached to. The
 * plugin uses its methods; you may too (a token for a request made without axios, say).
 *
 * @example
 * ```ts
 * import { boxClientCredentialsGrant, createBoxAuth, type BoxAuth } from 'axios-box-status';
 *
 * const auth: BoxAuth = createBoxAuth({
 *   refresh: boxClientCredentialsGrant({ clientId: 'id', clientSecret: 'secret', subjectType: 'enterprise', subjectId: '1' }),
 * });
 * const res = await fetch('https://api.box.com/2.0/users/me', { headers: { Authorization: `Bearer ${await auth.token()}` } });
 * if (res.status === 401) auth.invalidate(); // the next call refreshes
 * ```
 */
export interface BoxAuth {
  /**
   * The current access token. One that is still valid is given at once (a refresh starts in the
   * background once less than `refreshBeforeExpiryMs` is left of it); without one, this waits for
   * the refresh. Rejects with a `BoxAuthRefreshError` when that refresh fails, and at once while
   * a failed refresh's cooldown runs.
   */
  token(): Promise<string>;
  /** Forget the current token: the next call refreshes (reason `missing`). */
  invalidate(): void;
  /**
   * Box answered 401 to `rejectedToken`: when it is still the current token, refresh (reason
   * `unauthorized`, shared with every caller that asks meanwhile); when a newer one exists, do
   * nothing. Resolves once a token newer than `rejectedToken` is current.
   */
  renew(rejectedToken: string): Promise<void>;
  /** The origins whose requests carry the token, normalised (`https://api.box.com`). */
  readonly origins: readonly string[];
}
