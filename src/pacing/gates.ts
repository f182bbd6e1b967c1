import type { InternalAxiosRequestConfig } from 'axios';
import { getHeaderString } from '../util/headers.js';
import { windowsFor, type PacedRule } from './rate-limits.js';
import { fail } from '../options/rules.js';
import type { BoxEffectiveLimit, BoxRateWindow } from '../store/rate-types.js';
import type { BoxPacingStore } from '../store/store-types.js';

/** What the calls of an attachment share with each other (and with whatever shares its store). */
export interface Gates {
  /** Where the pauses, the windows and the tokens are kept. */
  readonly store: BoxPacingStore;
  /** Whose limits a request counts against. */
  scopeOf(config: InternalAxiosRequestConfig): string;
  /** The rate limits kept to; none when `rateLimit` is off. */
  readonly rules: readonly PacedRule[];
  /** How long the attachment's requests have been taking of late. */
  readonly latency: LatencyWatch;
}

/**
 * For a store that hears no answers (no `reportLag`): how long the last few attempts
 * took, from asking for a slot to the answer. Box counts a request when it arrives, the
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

/** The windows of the rules `request` counts in, as a store is given them. */
function windowsOf(gates: Gates, request: InternalAxiosRequestConfig): BoxRateWindow[] {
  return windowsFor(gates.rules, request).map(({ name, max, perMs }) => ({ name, max, perMs }));
}

/**
 * Take `slot` for an attempt of `request` in each window it counts in: 0 when it may go, else the
 * milliseconds to wait before asking again. A store that hears answers (`reportLag`) counts each
 * request by the latest it may reach Box itself, for everything that shares it; for another, each
 * window is widened here by the latency margin, up to a tenth of it: a slow upload must not halve
 * the pace of every request after it.
 */
export function acquireSlot(
  gates: Gates,
  scope: string,
  request: InternalAxiosRequestConfig,
  heedPause: boolean,
  slot: object,
): number | Promise<number> {
  const windows = windowsOf(gates, request);
  if (windows.length === 0) return 0;
  const { store } = gates;
  if (store.reportLag) return store.acquire(scope, windows, heedPause, slot);
  const margin = gates.latency.marginMs();
  return store.acquire(
    scope,
    windows.map(({ name, max, perMs }) => ({ name, max, perMs: perMs + Math.min(margin, Math.ceil(perMs / 10)) })),
    heedPause,
  );
}

/**
 * An attempt of `request` that took `slot` was answered `lagMs` after it asked for it: the
 * store (or this attachment's margin, for a store without one) hears of it.
 */
export function reportLag(gates: Gates, scope: string, request: InternalAxiosRequestConfig, lagMs: number, slot: object): void {
  const { store } = gates;
  if (!store.reportLag) return gates.latency.observe(lagMs);
  const windows = windowsOf(gates, request);
  if (windows.length > 0) tell(() => store.reportLag?.(scope, windows, lagMs, slot));
}

/** An attempt of `request` met a 429: the store lowers the effective max of the rules it counts in. */
export function rateLimited(gates: Gates, scope: string, request: InternalAxiosRequestConfig): void {
  const windows = gates.store.rateLimited ? windowsOf(gates, request) : [];
  if (windows.length > 0) tell(() => gates.store.rateLimited?.(scope, windows));
}

/** The attachment's rules as its store paces them now (a store may be shared by attachments with other rules). */
export function limitsOf(gates: Gates): BoxEffectiveLimit[] {
  if (gates.rules.length === 0 || !gates.store.limits) return [];
  return gates.store.limits().filter((limit) => gates.rules.some((rule) => rule.name === limit.name));
}

/** Tell the store something, never letting its trouble (a throw, a rejection) fail the call. */
function tell(news: () => unknown): void {
  try {
    void Promise.resolve(news()).catch(() => undefined);
  } catch {
    // The store keeps what it can.
  }
}
