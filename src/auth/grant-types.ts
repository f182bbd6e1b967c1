/**
 * Options of {@link boxClientCredentialsGrant}: the app's credentials and whose token it asks for.
 *
 * @example
 * ```ts
 * import { boxClientCredentialsGrant, type BoxClientCredentialsGrantOptions } from 'axios-box-status';
 *
 * const options: BoxClientCredentialsGrantOptions = { clientId: 'id', clientSecret: 'secret', subjectType: 'user', subjectId: '33' };
 * const refresh = boxClientCredentialsGrant(options);
 * ```
 */
export interface BoxClientCredentialsGrantOptions {
  /** The app's client id. */
  clientId: string;
  /** The app's client secret. */
  clientSecret: string;
  /** `enterprise` for the app's service account, `user` for a managed or app user. */
  subjectType: 'enterprise' | 'user';
  /** The enterprise id, or the user id. */
  subjectId: string;
  /** `https:` (`http:` only on a loopback host). @default 'https://api.box.com/oauth2/token' */
  tokenUrl?: string | undefined;
}

/**
 * What {@link BoxRefreshTokenGrantOptions.onTokens} is handed after each refresh.
 *
 * @example
 * ```ts
 * import { boxRefreshTokenGrant, type BoxTokenPair } from 'axios-box-status';
 *
 * const saved = new Map<string, BoxTokenPair>();
 * const refresh = boxRefreshTokenGrant({
 *   clientId: 'id',
 *   clientSecret: 'secret',
 *   refreshToken: 'the one your authorization gave',
 *   onTokens: (pair) => void saved.set('user-33', pair), // a database in real life
 * });
 * ```
 */
export interface BoxTokenPair {
  /** The new access token. */
  accessToken: string;
  /** The new refresh token: the one given before no longer works (Box's are single use). */
  refreshToken: string;
  /** When the access token expires, in epoch milliseconds. */
  expiresAt: number;
}

/**
 * Options of {@link boxRefreshTokenGrant}.
 *
 * @example
 * ```ts
 * import { boxRefreshTokenGrant, type BoxRefreshTokenGrantOptions } from 'axios-box-status';
 *
 * const options: BoxRefreshTokenGrantOptions = {
 *   clientId: 'id',
 *   clientSecret: 'secret',
 *   refreshToken: 'the one your authorization gave',
 *   onTokens: async ({ refreshToken }) => console.log(`persist ${refreshToken.length} characters`),
 * };
 * const refresh = boxRefreshTokenGrant(options);
 * ```
 */
export interface BoxRefreshTokenGrantOptions {
  /** The app's client id. */
  clientId: string;
  /** The app's client secret. */
  clientSecret: string;
  /** The refresh token to start with; each refresh replaces it. */
  refreshToken: string;
  /**
   * Handed the new pair after each refresh, and awaited, so that the app can persist the new
   * refresh token; after a refresh that was abandoned too (its late answer). When it throws, the
   * refresh fails with its error; the grant still spends the new refresh token next time.
   * @default undefined
   */
  onTokens?: ((tokens: BoxTokenPair) => void | Promise<void>) | undefined;
  /** `https:` (`http:` only on a loopback host). @default 'https://api.box.com/oauth2/token' */
  tokenUrl?: string | undefined;
}
