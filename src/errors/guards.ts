import { brandOf } from './brand.js';
import type { BoxApiError, BoxClientError, BoxRateLimitError, BoxServerError } from './box-errors.js';

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
