import { statusTreatment } from '../box/statuses.js';
import { BoxApiError, type BoxErrorName } from './box-errors.js';
import { BOX_ERROR_BRAND, type BoxErrorBrand } from './brand.js';
import { errorToJSON, INSPECT, inspectRedacted, type BoxErrorJSON } from './redaction.js';
/**
 * A 4xx: the request was wrong, unauthorised or impossible. Retrying as is will not help.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, BoxClientError } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box);
 * const name = await box.get<{ name: string }>('/files/12345').then(
 *   (res) => res.data.name,
 *   (error: unknown) => {
 *     if (error instanceof BoxClientError && error.status === 404) return undefined;
 *     throw error;
 *   },
 * );
 * console.log(name);
 * ```
 */
export class BoxClientError<T = unknown, D = any> extends BoxApiError<T, D> {
  /** `BoxClientError`, or `BoxRateLimitError` for a 429. */
  declare name: 'BoxClientError' | 'BoxRateLimitError';
}

/**
 * A 429 that was not (or no longer) retried: `retryAfterMs` says when Box will take it.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, BoxRateLimitError } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box, { retry: { retries: 0 } });
 * await box.get('/search', { params: { query: 'budget' } }).catch((error: unknown) => {
 *   if (error instanceof BoxRateLimitError) console.log(`come back in ${error.retryAfterMs} ms`);
 *   else throw error;
 * });
 * ```
 */
export class BoxRateLimitError<T = unknown, D = any> extends BoxClientError<T, D> {
  /** `BoxRateLimitError`. */
  declare name: 'BoxRateLimitError';
}

/**
 * A 5xx that was not (or no longer) retried: `attempts` and `notRetriedReason` say how far the
 * retries went and why they stopped.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, BoxServerError } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box);
 * await box.get('/folders/0').catch((error: unknown) => {
 *   if (error instanceof BoxServerError) console.log(error.attempts, error.notRetriedReason, error.requestId);
 *   else throw error;
 * });
 * ```
 */
export class BoxServerError<T = unknown, D = any> extends BoxApiError<T, D> {
  /** `BoxServerError`. */
  declare name: 'BoxServerError';
}

function brand(cls: { prototype: object }, name: BoxErrorName, value: BoxErrorBrand): void {
  // On the prototype, so the stack's first line already reads "BoxClientError: ...".
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
  Object.defineProperty(cls.prototype, BOX_ERROR_BRAND, { value });
}
brand(BoxApiError, 'BoxApiError', 'api');
brand(BoxClientError, 'BoxClientError', 'client');
brand(BoxRateLimitError, 'BoxRateLimitError', 'rate-limit');
brand(BoxServerError, 'BoxServerError', 'server');

Object.defineProperty(BoxApiError.prototype, INSPECT, { value: inspectRedacted, writable: true, configurable: true });

BoxApiError.prototype.toJSON = function toJSON(this: BoxApiError): BoxErrorJSON {
  return errorToJSON(this as never, {
    boxCode: this.boxCode,
    boxMessage: this.boxMessage,
    requestId: this.requestId,
    helpUrl: this.helpUrl,
    contextInfo: this.contextInfo,
    retryAfterMs: this.retryAfterMs,
    attempts: this.attempts,
    notRetriedReason: this.notRetriedReason,
    boxStatus: this.boxStatus,
  });
};

const CLASSES = { api: BoxApiError, client: BoxClientError, 'rate-limit': BoxRateLimitError, server: BoxServerError } as const;

/** The Box error class for a status (see box/statuses.ts). */
export function boxErrorClass(status: number): typeof BoxApiError {
  return CLASSES[statusTreatment(status).error];
}

// The base class and its helpers, so that one import gives the whole family.
export * from './box-errors.js';
