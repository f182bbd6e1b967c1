import axios from 'axios';
import type { CancelToken, GenericAbortSignal, InternalAxiosRequestConfig } from 'axios';

/** The longest delay `setTimeout` holds (2^31 - 1 ms); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

// Monotonic: a wall-clock jump must neither stretch nor cut a pause, a wait or a deadline.
export const clock = (): number => performance.now();

/** What a call's waits listen to: its signal (the deadline's, which the caller's feeds) and its CancelToken. */
export interface Cancellation {
  readonly signal: GenericAbortSignal | undefined;
  readonly token: CancelToken | undefined;
}

/**
 * Resolve after `ms`, or as soon as the signal aborts or the token cancels, clearing the timer
 * and every listener either way. It never rejects: the caller checks for a cancel afterwards.
 */
export function waitMs(ms: number, signal: GenericAbortSignal | undefined, token: CancelToken | undefined): Promise<void> {
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (): void => {
      if (timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      signal?.removeEventListener?.('abort', done);
      token?.unsubscribe(done);
      resolve();
    };
    timer = setTimeout(done, ms);
    signal?.addEventListener?.('abort', done);
    // subscribe() calls back at once when the token is already cancelled.
    token?.subscribe(done);
    if (signal?.aborted) done();
  });
}

/**
 * `work`, or as soon as the call is cancelled, whichever comes first (then undefined), so that a
 * slow `onRetry` cannot hold a cancel; `work` then goes on in the background. A rejection of
 * `work` passes.
 */
export function raceAbort<T>(work: Promise<T>, { signal, token }: Cancellation): Promise<T | undefined> {
  if (!signal?.addEventListener && !token) return work;
  let stop = (): void => {};
  const aborted = new Promise<undefined>((resolve) => {
    const done = (): void => resolve(undefined);
    stop = (): void => {
      signal?.removeEventListener?.('abort', done);
      token?.unsubscribe(done);
    };
    signal?.addEventListener?.('abort', done);
    token?.subscribe(done);
    if (signal?.aborted) done();
  });
  return Promise.race([work, aborted]).finally(stop);
}

/** The error axios rejects a cancelled request with, when the call has been cancelled. */
export function cancelledError(config: InternalAxiosRequestConfig, { signal, token }: Cancellation): unknown {
  // As axios does before it hands a request to the adapter: the token first, then the signal.
  if (token?.reason) return token.reason;
  if (signal?.aborted) return new axios.CanceledError(undefined, config);
  return undefined;
}
