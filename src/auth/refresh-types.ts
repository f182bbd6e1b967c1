/**
 * Why a token is being refreshed: `missing` (none yet, or invalidated), `expiring` (less than
 * `refreshBeforeExpiryMs` left), `unauthorized` (Box answered 401 to it).
 *
 * @example
 * ```ts
 * import type { BoxAuthRefreshReason } from 'axios-box-status';
 *
 * const worrying = (reason: BoxAuthRefreshReason): boolean => reason === 'unauthorized';
 * ```
 */
export type BoxAuthRefreshReason = 'missing' | 'expiring' | 'unauthorized';

/**
 * An access token, with its expiry when known: what a `refresh` resolves to (or the bare string).
 *
 * @example
 * ```ts
 * import { createBoxAuth, type BoxToken } from 'axios-box-status';
 *
 * // A token your own service hands out.
 * async function fromMyVault(): Promise<BoxToken> {
 *   const res = await fetch('https://vault.example.com/box-token');
 *   const { token, expires_in } = (await res.json()) as { token: string; expires_in: number };
 *   return { accessToken: token, expiresIn: expires_in };
 * }
 * const auth = createBoxAuth({ refresh: fromMyVault });
 * ```
 */
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

/**
 * What {@link BoxAuthOptions.refresh} is given.
 *
 * @example
 * ```ts
 * import { createBoxAuth, type BoxAuthRefreshContext } from 'axios-box-status';
 *
 * const auth = createBoxAuth({
 *   async refresh({ reason, signal }: BoxAuthRefreshContext) {
 *     console.log(`refreshing: ${reason}`);
 *     const res = await fetch('https://vault.example.com/box-token', { signal }); // abandoned at refreshTimeoutMs
 *     return ((await res.json()) as { token: string }).token;
 *   },
 * });
 * ```
 */
export interface BoxAuthRefreshContext {
  /**
   * `missing`: there is no token yet (or it was invalidated); `expiring`: less than
   * `refreshBeforeExpiryMs` is left of it; `unauthorized`: Box answered 401 to the current token.
   */
  reason: BoxAuthRefreshReason;
  /** The token a 401 answered (reason `unauthorized`). */
  rejectedToken?: string | undefined;
  /**
   * The newest refresh token the BoxAuth knows of (from the last refresh, or one another process
   * put in the store), when a refresh gave one; kept after a 401 and after `invalidate()`.
   * `boxRefreshTokenGrant` spends it unless it has spent it already (then its own, newer one).
   */
  refreshToken?: string | undefined;
  /**
   * Aborted when the refresh is abandoned, at `refreshTimeoutMs`: pass it to the request that
   * fetches the token. What an abandoned refresh still resolves to is adopted when no newer
   * token came meanwhile.
   */
  signal: AbortSignal;
}

/**
 * What {@link BoxAuthOptions.onRefresh} is told after each refresh. Never the token itself.
 *
 * @example
 * ```ts
 * import { boxClientCredentialsGrant, createBoxAuth, type BoxAuthRefreshEvent } from 'axios-box-status';
 *
 * const log = (event: BoxAuthRefreshEvent) =>
 *   console.log(`token refresh (${event.reason}) ${event.ok ? 'ok' : 'failed'} in ${Math.round(event.durationMs)} ms`);
 * const auth = createBoxAuth({
 *   refresh: boxClientCredentialsGrant({ clientId: 'id', clientSecret: 'secret', subjectType: 'enterprise', subjectId: '1' }),
 *   onRefresh: log,
 * });
 * ```
 */
export interface BoxAuthRefreshEvent {
  /** Why the token was refreshed. */
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
