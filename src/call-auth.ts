import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { BoxAuthRefreshError } from './auth-error.js';
import type { BoxAuth } from './auth-types.js';
import type { AUTHORIZE } from './brand.js';
import { cancelledFailure, failureOf, isOneShotStream, type Decision, type Failure } from './decide.js';
import { hintOrigins } from './hints/origin-hint.js';
import { raceAbort, type Cancellation } from './wait.js';

/** Where a BoxAuth lists the credentials it holds, for the errors of the calls it served. */
export const AUTH_SECRETS: unique symbol = Symbol.for('axios-box-status.auth-secrets') as never;

/** The credentials a BoxAuth holds (its tokens, its refresher's secrets), for scrubbing. */
function authSecrets(auth: BoxAuth): readonly string[] {
  return (auth as Partial<Record<typeof AUTH_SECRETS, () => string[]>>)[AUTH_SECRETS]?.() ?? [];
}

// Absolute, or protocol-relative (//host/path), as axios's isAbsoluteURL has it.
const ABSOLUTE = /^(?:[a-z][a-z\d+.-]*:)?\/\//i;

/** The origin a request goes to, as axios builds its URL; undefined when it cannot tell. */
export function requestOrigin(config: Pick<InternalAxiosRequestConfig, 'url' | 'baseURL' | 'allowAbsoluteUrls'>): string | undefined {
  const url = config.url ?? '';
  const base = config.baseURL;
  const target =
    base && !(ABSOLUTE.test(url) && config.allowAbsoluteUrls !== false)
      ? `${base.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`
      : url;
  try {
    return new URL(target, (globalThis as { location?: { href?: string } }).location?.href).origin;
  } catch {
    return undefined;
  }
}

/** A BoxAuth made by createBoxAuth: it gives each call its helper. */
export type AuthorizingBoxAuth = BoxAuth & { [AUTHORIZE]: (config: InternalAxiosRequestConfig) => CallAuthorizer };

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

/** What the call loop asks of the helper a BoxAuth gives each call. */
export interface CallAuthorizer {
  tokenFor(
    request: InternalAxiosRequestConfig,
    cancel: Cancellation,
    unauthorized: AxiosResponse | undefined,
  ): Promise<{ token?: string; failure?: Failure }>;
  resendFor(failure: Failure): Decision | undefined;
  renew(cancel: Cancellation, unauthorized: AxiosResponse): Promise<Failure | undefined>;
  /** Box answered an attempt: anything but a 401 proves the token the attempt carried. */
  answered(response: AxiosResponse): void;
  /** The call rejects with `error`: say in a 401's message why it carried no token, when it did not. */
  explain(error: unknown): void;
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

  /**
   * The token the next attempt of `request` carries (undefined when the request goes to no origin
   * of the auth: it is sent as the caller made it), after the refresh it may have to wait for; or
   * the failure that ends the call: the refresh failed, or the call was cancelled meanwhile.
   * `unauthorized` is the 401 that made the call wait, when one did.
   */
  async tokenFor(
    request: InternalAxiosRequestConfig,
    cancel: Cancellation,
    unauthorized: AxiosResponse | undefined,
  ): Promise<{ token?: string; failure?: Failure }> {
    this.#sentToken = undefined;
    if (!this.#auth.origins.includes(requestOrigin(request) ?? '')) return {};
    let token: string | undefined;
    try {
      await raceAbort(
        this.#auth.token().then((value) => {
          token = value;
        }),
        cancel,
      );
    } catch (error) {
      return { failure: this.#refreshFailure(error, unauthorized) };
    }
    if (token === undefined) return { failure: cancelledFailure(this.#config, cancel) as Failure };
    this.#sentToken = token;
    return { token };
  }

  /**
   * The re-send a failure earns: a 401 to the token this call sent, when the call has not been
   * re-sent yet. Box did not act on it, so any method is re-sent, unless its body is a one-shot
   * stream. Undefined for any other failure (the retry policy decides those).
   */
  resendFor(failure: Failure): Decision | undefined {
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
    if (isOneShotStream(failure.config?.data)) {
      return { retry: false, notRetriedReason: 'the request body is a one-shot stream' };
    }
    return {
      retry: true,
      delayMs: 0,
      delaySource: 'refresh',
      reason: 'unauthorized',
      status: 401,
      retryAfterMs: failure.retryAfterMs,
    };
  }

  /**
   * Wait until a token newer than the one a 401 answered is current (the refresh it takes is
   * shared with every call and instance that needs it); the failure that ends the call when the
   * refresh fails or the call is cancelled meanwhile.
   */
  async renew(cancel: Cancellation, unauthorized: AxiosResponse): Promise<Failure | undefined> {
    this.#resent = true;
    let done = false;
    try {
      await raceAbort(
        this.#auth.renew(this.#sentToken as string).then(() => {
          done = true;
        }),
        cancel,
      );
    } catch (error) {
      return this.#refreshFailure(error, unauthorized);
    }
    return done ? undefined : cancelledFailure(this.#config, cancel);
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
