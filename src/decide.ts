import axios from 'axios';
import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { isNetworkError } from 'axios-retry';
import { retryDelayMs } from './backoff.js';
import { MAX_TIMER_MS, type ResolvedPolicy } from './defaults.js';
import { innerCode } from './hints/transport-cause.js';
import { retryAfterOf } from './retry-after.js';
import { cancelledError, type Cancellation } from './wait.js';

/** A failed attempt: a response the plugin would not accept as final, or an error without one. */
export interface Failure {
  readonly config: InternalAxiosRequestConfig | undefined;
  readonly response: AxiosResponse | undefined;
  readonly error: unknown;
  /** The response's Retry-After in milliseconds, parsed once, when the failure was met. */
  readonly retryAfterMs: number | undefined;
}

export type Decision =
  | {
      retry: true;
      delayMs: number;
      delaySource: 'retry-after' | 'backoff' | 'rate-limit' | 'refresh';
      reason: string;
      status: number | undefined;
      retryAfterMs: number | undefined;
    }
  | { retry: false; notRetriedReason: string | undefined };

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['get', 'head', 'options', 'put', 'delete']);
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['ECONNABORTED', 'ETIMEDOUT']);
// Axios's own codes for a request that is wrong or a response that is too large: the same
// request would fail the same way.
const PERMANENT_CODES: ReadonlySet<string> = new Set([
  'ERR_BAD_OPTION_VALUE',
  'ERR_BAD_OPTION',
  'ERR_DEPRECATED',
  'ERR_NOT_SUPPORT',
  'ERR_INVALID_URL',
  'ERR_FR_TOO_MANY_REDIRECTS',
  'ERR_BAD_REQUEST',
  'ERR_FORM_DATA_DEPTH_EXCEEDED',
  // A token refresh that failed: its calls are not re-sent (BoxAuthRefreshError).
  'ERR_BOX_AUTH_REFRESH',
]);
const NO: Decision = Object.freeze({ retry: false, notRetriedReason: undefined });

function no(notRetriedReason: string): Decision {
  return { retry: false, notRetriedReason };
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

/** A body that cannot be sent twice: a Node Readable (or form-data) or a web ReadableStream. */
export function isOneShotStream(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const candidate = data as { pipe?: unknown; getReader?: unknown };
  return typeof candidate.pipe === 'function' || typeof candidate.getReader === 'function';
}

/** An axios timeout: the transport's own or axios's `timeout` option. */
export function isTimeoutError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && TIMEOUT_CODES.has(code);
}

/**
 * Whether an error that carries a response is the transport failing after the headers (a
 * timeout, a reset or a close mid-body, a corrupt encoding) rather than the adapter rejecting the
 * status: axios attaches the response it was reading, which was cut short and is no answer.
 */
export function isCutShort(error: unknown): boolean {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code !== 'string' || code === 'ERR_BAD_REQUEST') return false;
  return code !== 'ERR_BAD_RESPONSE' || (error as { message?: unknown }).message === 'stream has been aborted';
}

/**
 * Why an error without a response may be retried, and whether Box certainly did not act. Which
 * codes are transient is axios-retry's `isNetworkError` (is-retry-allowed's list: not DNS
 * failures nor TLS certificate errors); what axios and the fetch adapter add is read here.
 */
function transportFault(error: unknown): { reason: string; notSent: boolean } | undefined {
  const { code } = innerCode(error);
  if (typeof code !== 'string') return undefined;
  if (code === 'ECONNREFUSED') return { reason: code, notSent: true };
  if (TIMEOUT_CODES.has(code)) return { reason: 'timeout', notSent: false };
  if (code === 'ERR_BAD_RESPONSE') {
    // Axios's "stream has been aborted" (a reset mid-body) is transient; a body over
    // maxContentLength is not. Before axios 1.7.8 a reset mid-body read "maxContentLength size of
    // -1 exceeded": with no limit set, that is the reset.
    const message = String((error as { message?: unknown }).message);
    return /maxContentLength size of (?!-1 )|maxBodyLength/.test(message)
      ? undefined
      : { reason: 'ECONNRESET', notSent: false };
  }
  if (PERMANENT_CODES.has(code) || !isNetworkError({ code } as never)) return undefined;
  return { reason: code, notSent: false };
}

/**
 * Whether to retry a failed attempt, and after which wait. `retry` is the number of the retry
 * this would be (1 for the first). A policy with `retry: false` never retries. Pure but for
 * `random`, which the caller supplies.
 */
export function decideRetry(
  failure: Failure,
  policy: ResolvedPolicy & { readonly retry?: boolean },
  retry: number,
  random: () => number,
): Decision {
  if (policy.retry === false || axios.isCancel(failure.error)) return NO;
  const { config, response, retryAfterMs } = failure;
  let reason: string;
  let notActedOn: boolean;
  let status: number | undefined;
  if (response) {
    status = response.status;
    if (status === 202) {
      if (retryAfterMs === undefined) return NO;
      reason = 'retry-after';
      notActedOn = true;
    } else if (policy.statuses.has(status)) {
      reason = `status ${status}`;
      // Box: a 429 was not executed. Any other status may hide a write that went through.
      notActedOn = status === 429;
    } else {
      return NO;
    }
  } else {
    const fault = transportFault(failure.error);
    if (!fault) return NO;
    reason = fault.reason;
    notActedOn = fault.notSent;
  }

  const method = (config?.method ?? 'get').toLowerCase();
  const idempotent = policy.idempotent ?? IDEMPOTENT_METHODS.has(method);
  if (!notActedOn && !idempotent) {
    return no(
      `${method.toUpperCase()} is not idempotent and Box may have acted on it (boxRetry: { idempotent: true } opts in)`,
    );
  }
  if (isOneShotStream(config?.data)) return no('the request body is a one-shot stream');
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) {
    return no(`Retry-After of ${retryAfterMs} ms is beyond maxRetryAfterMs (${policy.maxRetryAfterMs} ms)`);
  }
  if (retryAfterMs !== undefined && retryAfterMs >= MAX_TIMER_MS) {
    // parseRetryAfter caps at the timer limit: the server asked for that long or longer.
    return no(`Retry-After of ${MAX_TIMER_MS} ms or more is longer than a timer can wait`);
  }
  if (retry > policy.retries) return NO;
  return { retry: true, reason, status, retryAfterMs, ...retryDelayMs(retry, policy, retryAfterMs, random) };
}
