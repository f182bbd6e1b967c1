import { brandOf } from './brand.js';
import type { BoxApiError } from './box-errors.js';
import type { BoxClientError, BoxRateLimitError, BoxServerError } from './box-error-classes.js';

/**
 * Whether `value` is a {@link BoxApiError} (of any copy of this package: it checks a brand, so it
 * also recognises an error from an ESM copy in a CommonJS app, where `instanceof` fails).
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, isBoxApiError } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box);
 * try {
 *   await box.get('/users/me');
 * } catch (error) {
 *   if (isBoxApiError(error)) console.log(error.status, error.boxCode, error.requestId);
 *   else throw error; // a network error, a timeout, a cancel: axios's own
 * }
 * ```
 */
export function isBoxApiError(value: unknown): value is BoxApiError {
  const brand = brandOf(value);
  return brand === 'api' || brand === 'client' || brand === 'rate-limit' || brand === 'server';
}

/**
 * Whether `value` is a {@link BoxClientError} (a 4xx, 429 included), of any copy of this package.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, isBoxClientError } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box);
 * try {
 *   await box.post('/folders', { name: 'Reports', parent: { id: '0' } });
 * } catch (error) {
 *   if (!isBoxClientError(error) || error.boxCode !== 'item_name_in_use') throw error;
 *   console.log('already there:', error.contextInfo?.conflicts);
 * }
 * ```
 */
export function isBoxClientError(value: unknown): value is BoxClientError {
  const brand = brandOf(value);
  return brand === 'client' || brand === 'rate-limit';
}

/**
 * Whether `value` is a {@link BoxRateLimitError} (a 429 no longer retried), of any copy of this
 * package.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, isBoxRateLimitError } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box);
 * try {
 *   await box.get('/search', { params: { query: 'budget' } });
 * } catch (error) {
 *   if (!isBoxRateLimitError(error)) throw error;
 *   console.log(`Box asks to come back in ${error.retryAfterMs} ms`);
 * }
 * ```
 */
export function isBoxRateLimitError(value: unknown): value is BoxRateLimitError {
  return brandOf(value) === 'rate-limit';
}

/**
 * Whether `value` is a {@link BoxServerError} (a 5xx no longer retried), of any copy of this
 * package.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, isBoxServerError } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box);
 * try {
 *   await box.get('/files/12345');
 * } catch (error) {
 *   if (!isBoxServerError(error)) throw error;
 *   console.log(`Box failed ${error.attempts} times; request ${error.requestId}`);
 * }
 * ```
 */
export function isBoxServerError(value: unknown): value is BoxServerError {
  return brandOf(value) === 'server';
}
