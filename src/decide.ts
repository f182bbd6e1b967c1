import axios from 'axios';
import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { isNetworkError } from 'axios-retry';
import { retryDelayMs } from './backoff.js';
import { getHeader } from './headers.js';
import { MAX_TIMER_MS, type ResolvedPolicy } from './options.js';
import { parseRetryAfter } from './retry-after.js';

/** A failed attempt: a response the plugin would not accept as final, or an error without one. */
export interface Failure {
  config: InternalAxiosRequestConfig | undefined;
  response: AxiosResponse | undefined;
  error: unknown;
}

export type Decision =
  | {
      retry: true;
      delayMs: number;
      delaySource: 'retry-after' | 'backoff' | 'rate-limit';
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
]);
const NO: Decision = Object.freeze({ retry: false, notRetriedReason: undefined });

function no(notRetriedReason: string): Decision {
  return { retry: false, notRetriedReason };
}

/** A body that cannot be sent twice: a Node Readable (or form-data) or a web ReadableStream. */
export function isOneShotStream(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const candidate = data as { pipe?: unknown; getReader?: unknown };
  return typeof candidate.pipe === 'function' || typeof candidate.getReader === 'function';
}

/**
 * The error's code. The fetch adapter reports every transport failure as ERR_NETWORK, and a body
 * broken off ("terminated") with no code at all, and keeps the real one (ECONNREFUSED,
 * UND_ERR_SOCKET, ECONNRESET, Z_DATA_ERROR...) on its cause chain, where the rules must find it.
 */
function errorCode(error: unknown): unknown {
  let code = (error as { code?: unknown } | null)?.code;
  let cause = (error as { cause?: unknown } | null)?.cause;
  for (let depth = 0; (code === 'ERR_NETWORK' || code === undefined) && depth < 3 && cause; depth += 1) {
    const inner = (cause as { code?: unknown }).code;
    if (typeof inner === 'string') code = inner;
    cause = (cause as { cause?: unknown }).cause;
  }
  return code;
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

/** Why an error without a response may be retried, and whether Box certainly did not act. */
function transportFault(error: unknown): { reason: string; notSent: boolean } | undefined {
  const code = errorCode(error);
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
 * Whether to retry a failed attempt, and after which wait. `sent` is the number of requests sent
 * so far for this call. Pure but for `random` and `now`, which the caller supplies.
 */
export function decideRetry(
  failure: Failure,
  policy: ResolvedPolicy | false,
  sent: number,
  random: () => number,
  now: number,
): Decision {
  if (policy === false || axios.isCancel(failure.error)) return NO;
  const { config, response } = failure;
  let reason: string;
  let notActedOn: boolean;
  let status: number | undefined;
  let retryAfterMs: number | undefined;
  if (response) {
    status = response.status;
    retryAfterMs = parseRetryAfter(getHeader(response.headers, 'retry-after'), now);
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
  if (sent > policy.retries) return NO;
  return { retry: true, reason, status, retryAfterMs, ...retryDelayMs(sent, policy, retryAfterMs, random) };
}
