import { aFunction, aString, fail, layOver, oneOf } from '../options/rules.js';
import { CREDENTIALS, expiresIn, grant, requestToken, tokenClient, TOKEN_URL, type BoxTokenRefresher } from './token-request.js';

export type { BoxTokenRefresher } from './token-request.js';

import type { BoxClientCredentialsGrantOptions, BoxRefreshTokenGrantOptions } from './grant-types.js';

export type { BoxClientCredentialsGrantOptions, BoxRefreshTokenGrantOptions, BoxTokenPair } from './grant-types.js';

/** How many spent refresh tokens a grant remembers, to refuse one offered again. */
const SPENT_KEPT = 32;

/**
 * The refresh function of a Client Credentials Grant app (CCG): a new access token from Box's
 * token endpoint whenever one is needed (CCG has no refresh token). Options are validated here.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, boxClientCredentialsGrant, createBoxAuth } from 'axios-box-status';
 *
 * const auth = createBoxAuth({
 *   refresh: boxClientCredentialsGrant({
 *     clientId: process.env.BOX_CLIENT_ID!,
 *     clientSecret: process.env.BOX_CLIENT_SECRET!,
 *     subjectType: 'enterprise',
 *     subjectId: process.env.BOX_ENTERPRISE_ID!,
 *   }),
 * });
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box, { auth });
 * ```
 */
export function boxClientCredentialsGrant(options: BoxClientCredentialsGrantOptions): BoxTokenRefresher {
  const { clientId, clientSecret, subjectType, subjectId, tokenUrl } = layOver(
    options,
    { tokenUrl: TOKEN_URL } as BoxClientCredentialsGrantOptions & { tokenUrl: string },
    { ...CREDENTIALS, subjectType: oneOf('enterprise', 'user'), subjectId: aString },
    'boxClientCredentialsGrant',
    undefined,
    'an object',
  );
  for (const key of ['clientId', 'clientSecret', 'subjectType', 'subjectId'] as const) {
    if (options[key] === undefined) fail(`boxClientCredentialsGrant.${key}`, 'set', undefined);
  }
  const client = tokenClient();
  return grant(
    async (_context, signal) => {
      // A CCG request spends nothing: it may be sent again after any network failure, or cut short.
      const data = await requestToken(
        client,
        tokenUrl,
        {
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
          box_subject_type: subjectType,
          box_subject_id: subjectId,
        },
        signal,
        false,
      );
      return { accessToken: data.access_token, expiresIn: expiresIn(data) };
    },
    () => [clientSecret],
  );
}

/**
 * The refresh function of an OAuth 2.0 app: a new access token for the current refresh token,
 * which Box replaces with a new one each time (single use); `onTokens` gets the new pair to
 * persist. It always presents the newest refresh token it has received: one the BoxAuth offers
 * (`context.refreshToken`, from another process through the store) only when it has not spent
 * it already. Options are validated here.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import axios from 'axios';
 * import { attachBoxStatus, boxRefreshTokenGrant, createBoxAuth } from 'axios-box-status';
 *
 * const auth = createBoxAuth({
 *   refresh: boxRefreshTokenGrant({
 *     clientId: process.env.BOX_CLIENT_ID!,
 *     clientSecret: process.env.BOX_CLIENT_SECRET!,
 *     refreshToken: process.env.BOX_REFRESH_TOKEN!,
 *     // Box's refresh tokens are single use: keep the new one.
 *     onTokens: ({ refreshToken }) => writeFile('box-refresh-token', refreshToken, { mode: 0o600 }),
 *   }),
 * });
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box, { auth });
 * ```
 */
export function boxRefreshTokenGrant(options: BoxRefreshTokenGrantOptions): BoxTokenRefresher {
  const resolved = layOver(
    options,
    { tokenUrl: TOKEN_URL } as BoxRefreshTokenGrantOptions & { tokenUrl: string },
    { ...CREDENTIALS, refreshToken: aString, onTokens: aFunction },
    'boxRefreshTokenGrant',
    undefined,
    'an object',
  );
  for (const key of ['clientId', 'clientSecret', 'refreshToken'] as const) {
    if (options[key] === undefined) fail(`boxRefreshTokenGrant.${key}`, 'set', undefined);
  }
  const { clientId, clientSecret, tokenUrl, onTokens } = resolved;
  let refreshToken = resolved.refreshToken;
  /** Refresh tokens this grant has sent: an older one offered back (a store that missed a write) is not sent again. */
  const spent: string[] = [];
  /** The access token the last answer carried: scrubbed too, should onTokens fail quoting it. */
  let accessToken = '';
  const client = tokenClient();
  return grant(
    async ({ refreshToken: offered }, signal) => {
      if (offered && !spent.includes(offered)) refreshToken = offered;
      signal.throwIfAborted();
      const presented = refreshToken;
      if (spent.push(presented) > SPENT_KEPT) spent.shift();
      const data = await requestToken(
        client,
        tokenUrl,
        { grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: presented },
        signal,
        true,
      );
      accessToken = data.access_token;
      // Single use: once Box answers, the old refresh token is spent, whatever happens next.
      if (typeof data.refresh_token === 'string' && data.refresh_token !== '') refreshToken = data.refresh_token;
      const seconds = expiresIn(data);
      const expiresAt = Date.now() + (seconds ?? 3600) * 1000;
      await onTokens?.({ accessToken: data.access_token, refreshToken, expiresAt });
      return { accessToken: data.access_token, expiresAt, refreshToken };
    },
    () => [clientSecret, refreshToken, accessToken].filter((secret) => secret !== ''),
  );
}
