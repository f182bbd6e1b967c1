import type { BoxApiError, BoxClientError, BoxRateLimitError, BoxServerError } from './errors.js';

/**
 * The brand every Box error carries on its prototype. `Symbol.for` makes it one symbol across an
 * ESM and a CJS copy of this package in one process, where `instanceof` would fail.
 */
export const BOX_ERROR_BRAND: unique symbol = Symbol.for('axios-box-status.error') as never;

export type BoxErrorBrand = 'api' | 'client' | 'rate-limit' | 'server';

function brandOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null
    ? (value as { [BOX_ERROR_BRAND]?: unknown })[BOX_ERROR_BRAND]
    : undefined;
}

/** Whether `value` is a {@link BoxApiError} (of any copy of this package). */
export function isBoxApiError(value: unknown): value is BoxApiError {
  const brand = brandOf(value);
  return brand === 'api' || brand === 'client' || brand === 'rate-limit' || brand === 'server';
}

/** Whether `value` is a {@link BoxClientError} (a 4xx, 429 included). */
export function isBoxClientError(value: unknown): value is BoxClientError {
  const brand = brandOf(value);
  return brand === 'client' || brand === 'rate-limit';
}

/** Whether `value` is a {@link BoxRateLimitError} (a 429). */
export function isBoxRateLimitError(value: unknown): value is BoxRateLimitError {
  return brandOf(value) === 'rate-limit';
}

/** Whether `value` is a {@link BoxServerError} (a 5xx). */
export function isBoxServerError(value: unknown): value is BoxServerError {
  return brandOf(value) === 'server';
}
