import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import type { Gates } from '../pacing/gates.js';
import type { Failure } from '../retry/failure.js';
import { clock } from '../util/wait.js';
import type { CallCounts } from './call-host.js';
import { CallTiming } from './call-timing.js';
import { adoptSentConfig, discardBody } from './transport.js';

/** What the next attempt is: the first, or a retry (or the re-send a 401 earned) of a failure. */
export type NextAttempt =
  | { readonly kind: 'first' }
  | {
      readonly kind: 'retry' | 'resend';
      /** The failure it is for: what settles the call if it is never sent. */
      readonly failure: Failure;
      /** When its own wait ends, on the monotonic clock. */
      readonly at: number;
      /** Its own backoff, waited again after a pause that outgrew its wait; spent once. */
      spreadMs: number;
    };

const FIRST: NextAttempt = Object.freeze({ kind: 'first' });

/**
 * Where one call is: its attempts and retries (and the attachment's counts of them), the request
 * each attempt is a copy of, what passes from one attempt to the next, and what it settled with.
 */
export class CallState {
  /** The caller's config: what the call settles with. */
  readonly config: InternalAxiosRequestConfig;
  /** What each attempt is a copy of: the call's config, or the copy `onRetry` last changed. */
  request: InternalAxiosRequestConfig;
  /** The headers the plugin gave the last attempt (a transport may change its copy of the config). */
  sentHeaders: InternalAxiosRequestConfig['headers'] | undefined;
  /** The rate-limit slot the next attempt took, and when it asked for it: its answer's lag is measured from then. */
  slot: { readonly ref: object; readonly askedAt: number } | undefined;
  attempts = 0;
  retries = 0;
  next: NextAttempt = FIRST;
  /** The response the call resolved with, once it has. */
  resolved: AxiosResponse | undefined;
  /** What the call spends waiting, and in all: `boxStatus.waitedMs` and `durationMs`. */
  readonly timing = new CallTiming();
  readonly #counts: CallCounts;
  /** Whose limits the call counts against, worked out when first needed (most calls never ask). */
  #scope: string | undefined;

  constructor(config: InternalAxiosRequestConfig, counts: CallCounts) {
    this.config = config;
    this.request = config;
    this.#counts = counts;
    counts.calls += 1;
  }

  /** The failure the retry under way is for; undefined before the first attempt's answer. */
  get retrying(): Failure | undefined {
    return this.next.kind === 'first' ? undefined : this.next.failure;
  }

  scope(gates: Gates): string {
    return (this.#scope ??= gates.scopeOf(this.config));
  }

  /** The next attempt is being sent: count it (a retry, a re-send, or the first). */
  count(): void {
    const { kind } = this.next;
    if (kind === 'retry') {
      this.retries += 1;
      this.#counts.retries += 1;
    } else if (kind === 'resend') {
      this.#counts.resends += 1;
    }
    this.attempts += 1;
    this.#counts.attempts += 1;
  }

  /**
   * The backoff the retry under way waits again when a pause of `pausedMs` holds it past the end
   * of its own wait (a pause another call began or lengthened since), or all the retries that
   * pause held would go at once; 0 after the first ask.
   */
  spreadAfter(pausedMs: number): number {
    const { next } = this;
    if (next.kind === 'first') return 0;
    const spreadMs = clock() + pausedMs > next.at + 1 ? next.spreadMs : 0;
    next.spreadMs = 0;
    return spreadMs;
  }

  /** A retry (or the re-send) of `failure` is granted: the next attempt is it; the failure's body is let go. */
  advance(failure: Failure, kind: 'retry' | 'resend', at: number, spreadMs: number): void {
    this.next = { kind, failure, at, spreadMs };
    discardBody(failure.response);
  }

  /** Give the caller's config what the last attempt was sent with (see adoptSentConfig). */
  adoptSent(): void {
    adoptSentConfig(this.config, this.request, this.sentHeaders);
  }
}
