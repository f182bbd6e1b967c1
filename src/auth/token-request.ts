import axios from 'axios';
import type { AxiosInstance } from 'axios';
import { attachBoxStatus } from '../attach.js';
import { noAccessToken } from '../errors/messages.js';
import { REFRESH_SECRETS, secureUrl } from './options.js';
import type { BoxAuthOptions, BoxAuthRefreshContext, BoxToken } from './types.js';
import { aString, type Rule } from '../options/rules.js';

// What every grant shares (CCG and refresh token here, JWT in axios-box-status/jwt): the token
// endpoint's form POST, its answer, the sharing of one request among overlapping refreshes.

/**
 * A refresh function for {@link createBoxAuth}: what the grants return, and what a `refresh` of
 * your own is.
 *
 * @example
 * ```ts
 * import { boxClientCredentialsGrant, createBoxAuth, type BoxTokenRefresher } from 'axios-box-status';
 *
 * const grant = boxClientCredentialsGrant({ clientId: 'id', clientSecret: 'secret', subjectType: 'enterprise', subjectId: '1' });
 * // Wrap a grant: count the refreshes.
 * let refreshes = 0;
 * const counted: BoxTokenRefresher = (context) => {
 *   refreshes += 1;
 *   return grant(context);
 * };
 * const auth = createBoxAuth({ refresh: counted });
 * ```
 */
export type BoxTokenRefresher = BoxAuthOptions['refresh'];

export const TOKEN_URL = 'https://api.box.com/oauth2/token';
/**
 * How long a token request may take. A grant whose request spends a single-use credential lets
 * it finish after the refresh's signal aborts: Box may already have spent the refresh token and
 * issued the next one, which only its answer carries. This bounds a request that never answers.
 */
const TOKEN_REQUEST_TIMEOUT_MS = 60_000;

/** The options every grant has: the app's credentials, and where its token endpoint is. */
export const CREDENTIALS: Record<'clientId' | 'clientSecret' | 'tokenUrl', Rule> = {
  clientId: aString,
  clientSecret: aString,
  tokenUrl: (value, name) => {
    secureUrl(value, name, 'URL');
    return value;
  },
};

/** Box's answer to a token request: the fields the grants read. */
export interface TokenResponse {
  access_token: string;
  expires_in?: unknown;
  refresh_token?: unknown;
}

/** An instance of the grants' own, with the plugin attached: a 429 is waited out, an OAuth2 error is a BoxClientError. */
export function tokenClient(): AxiosInstance {
  const client = axios.create();
  attachBoxStatus(client);
  return client;
}

/**
 * POST a token request as `application/x-www-form-urlencoded` through a `tokenClient()`: a 429 is
 * retried after its Retry-After, and an OAuth2 error answer (`{ error, error_description }`)
 * rejects as a BoxClientError whose `boxCode` is the OAuth2 `error` (`invalid_grant`), its
 * renderings free of the form's secrets. `form` may be made for the time it is sent (each attempt
 * its own). `signal` stops it; when the request `spends` a
 * single-use credential (a refresh token), only before it is sent and before a retry (which
 * follows only a 429 or a refused connection, where Box spent nothing): an attempt on the wire
 * finishes, so that the credential Box issues in its place is never lost.
 */
export async function requestToken(
  client: AxiosInstance,
  tokenUrl: string,
  form: Record<string, string> | ((sendAtMs: number) => Record<string, string>),
  signal: AbortSignal,
  spends: boolean,
): Promise<TokenResponse> {
  signal.throwIfAborted();
  const formAt = typeof form === 'function' ? form : () => form;
  const { data } = await client.post<Partial<TokenResponse>>(tokenUrl, new URLSearchParams(formAt(Date.now())), {
    timeout: TOKEN_REQUEST_TIMEOUT_MS,
    ...(spends ? {} : { signal }),
    // Never sent twice when it spends a credential: Box may have spent it on the first.
    boxRetry: {
      idempotent: !spends,
      onRetry(event) {
        signal.throwIfAborted();
        // A form made for its send time (a JWT assertion: Box refuses a jti it has seen, and an
        // exp past) is made again for each attempt, for when it goes.
        event.config.data = new URLSearchParams(formAt(Date.now() + event.delayMs)).toString();
      },
    },
  });
  if (typeof data?.access_token !== 'string' || data.access_token === '') {
    throw new TypeError(noAccessToken(tokenUrl));
  }
  return data as TokenResponse;
}

/** Box's `expires_in` (seconds), when it is a usable number. */
export function expiresIn(data: TokenResponse): number | undefined {
  return typeof data.expires_in === 'number' && Number.isFinite(data.expires_in) && data.expires_in >= 0
    ? data.expires_in
    : undefined;
}

/**
 * A grant's refresh function: `fetch` shared by the refreshes that overlap (one request, however
 * many BoxAuths ask), and listing the grant's secrets for the BoxAuth to scrub. The request's own
 * signal aborts once every refresh that shares it has aborted (been abandoned): one BoxAuth's
 * timeout does not cancel another's refresh, and a refresh asked for after that gets a request of
 * its own.
 */
export function grant(
  fetch: (context: BoxAuthRefreshContext, signal: AbortSignal) => Promise<BoxToken>,
  secrets: () => string[],
): BoxTokenRefresher {
  let shared: { promise: Promise<BoxToken>; controller: AbortController; waiting: number } | undefined;
  const refresher = (context: BoxAuthRefreshContext): Promise<BoxToken> => {
    if (!shared || shared.controller.signal.aborted) {
      const controller = new AbortController();
      const run = { controller, waiting: 0, promise: Promise.resolve().then(() => fetch(context, controller.signal)) };
      run.promise.then(
        () => void (shared === run && (shared = undefined)),
        () => void (shared === run && (shared = undefined)),
      );
      shared = run;
    }
    const run = shared;
    const { signal } = context;
    run.waiting += 1;
    const leave = (): void => {
      run.waiting -= 1;
      if (run.waiting === 0) run.controller.abort(signal.reason);
    };
    if (signal.aborted) leave();
    else {
      signal.addEventListener('abort', leave, { once: true });
      const forget = (): void => signal.removeEventListener('abort', leave);
      run.promise.then(forget, forget);
    }
    return run.promise;
  };
  return Object.defineProperty(refresher, REFRESH_SECRETS, { value: secrets });
}
