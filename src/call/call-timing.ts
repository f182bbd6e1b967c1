import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { isBoxApiError } from '../errors/guards.js';
import type { BoxStatus } from '../types.js';
import { clock } from '../util/wait.js';

/**
 * How long one call took, and how much of it went on waiting rather than sending (a backoff, a
 * Retry-After, the shared pause, a rate-limit slot, a token): what `boxStatus.waitedMs` and
 * `durationMs` say when the call settles.
 */
export class CallTiming {
  readonly #startedAt = clock();
  #waitedMs = 0;

  /** A wait that began at `from` (a `clock()` reading) has ended. */
  waitedSince(from: number): void {
    this.#waitedMs += clock() - from;
  }

  /** The call resolved with `response`. */
  resolved(response: AxiosResponse): void {
    if (response.boxStatus) this.#stamp(response.boxStatus);
  }

  /**
   * The call rejected with `error`: a Box error of this call's (whose config is the call's) gets the
   * figures; anything else (what `onRetry` threw) reaches the caller untouched.
   */
  rejected(error: unknown, config: InternalAxiosRequestConfig): void {
    if (isBoxApiError(error) && error.config === config) this.#stamp(error.boxStatus);
  }

  #stamp(boxStatus: BoxStatus): void {
    boxStatus.waitedMs = Math.round(this.#waitedMs);
    boxStatus.durationMs = Math.round(clock() - this.#startedAt);
  }
}
