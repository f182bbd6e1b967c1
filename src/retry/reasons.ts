import { MAX_TIMER_MS } from '../util/wait.js';

// Every reason the plugin gives, in one place: why an attempt is retried (the onRetry event's
// `reason`), and why a failure is not (`notRetriedReason`, `boxNotRetriedReason`, and the
// "not retried: ..." of the error's message). A transport failure's own code (ECONNREFUSED,
// EPIPE...) is its retry reason as it is.

/** Why a retry is made: the failed attempt's status. */
export const statusRetried = (status: number): string => `status ${status}`;
/** Why a retry is made: a 202 that is not ready yet, polled after its Retry-After. */
export const NOT_READY = 'retry-after';
/** Why a retry is made: an attempt that timed out. */
export const TIMED_OUT = 'timeout';
/** Why a retry is made: a connection reset while the body was read. */
export const RESET = 'ECONNRESET';
/** Why the one re-send after a 401 is made: a refreshed token. */
export const UNAUTHORIZED = 'unauthorized';

/** Not retried: a method that is not idempotent, after a failure Box may have acted on. */
export const notIdempotent = (method: string): string =>
  `${method.toUpperCase()} is not idempotent and Box may have acted on it (boxRetry: { idempotent: true } opts in)`;
/** Not retried: a body that cannot be sent twice. */
export const ONE_SHOT_BODY = 'the request body is a one-shot stream';
/** Not retried: Box asked to wait longer than the policy allows. */
export const retryAfterTooLong = (retryAfterMs: number, maxRetryAfterMs: number): string =>
  `Retry-After of ${retryAfterMs} ms is beyond maxRetryAfterMs (${maxRetryAfterMs} ms)`;
/** Not retried: Box asked to wait longer than a timer can (parseRetryAfter caps it there). */
export const RETRY_AFTER_PAST_TIMERS = `Retry-After of ${MAX_TIMER_MS} ms or more is longer than a timer can wait`;
/** Not retried: the retry budget holds too few tokens. */
export const budgetEmpty = (tokens: number, maxTokens: number, cost: number): string =>
  `the retry budget is empty (${Math.floor(tokens)} of ${maxTokens} tokens left, this retry costs ${cost}; calls that succeed refill it)`;
/** Not retried: the plugin was ejected while the call was under way. */
export const EJECTED = 'the plugin was ejected';

/** Not retried: the call's `deadlineMs` ended it, and why (one of the reasons below). */
export const deadlineEnded = (deadlineMs: number, why: string): string => `deadlineMs (${deadlineMs} ms) ${why}`;
/** Why the deadline ended a call: it passed while attempt `attempt` was under way. */
export const ranOutDuring = (attempt: number): string => `ran out during attempt ${attempt}`;
/** Why the deadline ended a call: it passed before attempt `attempt` was sent. */
export const ranOutBefore = (attempt: number): string => `ran out before attempt ${attempt} was sent`;
/** Why the deadline ended a call: it would pass while the next attempt is held (see below). */
export const wouldPassHeld = (holder: string, ms: number, attempt: number): string =>
  `would pass during ${holder} (${Math.ceil(ms)} ms left) before attempt ${attempt}`;
/** What holds an attempt: the shared pause, or the wait for a slot in the rate limits. */
export const PAUSE_HOLDS = "the instance's rate-limit pause";
export const SLOT_HOLDS = 'the wait for a rate-limit slot';
/** Why the deadline ended a call: it would pass during the wait before the next attempt. */
export const wouldPassWaiting = (delayMs: number, attempt: number): string =>
  `would pass during the ${Math.round(delayMs)} ms wait before attempt ${attempt}`;

// Why a call gave up, as the giveUp channel says when the error itself names no reason.
export const GIVE_UP_CANCELLED = 'cancelled';
export const GIVE_UP_REFRESH_FAILED = 'the token refresh failed';
export const GIVE_UP_RETRIES_OFF = 'retries are off';
export const GIVE_UP_EXHAUSTED = 'retries exhausted';
export const GIVE_UP_NOT_RETRYABLE = 'not retryable';
