import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import type { Decision, Failure } from '../retry/decide.js';
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
}
