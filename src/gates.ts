import type { InternalAxiosRequestConfig } from 'axios';
import { getHeaderString } from './headers.js';
import { windowsFor, type PacedRule } from './rate-limits.js';
import { fail } from './rules.js';
import type { BoxStateStore } from './store-types.js';

/** What the calls of an attachment share with each other (and with whatever shares its store). */
export interface Gates {
  /** Where the pauses, the windows and the tokens are kept. */
  readonly store: BoxStateStore;
  /** Whose limits a request counts against. */
  scopeOf(config: InternalAxiosRequestConfig): string;
  /** The rate limits kept to; none when `rateLimit` is off. */
  readonly rules: readonly PacedRule[];
}

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
 * milliseconds to wait before asking again.
 */
export function acquireSlot(gates: Gates, scope: string, request: InternalAxiosRequestConfig): number | Promise<number> {
  const windows = windowsFor(gates.rules, request);
  return windows.length === 0 ? 0 : gates.store.acquire(scope, windows);
}
