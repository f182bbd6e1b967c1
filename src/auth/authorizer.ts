import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import type { Failure } from '../retry/failure.js';
import type { Cancellation } from '../util/wait.js';
import type { BoxAuth } from './types.js';

/**
 * Where a BoxAuth made by createBoxAuth keeps the maker of its per-call helper. The call loop asks
 * for it only when the instance has an auth, so an app without one bundles none of that code.
 * `Symbol.for`: an auth from one copy of the package serves an instance attached by another.
 */
export const AUTHORIZE: unique symbol = Symbol.for('axios-box-status.authorize') as never;

/** A BoxAuth made by createBoxAuth: it gives each call its helper. */
export type AuthorizingBoxAuth = BoxAuth & { [AUTHORIZE]: (config: InternalAxiosRequestConfig) => CallAuthorizer };

/** The one re-send a 401 to a call's token earns. */
export interface Resend {
  /**
   * Wait until a token newer than the one the 401 answered is current (the refresh it takes is
   * shared with every call and instance that needs it); the failure that ends the call when the
   * refresh fails or the call is cancelled meanwhile.
   */
  renew(cancel: Cancellation): Promise<Failure | undefined>;
}

/** What the call loop asks of the helper a BoxAuth gives each call. */
export interface CallAuthorizer {
  /**
   * The token the next attempt of `request` carries (undefined: it goes to no origin of the auth,
   * and is sent as the caller made it), after the refresh it may have to wait for; or the failure
   * that ends the call. `unauthorized` is the 401 that made the call wait, when one did.
   */
  tokenFor(request: InternalAxiosRequestConfig, cancel: Cancellation, unauthorized: AxiosResponse | undefined): Promise<string | undefined | Failure>;
  /**
   * Whether a failure earns the call's one re-send with a fresh token (a 401 to the token it
   * sent, not re-sent yet): what the re-send waits for. The retry policy decides the rest.
   */
  resendFor(failure: Failure): Resend | undefined;
  /** Box answered an attempt: anything but a 401 proves the token the attempt carried. */
  answered(response: AxiosResponse): void;
  /** The call rejects with `error`: say in a 401's message why it carried no token, when it did not. */
  explain(error: unknown): void;
}
