import { classifyStatus } from '../box/classify.js';

// Every message the plugin's errors carry, in one place: the Box errors', the notes added to a
// plain axios error, the token refresh's, the deadline's, and the form of an option's TypeError
// (what each option must be is written by its rule, in its validation table). Why a failure was
// not retried, which these messages quote, is retry/reasons.ts.

const PREFIX = 'axios-box-status: ';
/** A Box error's message quotes this much of Box's own message at most. */
const MAX_MESSAGE_CHARS = 500;

/**
 * `Box API 404 not_found: Not Found (request abc) after 2 attempts; not retried: ...`: Box's code
 * and message (else the status text, else the status class), its request id, the attempts made and
 * why the call was not retried.
 */
export function boxApiMessage(
  status: number,
  statusText: string | undefined,
  boxCode: string | undefined,
  boxMessage: string | undefined,
  requestId: string | undefined,
  attempts: number,
  notRetriedReason: string | undefined,
): string {
  const detail = boxMessage ?? (statusText || classifyStatus(status).replace('-', ' '));
  let message = `Box API ${status}${boxCode ? ` ${boxCode}` : ''}: `;
  message += detail.length > MAX_MESSAGE_CHARS ? `${detail.slice(0, MAX_MESSAGE_CHARS)}...` : detail;
  if (requestId) message += ` (request ${requestId})`;
  if (attempts > 1) message += ` after ${attempts} attempts`;
  if (notRetriedReason) message += `; not retried: ${notRetriedReason}`;
  return message;
}

/**
 * What a plain axios error's message gains: ` (connect ECONNREFUSED ...; after 2 attempts; not
 * retried: ...)`, or nothing. `hidden` is what a fetch adapter's bare `Network Error` hides.
 */
export function plainErrorNotes(hidden: string | undefined, attempts: number, notRetriedReason: string | undefined): string {
  const notes: string[] = hidden ? [hidden] : [];
  if (attempts > 1) notes.push(`after ${attempts} attempts`);
  if (notRetriedReason) notes.push(`not retried: ${notRetriedReason}`);
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}

/** The message of the error a call the deadline ended before any answer rejects with. */
export const DEADLINE_EXCEEDED = 'deadline exceeded';

/** What a thrown value says; never throws itself (a null-prototype object, a revoked Proxy). */
function textOf(value: unknown): string {
  try {
    return value instanceof Error ? String(value.message) : String(value);
  } catch {
    return 'a value with no string form';
  }
}

/**
 * `Box token refresh (reason missing) failed: ...` (what `cause` says), `... timed out after 30000
 * ms`, or `... not started: cooling down for 500 ms after a failed refresh (...)`.
 */
export function refreshMessage(reason: string, cause: unknown, timedOutAfterMs: number | undefined, coolingDownMs: number | undefined): string {
  const causeText = textOf(cause);
  const detail =
    coolingDownMs !== undefined
      ? `not started: cooling down for ${coolingDownMs} ms after a failed refresh (${causeText.replace(/^Box token refresh \(reason \w+\) /, '')})`
      : timedOutAfterMs === undefined
        ? `failed: ${causeText}`
        : `timed out after ${timedOutAfterMs} ms`;
  return `Box token refresh (reason ${reason}) ${detail}`;
}

// Constants are whole literals: a bundler keeps a template literal that nobody reads.

/** Why a refresh that gave a token failed all the same. */
export const REFUSED_TOKEN_AGAIN = 'axios-box-status: refresh() resolved to the very token Box had refused';
export const TOKEN_EXPIRED_ALREADY = 'axios-box-status: refresh() resolved to a token that has already expired';
export const TOKEN_REFUSED_AT_ONCE = 'Box answered 401 to the new token at once';
/** A token endpoint's answer the grants cannot use. */
export const noAccessToken = (tokenUrl: string): string => `${PREFIX}the token endpoint ${tokenUrl} answered without an access_token`;

/** Why a request axios-retry handles too is refused: two retry layers multiply the requests. */
export const AXIOS_RETRY_TOO =
  'axios-box-status: remove axios-retry from this instance: the plugin retries already, and two retry layers multiply the requests of every call';
/** What a 401 of a call that carried no managed token adds to its message: why it carried none. */
export const noTokenSent = (origin: string | undefined, origins: readonly string[]): string =>
  `; no token was sent: ${origin ?? 'its origin'} is not one of createBoxAuth's origins (${origins.join(', ')})`;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array (${value.length} items)`;
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object';
}

/** A bad option's TypeError: `axios-box-status: ${name} must be ${expected}, received ...`. */
export function optionError(name: string, expected: string, value: unknown): TypeError {
  return new TypeError(`${PREFIX}${name} must be ${expected}, received ${describe(value)}`);
}

/** An unknown option's TypeError, listing the known ones. */
export function unknownOptionError(name: string, known: readonly string[]): TypeError {
  return new TypeError(`${PREFIX}unknown option ${name} (known: ${known.join(', ')})`);
}

/** A per-request `boxRetry.budget.maxTokens`: the bucket is the instance's. */
export function perRequestBucketError(name: string): TypeError {
  return new TypeError(`${PREFIX}${name} cannot be set per request: the bucket belongs to the instance (set retry.budget.maxTokens)`);
}
