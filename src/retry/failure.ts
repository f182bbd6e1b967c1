import axios from 'axios';
import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { retryAfterOf } from '../box/retry-after.js';
import { cancelledError, type Cancellation } from '../util/wait.js';
import { isCutShort } from './transport-faults.js';

/** A failed attempt: a response the plugin would not accept as final, or an error without one. */
export interface Failure {
  readonly config: InternalAxiosRequestConfig | undefined;
  readonly response: AxiosResponse | undefined;
  readonly error: unknown;
  /** The response's Retry-After in milliseconds, parsed once, when the failure was met. */
  readonly retryAfterMs: number | undefined;
}

/** The failure of a response that is not final (a 4xx, a 5xx, a 202), or of an error. */
export function failureOf(
  config: InternalAxiosRequestConfig | undefined,
  response: AxiosResponse | undefined,
  error: unknown,
  now = Date.now(),
): Failure {
  return {
    config,
    response,
    error,
    retryAfterMs: response && retryAfterOf(response, now),
  };
}

/**
 * The failure of an attempt that rejected. A response cut short is a transport failure: never
 * settled (it would resolve a 200). A custom adapter may reject with a response of its own: that
 * one is settled like any other.
 */
export function rejectionFailure(config: InternalAxiosRequestConfig | undefined, error: unknown): Failure {
  const response = isCutShort(error) ? undefined : (error as { response?: AxiosResponse } | null | undefined)?.response;
  return failureOf(config, response, error);
}

/** The failure of a call that has been cancelled, when it has. */
export function cancelledFailure(config: InternalAxiosRequestConfig, cancel: Cancellation): Failure | undefined {
  const error = cancelledError(config, cancel);
  return error === undefined ? undefined : failureOf(config, undefined, error);
}

/** The failure of a call whose wait a cancel cut short (raceAbort gave up on its work). */
export function abortedFailure(config: InternalAxiosRequestConfig, cancel: Cancellation): Failure {
  return failureOf(config, undefined, cancelledError(config, cancel) ?? new axios.CanceledError(undefined, config));
}

/** A body that cannot be sent twice: a Node Readable (or form-data) or a web ReadableStream. */
export function isOneShotStream(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const candidate = data as { pipe?: unknown; getReader?: unknown };
  return typeof candidate.pipe === 'function' || typeof candidate.getReader === 'function';
}

/** How a call ends without a final answer: the failure it settles with, and why it was not retried. */
export interface Ending {
  readonly failure: Failure;
  /** Why the failure was not retried; undefined when it could not be (a 404, a cancel). */
  readonly reason: string | undefined;
}
