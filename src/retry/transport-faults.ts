import { isNetworkError } from 'axios-retry';
import { innerCode } from '../errors/transport-cause.js';
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
  const { code } = innerCode(error);
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
