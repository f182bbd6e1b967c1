import type { InternalAxiosRequestConfig } from 'axios';
import { getHeaderString } from './util/headers.js';
import { windowsFor, type PacedRule } from './rate-limits.js';
import { fail } from './options/rules.js';
import type { BoxStateStore } from './store-types.js';

/** What the calls of an attachment share with each other (and with whatever shares its store). */
export interface Gates {
  /** Where the pauses, the windows and the tokens are kept. */
  readonly store: BoxStateStore;
  /** Whose limits a request counts against. */
  scopeOf(config: InternalAxiosRequestConfig): string;
  /** The rate limits kept to; none when `rateLimit` is off. */
  readonly rules: readonly PacedRule[];
  /** How long the attachment's requests have been taking of late. */
  readonly latency: LatencyWatch;
}

/**
 * How long the last few attempts took, send to answer. Box counts a request when it arrives, the
 * pacer when it is sent: a request that took long to arrive still counts at Box after the pacer
 * thought its slot free, and a burst that arrived late, followed by one that arrives early, would
 * overfill Box's window. So each window is kept longer by a margin: twice the longest of the last
 * attempts (twice, since other processes' requests, in the same windows, may be slower still), up
 * to a tenth of the window.
 */
export class LatencyWatch {
  readonly #recent: number[] = [];
  #next = 0;

  observe(ms: number): void {
    this.#recent[this.#next] = ms;
    this.#next = (this.#next + 1) % LATENCY_SAMPLES;
  }

  /** Twice the longest of the last attempts, in milliseconds (0 before any). */
  marginMs(): number {
    let most = 0;
    for (const ms of this.#recent) if (ms > most) most = ms;
    return Math.ceil(most * 2);
  }
}

const LATENCY_SAMPLES = 32;

/** Box acts for the user an `As-User` header names; without one, for the token's own user. */
export function defaultScope(config: InternalAxiosRequestConfig): string {
  return getHeaderString(config.headers, 'as-user') ?? 'default';
}

/** The scope function given (or the default), made to answer a non-empty string or say why not. */
export function scopeFunction(given: ((config: InternalAxiosRequestConfig) => string) | undefined): Gates['scopeOf'] {
  if (!given) return defaultScope;
  return (config) => {
    const scope = given(config);
    return typeof scope === 'string' && scope !== '' ? scope : fail('scope(config)', 'a non-empty string', scope);
  };
}

/**
 * Take a slot for an attempt of `request` in each window it counts in: 0 when it may go, else the
 * milliseconds to wait before asking again. Each window is widened by the latency margin, up to a
 * tenth of it: a slow upload must not halve the pace of every request after it.
 */
export function acquireSlot(
  gates: Gates,
  scope: string,
  request: InternalAxiosRequestConfig,
  heedPause: boolean,
): number | Promise<number> {
  const matching = windowsFor(gates.rules, request);
  if (matching.length === 0) return 0;
  const margin = gates.latency.marginMs();
  return gates.store.acquire(
    scope,
    matching.map(({ name, max, perMs }) => ({ name, max, perMs: perMs + Math.min(margin, Math.ceil(perMs / 10)) })),
    heedPause,
  );
}
