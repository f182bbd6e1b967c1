import type { BoxErrorBrand } from '../errors/brand.js';
import type { BoxStatusKind } from '../types.js';
import { classifyStatus } from './classify.js';

/** How the plugin treats a status: a row of {@link STATUSES}. */
export interface StatusTreatment {
  /** The call settles with it as it is, whatever the policy: never a failure. */
  readonly final: boolean;
  /**
   * Whether a retry policy retries it: `default`, unless the policy's `statuses` leave it out;
   * `if-listed`, only when they list it; `with-retry-after`, only when it has a Retry-After (the
   * policy's `statuses` aside); `never`.
   */
  readonly retried: 'default' | 'if-listed' | 'with-retry-after' | 'never';
  /** Box may have acted on the request: a method that is not idempotent is not retried after it. */
  readonly actedOn: boolean;
  /**
   * Whether it pauses every request of the instance (`shareRateLimit`): `always` (for its
   * Retry-After, else for the backoff of its own retry), `with-retry-after`, or `never`.
   */
  readonly pauses: 'always' | 'with-retry-after' | 'never';
  /** What a retry after it costs the retry budget: the policy's `retryCost`, its `throttledRetryCost`, or nothing. */
  readonly cost: 'retryCost' | 'throttledRetryCost' | 'free';
  /** A call that ends with it found Box well enough to answer: it earns tokens back. */
  readonly healthy: boolean;
  /**
   * The Box error a call that ends with it rejects with, by its brand (`client`: BoxClientError,
   * `rate-limit`: BoxRateLimitError, `server`: BoxServerError, `api`: BoxApiError): always for a
   * 4xx or 5xx; for a status outside Box's table, only when `validateStatus` refuses it; never for
   * a 2xx or 3xx.
   */
  readonly error: Exclude<BoxErrorBrand, 'auth-refresh'>;
}

// Box's status table, as the plugin acts on it: each class's row, then the statuses that differ.
// This is the one place to read (or change) how a status is treated.
const BY_KIND: Readonly<Record<BoxStatusKind, StatusTreatment>> = {
  success: { final: true, retried: 'never', actedOn: true, pauses: 'never', cost: 'retryCost', healthy: true, error: 'api' },
  redirect: { final: true, retried: 'never', actedOn: true, pauses: 'never', cost: 'retryCost', healthy: true, error: 'api' },
  'client-error': { final: false, retried: 'if-listed', actedOn: true, pauses: 'never', cost: 'retryCost', healthy: true, error: 'client' },
  'server-error': { final: false, retried: 'default', actedOn: true, pauses: 'never', cost: 'retryCost', healthy: false, error: 'server' },
  // Outside Box's table (a 1xx, a 600, a status that is no whole number): as it is, validateStatus decides.
  unknown: { final: true, retried: 'never', actedOn: true, pauses: 'never', cost: 'retryCost', healthy: true, error: 'api' },
};

const EXCEPTIONS: Readonly<Record<number, Partial<StatusTreatment>>> = {
  // Accepted, not ready yet (a download being prepared): polled after its Retry-After. Box has
  // done nothing, so any method is polled, and at no cost.
  202: { final: false, retried: 'with-retry-after', actedOn: false, cost: 'free' },
  // Too many requests: Box did not execute it. The whole instance waits; its retry costs less.
  429: { retried: 'default', actedOn: false, pauses: 'always', cost: 'throttledRetryCost', healthy: false, error: 'rate-limit' },
  // Box: 501 and 505 will never succeed; 507 (out of storage) needs the user to act.
  501: { retried: 'if-listed' },
  505: { retried: 'if-listed' },
  507: { retried: 'if-listed' },
  // Unavailable: with a Retry-After, Box says when the whole instance may come back.
  503: { pauses: 'with-retry-after' },
};

/** Every status from 100 to 599, its row; looked up on every response, so built once. */
const STATUSES: readonly StatusTreatment[] = Array.from({ length: 600 }, (_, status) => ({ ...BY_KIND[classifyStatus(status)], ...EXCEPTIONS[status] }));

/** How the plugin treats `status`. */
export function statusTreatment(status: number): StatusTreatment {
  return STATUSES[status] ?? BY_KIND.unknown;
}

/** The statuses a policy retries by default: 429 and every 5xx but 501, 505 and 507. */
export function defaultRetriedStatuses(): number[] {
  return STATUSES.flatMap((row, status) => (row.retried === 'default' ? [status] : []));
}

/** Whether a retry policy with these statuses retries this response (a 202 only when not ready). */
export function isRetryableStatus(status: number, retryAfterMs: number | undefined, statuses: ReadonlySet<number>): boolean {
  return statusTreatment(status).retried === 'with-retry-after' ? retryAfterMs !== undefined : statuses.has(status);
}
