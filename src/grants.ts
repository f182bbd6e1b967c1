import axios from 'axios';
import type { AxiosInstance } from 'axios';
import { attachBoxStatus } from './attach.js';
import { REFRESH_SECRETS } from './auth-options.js';
import type { BoxAuthOptions, BoxAuthRefreshContext, BoxToken } from './auth-types.js';
import { aFunction, aString, fail, layOver, oneOf, type Rule } from './rules.js';

/** A refresh function for {@link createBoxAuth}. */
export type BoxTokenRefresher = BoxAuthOptions['refresh'];

/** Options of {@link boxClientCredentialsGrant}. */
export interface BoxClientCredentialsGrantOptions {
  clientId: string;
  clientSecret: string;
  /** `enterprise` for the app's service account, `user` for a managed or app user. */
  subjectType: 'enterprise' | 'user';
  /** The enterprise id, or the user id. */
  subjectId: string;
  /** @default 'https://api.box.com/oauth2/token' */
  tokenUrl?: string | undefined;
}

/** What {@link BoxRefreshTokenGrantOptions.onTokens} is handed after each refresh. */
export interface BoxTokenPair {
  accessToken: string;
  /** The new refresh token: the one given before no longer works (Box's are single use). */
  refreshToken: string;
  /** When the access token expires, in epoch milliseconds. */
  expiresAt: number;
}

/** Options of {@link boxRefreshTokenGrant}. */
export interface BoxRefreshTokenGrantOptions {
  clientId: string;
  clientSecret: string;
  /** The refresh token to start with; each refresh replaces it. */
  refreshToken: string;
  /**
   * Handed the new pair after each refresh, and awaited, so that the app can persist the new
   * refresh token. When it throws, the refresh fails with its error (the grant still uses the new
   * refresh token next time).
   * @default undefined
   */
  onTokens?: ((tokens: BoxTokenPair) => void | Promise<void>) | undefined;
  /** @default 'https://api.box.com/oauth2/token' */
  tokenUrl?: string | undefined;
}

const TOKEN_URL = 'https://api.box.com/oauth2/token';
/**
 * How long a token request may take. A grant lets its request finish after the refresh's signal
 * aborts (a refresh that timed out): Box may already have spent the refresh token and issued the
 * next one, which only its answer carries. This bounds a request that never answers.
 */
const TOKEN_REQUEST_TIMEOUT_MS = 60_000;

const aUrl: Rule = (value, name) => {
  try {
    if (typeof value === 'string' && /^https?:$/.test(new URL(value).protocol)) return value;
  } catch {
    // Not a URL: refused below.
  }
  return fail(name, 'an http(s) URL', value);
};

const CREDENTIALS = { clientId: aString, clientSecret: aString, tokenUrl: aUrl };

/** Box's answer to a token request: the fields the grants read. */
interface TokenResponse {
  access_token?: unknown;
  expires_in?: unknown;
  refresh_token?: unknown;
}

/**
 * POST a token request as `application/x-www-form-urlencoded` through an instance with the
 * plugin attached: a 429 is retried after its Retry-After, and an OAuth2 error answer
 * (`{ error, error_description }`) rejects as a BoxClientError whose `boxCode` is the OAuth2
 * `error` (`invalid_grant`), its renderings free of the form's secrets.
 */
async function requestToken(
  client: AxiosInstance,
  tokenUrl: string,
  form: Record<string, string>,
  idempotent: boolean,
): Promise<TokenResponse & { access_token: string }> {
  const { data } = await client.post<TokenResponse>(tokenUrl, new URLSearchParams(form), {
    timeout: TOKEN_REQUEST_TIMEOUT_MS,
    boxRetry: { idempotent },
  });
  if (typeof data?.access_token !== 'string' || data.access_token === '') {
    throw new TypeError(`axios-box-status: the token endpoint ${tokenUrl} answered without an access_token`);
  }
  return data as TokenResponse & { access_token: string };
}

function tokenClient(): AxiosInstance {
  const client = axios.create();
  attachBoxStatus(client);
  return client;
}

/** `refresh`, made to share one request among callers that overlap, and to list its secrets. */
function grant(refresh: BoxTokenRefresher, secrets: () => string[]): BoxTokenRefresher {
  let inFlight: Promise<BoxToken | string> | undefined;
  const shared = (context: BoxAuthRefreshContext): Promise<BoxToken | string> => {
    inFlight ??= refresh(context).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  return Object.defineProperty(shared, REFRESH_SECRETS, { value: secrets });
}

/**
 * The refresh function of a Client Credentials Grant app (CCG): a new access token from Box's
 * token endpoint whenever one is needed (CCG has no refresh token). Options are validated here.
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
    async () => {
      // A CCG request spends nothing: it may be sent again after any network failure.
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
        true,
      );
      return { accessToken: data.access_token, expiresIn: expiresIn(data) };
    },
    () => [clientSecret],
  );
}

/**
 * The refresh function of an OAuth 2.0 app: a new access token for the current refresh token,
 * which Box replaces with a new one each time (single use); `onTokens` gets the new pair to
 * persist. Options are validated here.
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
  /** The access token the last answer carried: scrubbed too, should onTokens fail quoting it. */
  let accessToken = '';
  const client = tokenClient();
  return grant(
    async ({ refreshToken: latest }) => {
      // A BoxAuth with a store knows the refresh token another process got last: spend that one.
      if (latest) refreshToken = latest;
      const data = await requestToken(
        client,
        tokenUrl,
        { grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken },
        // Never sent twice: Box may have spent the refresh token on the first.
        false,
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

/** Box's `expires_in` (seconds), when it is a usable number. */
function expiresIn(data: TokenResponse): number | undefined {
  return typeof data.expires_in === 'number' && Number.isFinite(data.expires_in) && data.expires_in >= 0
    ? data.expires_in
    : undefined;
}
