import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import type { Retry } from './decide.js';
import type { Failure } from './failure.js';
import { failedStatusError } from '../errors/box-errors.js';
import type { BoxRetryEvent } from '../options/retry-policy.js';
import { INSPECT, redactPlainError } from '../errors/redaction.js';
import { redactedRequestUrl } from '../errors/secrets.js';

/**
 * What `JSON.stringify(event)` and `util.inspect(event)` show of an `onRetry` event: the request
 * as its method and redacted URL, not its config, whose headers carry the credentials.
 */
function eventToJSON(this: BoxRetryEvent): Record<string, unknown> {
  const { config, ...fields } = this;
  return { ...fields, config: { method: config.method?.toUpperCase(), url: redactedRequestUrl(config) } };
}
const EVENT_RENDERINGS: PropertyDescriptorMap = {
  toJSON: { value: eventToJSON },
  [INSPECT]: {
    value(this: BoxRetryEvent, _depth: number, options: object, inspect?: (value: unknown, options: object) => string) {
      const shown = eventToJSON.call(this);
      return inspect ? inspect(shown, options) : JSON.stringify(shown);
    },
  },
};

/** What `onRetry` is told of a granted retry (or re-send) before attempt `attempt`. */
export function retryEvent(
  decision: Retry,
  failure: Failure,
  attempt: number,
  config: InternalAxiosRequestConfig,
): BoxRetryEvent {
  return Object.defineProperties({
    attempt,
    delayMs: decision.delayMs,
    delaySource: decision.delaySource,
    reason: decision.reason,
    status: decision.status,
    retryAfterMs: decision.retryAfterMs,
    // A failed status that resolved (every attempt resolves every status) as axios would reject it;
    // its renderings redacted, since a logging onRetry is the first place it will be shown.
    error: redactPlainError(
      failure.error ?? failedStatusError(failure.response as AxiosResponse, failure.config as InternalAxiosRequestConfig),
    ),
    config,
  }, EVENT_RENDERINGS);
}
