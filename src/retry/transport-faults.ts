import { isNetworkError } from 'axios-retry';
import { RESET, TIMED_OUT } from './reasons.js';

// What an error without a response says about the transport: a timeout, a reset, a request that
// never left, or a mistake that would fail the same way again.

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

/**
 * Why an error without a response may be retried, and whether Box certainly did not act. Which
 * codes are transient is axios-retry's `isNetworkError` (is-retry-allowed's list: not DNS
 * failures nor TLS certificate errors); what axios and the fetch adapter add is read here.
 */
export function transportFault(error: unknown): { reason: string; notSent: boolean } | undefined {
  const code = errorCode(error);
  if (typeof code !== 'string') return undefined;
  if (code === 'ECONNREFUSED') return { reason: code, notSent: true };
  if (TIMEOUT_CODES.has(code)) return { reason: TIMED_OUT, notSent: false };
  if (code === 'ERR_BAD_RESPONSE') {
    // Axios's "stream has been aborted" (a reset mid-body) is transient; a body over
    // maxContentLength is not. Before axios 1.7.8 a reset mid-body read "maxContentLength size of
    // -1 exceeded": with no limit set, that is the reset.
    const message = String((error as { message?: unknown }).message);
    return /maxContentLength size of (?!-1 )|maxBodyLength/.test(message) ? undefined : { reason: RESET, notSent: false };
  }
  if (PERMANENT_CODES.has(code) || !isNetworkError({ code } as never)) return undefined;
  return { reason: code, notSent: false };
}
