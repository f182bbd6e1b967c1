import axios from 'axios';
import { isRetryableStatus, statusTreatment } from '../box/statuses.js';
import type { ResolvedPolicy } from '../options/policy.js';
import { MAX_TIMER_MS } from '../util/wait.js';
import { retryDelayMs } from './backoff.js';
import { isOneShotStream, type Failure } from './failure.js';
import {
  NOT_READY,
  notIdempotent,
  ONE_SHOT_BODY,
  RETRY_AFTER_PAST_TIMERS,
  retryAfterTooLong,
  statusRetried,
  UNAUTHORIZED,
} from './reasons.js';
import { transportFault } from './transport-faults.js';

/** A retry granted, and its wait. */
export interface Retry {
  readonly retry: true;
  readonly delayMs: number;
  readonly delaySource: 'retry-after' | 'backoff' | 'rate-limit' | 'refresh';
  readonly reason: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
}

/** Whether a failure is retried (and after which wait), or why not. */
export type Decision = Retry | { readonly retry: false; readonly notRetriedReason: string | undefined };

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['get', 'head', 'options', 'put', 'delete']);
const NO: Decision = Object.freeze({ retry: false, notRetriedReason: undefined });

function no(notRetriedReason: string): Decision {
  return { retry: false, notRetriedReason };
}

/**
 * Whether to retry a failed attempt, and after which wait. `retry` is the number of the retry
 * this would be (1 for the first). A policy with `retry: false` never retries. Pure but for
 * `random`, which the caller supplies.
 */
export function decideRetry(
  failure: Failure,
  policy: ResolvedPolicy & { readonly retry?: boolean },
  retry: number,
  random: () => number,
): Decision {
  if (policy.retry === false || axios.isCancel(failure.error)) return NO;
  const { config, response, retryAfterMs } = failure;
  let reason: string;
  let notActedOn: boolean;
  let status: number | undefined;
  if (response) {
    status = response.status;
    if (!isRetryableStatus(status, retryAfterMs, policy.statuses)) return NO;
    const treatment = statusTreatment(status);
    // A 202 not ready yet is polled; any other status is a failure retried.
    reason = treatment.retried === 'with-retry-after' ? NOT_READY : statusRetried(status);
    notActedOn = !treatment.actedOn;
  } else {
    const fault = transportFault(failure.error);
    if (!fault) return NO;
    reason = fault.reason;
    notActedOn = fault.notSent;
  }

  const method = (config?.method ?? 'get').toLowerCase();
  const idempotent = policy.idempotent ?? IDEMPOTENT_METHODS.has(method);
  if (!notActedOn && !idempotent) return no(notIdempotent(method));
  if (isOneShotStream(config?.data)) return no(ONE_SHOT_BODY);
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) {
    return no(retryAfterTooLong(retryAfterMs, policy.maxRetryAfterMs));
  }
  // parseRetryAfter caps at the timer limit: the server asked for that long or longer.
  if (retryAfterMs !== undefined && retryAfterMs >= MAX_TIMER_MS) return no(RETRY_AFTER_PAST_TIMERS);
  if (retry > policy.retries) return NO;
  return { retry: true, reason, status, retryAfterMs, ...retryDelayMs(retry, policy, retryAfterMs, random) };
}

/**
 * The one re-send a 401 to the call's own token earns (auth/call-auth.ts says when): Box did not
 * act on it, so any method is re-sent, unless its body is a one-shot stream; its wait is the
 * token's refresh, which `delayMs` does not count.
 */
export function decideResend(failure: Failure): Decision {
  if (isOneShotStream(failure.config?.data)) return no(ONE_SHOT_BODY);
  return { retry: true, delayMs: 0, delaySource: 'refresh', reason: UNAUTHORIZED, status: failure.response?.status, retryAfterMs: failure.retryAfterMs };
}
