import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { BoxAuthRefreshError } from '../errors/auth-refresh-error.js';
import type { BoxAuth } from './types.js';
import type { CallAuthorizer, Resend } from './authorizer.js';
import { abortedFailure, failureOf, type Failure } from '../retry/failure.js';
import { requestUrl, type UrlParts } from '../util/url.js';
import { raceAbort, type Cancellation } from '../util/wait.js';
import { hintOrigins } from '../errors/origin-hint.js';

/** Where a BoxAuth lists the credentials it holds, for the errors of the calls it served. */
export const AUTH_SECRETS: unique symbol = Symbol.for('axios-box-status.auth-secrets') as never;

/** The credentials a BoxAuth holds (its tokens, its refresher's secrets), for scrubbing. */
function authSecrets(auth: BoxAuth): readonly string[] {
  return (auth as Partial<Record<typeof AUTH_SECRETS, () => string[]>>)[AUTH_SECRETS]?.() ?? [];
}

/** The origin a request goes to, as axios builds its URL; undefined when it cannot tell. */
export function requestOrigin(config: UrlParts): string | undefined {
  try {
    return new URL(requestUrl(config), (globalThis as { location?: { href?: string } }).location?.href).origin;
  } catch {
    return undefined;
  }
}

/**
 * The origin a response came from, when a redirect may have moved it and the transport says where
 * to: Node's (the final request's `responseUrl`) and the browser's XHR (`responseURL`). The fetch
 * adapter does not tell.
 */
function responseOrigin(response: AxiosResponse): string | undefined {
  const request = response.request as { res?: { responseUrl?: unknown }; responseURL?: unknown } | undefined;
  const url = request?.res?.responseUrl ?? request?.responseURL;
  if (typeof url !== 'string' || url === '') return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * One call's dealings with its BoxAuth: the token each attempt to one of the auth's origins
 * carries, and the one re-send a 401 to that token earns.
 */
export class CallAuth implements CallAuthorizer {
  /** The token the last attempt carried; undefined when it carried none. */
  #sentToken: string | undefined;
  /** Whether the call's one re-send after a 401 has been granted. */
  #resent = false;
  readonly #auth: BoxAuth;
  readonly #config: InternalAxiosRequestConfig;
  readonly #refuse: (token: string) => void;
  readonly #accept: (token: string) => void;

  /**
   * `refuse` tells the BoxAuth at once that Box answered 401 to a token: no call sends it again;
   * `accept`, that Box answered it otherwise: the refresh that gave it succeeded.
   */
  constructor(auth: BoxAuth, config: InternalAxiosRequestConfig, refuse: (token: string) => void, accept: (token: string) => void) {
    this.#auth = auth;
    this.#config = config;
    this.#refuse = refuse;
    this.#accept = accept;
  }

  answered(response: AxiosResponse): void {
    if (this.#sentToken !== undefined && response.status !== 401) this.#accept(this.#sentToken);
  }

  explain(error: unknown): void {
    // The last attempt carried no token: it went to none of the auth's origins.
    if (this.#sentToken === undefined) hintOrigins(error, this.#config, requestOrigin(this.#config), this.#auth.origins);
  }

  async tokenFor(request: InternalAxiosRequestConfig, cancel: Cancellation, unauthorized: AxiosResponse | undefined): Promise<string | undefined | Failure> {
    this.#sentToken = undefined;
    if (!this.#auth.origins.includes(requestOrigin(request) ?? '')) return undefined;
    let token: string | undefined;
    try {
      token = await raceAbort(this.#auth.token(), cancel);
    } catch (error) {
      return this.#refreshFailure(error, unauthorized);
    }
    if (token === undefined) return abortedFailure(this.#config, cancel);
    this.#sentToken = token;
    return token;
  }

  /**
   * A 401 to the token this call sent earns one re-send, when the call has not been re-sent yet
   * (retry/decide.ts's decideResend says whether it can be). Undefined for any other failure: the
   * retry policy decides those.
   */
  resendFor(failure: Failure): Resend | undefined {
    const token = this.#sentToken;
    const response = failure.response;
    if (token === undefined || response?.status !== 401) return undefined;
    // A redirect may have led elsewhere (a download handed to another host): its 401 is not Box's
    // answer to the token, which the transport does not carry across origins anyway.
    const origin = responseOrigin(response);
    if (origin !== undefined && !this.#auth.origins.includes(origin)) return undefined;
    // Whether or not this call is re-sent, the token is spent: no later call may send it.
    this.#refuse(token);
    if (this.#resent) return undefined;
    return { renew: (cancel) => this.#renew(token, cancel, response) };
  }

  /** The re-send's wait: a token newer than `token`, the one the 401 `unauthorized` answered. */
  async #renew(token: string, cancel: Cancellation, unauthorized: AxiosResponse): Promise<Failure | undefined> {
    this.#resent = true;
    let renewed: true | undefined;
    try {
      renewed = await raceAbort(this.#auth.renew(token).then(() => true as const), cancel);
    } catch (error) {
      return this.#refreshFailure(error, unauthorized);
    }
    return renewed ? undefined : abortedFailure(this.#config, cancel);
  }

  /**
   * A refresh's failure (the BoxAuthRefreshError every waiting call shares) as this call's own
   * error: its config, its 401, the auth's secrets scrubbed.
   */
  #refreshFailure(error: unknown, unauthorized: AxiosResponse | undefined): Failure {
    const shared = error as BoxAuthRefreshError;
    // As on the Box errors: the response's config is the call's, not the attempt's copy.
    if (unauthorized) unauthorized.config = this.#config;
    const own = new BoxAuthRefreshError({
      reason: shared.reason,
      cause: shared.cause,
      timedOutAfterMs: shared.timedOutAfterMs,
      coolingDownMs: shared.coolingDownMs,
      response: unauthorized,
      config: this.#config,
      secrets: authSecrets(this.#auth),
    });
    return failureOf(this.#config, undefined, own);
  }
}
