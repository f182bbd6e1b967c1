import type { BoxStatusKind } from '../types.js';

/**
 * Box's status class of an HTTP status, after Box's status table. Anything that is not a whole
 * number from 200 to 599 is `unknown`.
 *
 * @example
 * ```ts
 * import { classifyStatus } from 'axios-box-status';
 *
 * classifyStatus(202); // 'success'
 * classifyStatus(304); // 'redirect'
 * classifyStatus(409); // 'client-error'
 * classifyStatus(503); // 'server-error'
 * ```
 */
export function classifyStatus(status: number): BoxStatusKind {
  if (!Number.isInteger(status)) return 'unknown';
  if (status >= 200 && status <= 299) return 'success';
  if (status >= 300 && status <= 399) return 'redirect';
  if (status >= 400 && status <= 499) return 'client-error';
  if (status >= 500 && status <= 599) return 'server-error';
  return 'unknown';
}
