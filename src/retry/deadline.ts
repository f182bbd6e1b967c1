import axios, { AxiosError } from 'axios';
import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { DEADLINE_EXCEEDED } from '../errors/messages.js';
import type { Failure } from './failure.js';
import { deadlineEnded, ranOutBefore, ranOutDuring } from './reasons.js';
import { isTimeoutError } from './transport-faults.js';
import { clock } from '../util/wait.js';

// The reason is kept on the error, where the call reads it: a deadline error has the code of a
// timeout, which would otherwise be retried.
const DEADLINE_REASON = Symbol('axios-box-status.deadline-reason');

/**
 * The error of a call the deadline ended before Box answered anything: a request it kept from
 * being sent, or the first attempt it cut short. The `cause` is that attempt's timeout error when
 * its cut timeout fired first, and none when the deadline's own abort did (the plugin's cancel).
 */
export function deadlineError(config: InternalAxiosRequestConfig, reason: string, cause?: unknown): AxiosError {
  const error = new AxiosError(DEADLINE_EXCEEDED, 'ETIMEDOUT', config);
  Object.defineProperty(error, DEADLINE_REASON, { value: reason });
  // Non-enumerable, as on native errors: the cause holds the socket and the raw config.
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true });
  return error;
}

/** The reason of an error made by {@link deadlineError}; undefined for any other value. */
export function deadlineReason(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null
    ? (error as { [DEADLINE_REASON]?: string })[DEADLINE_REASON]
    : undefined;
}

/**
 * The cut attempt's error as the cause of a deadline error: not the cancel the deadline itself
 * caused, and with the caller's config in place of the attempt's copy of it.
 */
export function cutAttemptError(error: unknown, config: InternalAxiosRequestConfig): unknown {
  if (axios.isCancel(error)) return undefined;
  if (typeof error === 'object' && error !== null && 'config' in error) (error as { config: unknown }).config = config;
  return error;
}

/** An axios `timeout` as axios reads it (a number, or a string of digits); 0 for none. */
function timeoutMsOf(timeout: unknown): number {
  const ms = typeof timeout === 'number' ? timeout : Number.parseInt(String(timeout), 10);
  return ms > 0 ? ms : 0;
}

/**
 * A call's `deadlineMs`: the time by which it must be settled, the signal that aborts whatever is
 * under way then (the caller's own signal and CancelToken abort it too), the timeout cut of each
 * attempt, and why it ended the call, once it has.
 */
export class Deadline {
  /** Monotonic milliseconds by which the call must be settled. */
  readonly #at: number;
  readonly #ms: number;
  /** What every attempt and wait of the call listens to. */
  readonly signal: AbortSignal;
  /** Why the deadline ended the call, once it has. */
  reason: string | undefined;
  /** Set when the deadline's timer fired (and not the caller's abort before it). */
  #fired = false;
  /** Whether the last attempt's axios timeout was the time left. */
  #cut = false;
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #unhook: () => void;

  constructor(ms: number, config: InternalAxiosRequestConfig) {
    this.#ms = ms;
    this.#at = clock() + ms;
    const controller = new AbortController();
    this.signal = controller.signal;
    const abort = (): void => controller.abort();
    this.#timer = setTimeout(() => {
      if (controller.signal.aborted) return;
      this.#fired = true;
      abort();
    }, ms);
    const { signal, cancelToken } = config;
    if (signal?.aborted) abort();
    else signal?.addEventListener?.('abort', abort);
    cancelToken?.subscribe(abort);
    this.#unhook = () => {
      signal?.removeEventListener?.('abort', abort);
      cancelToken?.unsubscribe(abort);
    };
  }

  /**
   * The axios `timeout` of the next attempt: its own, or the time left when that is shorter;
   * 0 when no time is left.
   */
  timeoutFor(own: unknown): number {
    const left = Math.ceil(this.#at - clock());
    if (left <= 0) return 0;
    const ownMs = timeoutMsOf(own);
    this.#cut = !(ownMs > 0 && ownMs <= left);
    return this.#cut ? left : ownMs;
  }

  /** Whether a wait of `ms` from now would end at or past the deadline. */
  outlasts(ms: number): boolean {
    return clock() + ms >= this.#at;
  }

  /** Whether a failure is an attempt's timeout that was the time left. */
  isCutTimeout(failure: Failure): boolean {
    return this.#cut && !failure.response && isTimeoutError(failure.error);
  }

  /**
   * Why the deadline ended the call with this failure, if it did: its abort, or an attempt's
   * timeout that was the time left. `attempt` is the last attempt sent; `during` whether the
   * failure came from it rather than from a wait before the next.
   */
  endedBy(failure: Failure, attempt: number, during: boolean): string | undefined {
    if (
      this.reason === undefined &&
      ((this.#fired && axios.isCancel(failure.error)) || (this.isCutTimeout(failure) && clock() >= this.#at - 1))
    ) {
      this.end(during ? ranOutDuring(attempt) : ranOutBefore(attempt + 1));
    }
    return this.reason;
  }

  /** End the call for `why`: `deadlineMs (300 ms) ${why}`. */
  end(why: string): string {
    this.reason = deadlineEnded(this.#ms, why);
    return this.reason;
  }

  /**
   * What a call this deadline ended settles with: the failure that was being retried when the
   * deadline cut the next attempt or wait short (a 503 and its request id say more than a
   * timeout), else a deadline error; a failure it did not cut short (a 503 whose retry would have
   * ended too late) as it is.
   */
  outcome(current: Failure, retrying: Failure | undefined, config: InternalAxiosRequestConfig): Pick<Failure, 'response' | 'retryAfterMs' | 'error'> {
    const own = deadlineReason(current.error) !== undefined;
    const cutShort = own || axios.isCancel(current.error) || this.isCutTimeout(current);
    const failure = cutShort ? retrying : current;
    if (failure) return failure;
    const cause = cutAttemptError(current.error, config);
    return { response: undefined, retryAfterMs: undefined, error: own ? current.error : deadlineError(config, this.reason as string, cause) };
  }

  /**
   * The call has its final answer. The caller's cancel must still reach a streamed body, as it
   * does in plain axios (the transport listens to this deadline's signal), so it stays linked
   * until that stream closes.
   */
  release(response: AxiosResponse | undefined): void {
    clearTimeout(this.#timer);
    const body = response?.data as { once?: (event: string, listener: () => void) => unknown; pipe?: unknown } | undefined;
    if (typeof body?.once === 'function' && typeof body.pipe === 'function') body.once('close', this.#unhook);
    else this.#unhook();
  }
}
