import type { BoxStateStore } from './store-types.js';

/** Why a token is being refreshed. */
export type BoxAuthRefreshReason = 'missing' | 'expiring' | 'unauthorized';

/** An access token, with its expiry when known. */
export interface BoxToken {
  /** The access token, sent as `Authorization: Bearer <accessToken>`. */
  accessToken: string;
  /** When it expires, in epoch milliseconds. Takes precedence over `expiresIn`. */
  expiresAt?: number | undefined;
  /** Seconds it lasts from now, as Box's token endpoint says (`expires_in`). */
  expiresIn?: number | undefined;
  /**
   * The refresh token that came with it (OAuth 2.0). A BoxAuth with a `store` keeps it there with
   * the access token, so that whichever process refreshes next spends the latest one.
   */
  refreshToken?: string | undefined;
}

/** What {@link BoxAuthOptions.refresh} is given. */
export interface BoxAuthRefreshContext {
  /**
   * `missing`: there is no token yet (or it was invalidated); `expiring`: less than
   * `refreshBeforeExpiryMs` is left of it; `unauthorized`: Box answered 401 to the current token.
   */
  reason: BoxAuthRefreshReason;
  /** The token a 401 answered (reason `unauthorized`). */
  rejectedToken?: string | undefined;
  /**
   * The latest refresh token the BoxAuth knows of (from its store, or from the last refresh),
   * when a refresh gave one: `boxRefreshTokenGrant` spends it rather than its own, older one.
   */
  refreshToken?: string | undefined;
  /** Aborted at `refreshTimeoutMs`: pass it to the request that fetches the token. */
  signal: AbortSignal;
}

/** What {@link BoxAuthOptions.onRefresh} is told after each refresh. Never the token itself. */
export interface BoxAuthRefreshEvent {
  reason: BoxAuthRefreshReason;
  /** Whether the refresh gave a token. */
  ok: boolean;
  /** How long it took, in milliseconds. */
  durationMs: number;
  /** The new token's expiry (epoch milliseconds), when it has one. */
  expiresAt?: number | undefined;
  /** What the refresh failed with (redacted as the plugin's errors are), when it did. */
  error?: unknown;
  /** The token came from the `store`: another process refreshed it, this one did not. */
  fromStore?: boolean | undefined;
}

/** Options of {@link createBoxAuth}. */
export interface BoxAuthOptions {
  /**
   * Fetch a new access token. Called at most once at a time per BoxAuth, however many calls and
   * instances wait for it. `boxClientCredentialsGrant` and `boxRefreshTokenGrant` make one.
   */
  refresh(context: BoxAuthRefreshContext): Promise<BoxToken | string>;
  /**
   * A token to start with, so that the first call need not refresh.
   * @default undefined (the first call refreshes, reason `missing`)
   */
  initialToken?: BoxToken | string | undefined;
  /**
   * The origins whose requests carry the token (scheme, host and port). A request to any other
   * origin is sent as the caller made it, and its 401 refreshes nothing.
   * @default ['https://api.box.com', 'https://upload.box.com']
   */
  origins?: readonly string[] | undefined;
  /**
   * A token with a known expiry is refreshed before a call when less than this is left of it.
   * @default 180000
   */
  refreshBeforeExpiryMs?: number | undefined;
  /**
   * How long a refresh may take: then its signal aborts, and the calls waiting for it reject
   * with a `BoxAuthRefreshError`.
   * @default 30000
   */
  refreshTimeoutMs?: number | undefined;
  /**
   * Told after each refresh, whether it gave a token or failed. What it throws is ignored.
   * @default undefined
   */
  onRefresh?: ((event: BoxAuthRefreshEvent) => void) | undefined;
  /**
   * Share the token and the refresh across processes (`createRedisStore`) or BoxAuths: one
   * process refreshes under the store's lock, and the others wait for its token and use it.
   * @default undefined (the token is this BoxAuth's own)
   */
  store?: BoxStateStore | undefined;
  /**
   * Whose token, within the store: BoxAuths with the same store and key share one token.
   * @default 'default'
   */
  key?: string | undefined;
}

/** A managed Box access token, shared by every call and every instance it is attached to. */
export interface BoxAuth {
  /**
   * The current access token, refreshed first when there is none or less than
   * `refreshBeforeExpiryMs` is left of it. Calls that ask while a refresh runs wait for it.
   * Rejects with a `BoxAuthRefreshError` when that refresh fails.
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
