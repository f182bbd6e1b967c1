import type { InternalAxiosRequestConfig } from 'axios';
import { AXIOS_RETRY_TOO } from '../errors/messages.js';

/** Where axios-retry's request interceptor keeps each request's retry state. */
const AXIOS_RETRY_STATE = 'axios-retry';

/**
 * Refuse a request that axios-retry handles too. Its interceptor on the same instance re-sends
 * what the plugin has already retried, so each layer's retries multiply (5 × 4 requests for one
 * call) and the error counts only the plugin's. Checked per request, as the state is set: axios-retry
 * may be attached before the plugin or after it.
 */
export function refuseAxiosRetry(config: InternalAxiosRequestConfig): void {
  if ((config as unknown as Record<string, unknown>)[AXIOS_RETRY_STATE] === undefined) return;
  throw new TypeError(AXIOS_RETRY_TOO);
}
