import type { AxiosResponse } from 'axios';
import { retryAfterOf } from '../box/retry-after.js';
import { settlePlainError, settleResponse } from '../errors/settle.js';
import { publishGiveUp } from '../events/call-events.js';
import type { Deadline } from '../retry/deadline.js';
import type { Ending, Failure } from '../retry/failure.js';
import type { Call } from './call.js';

/**
 * The errors calls rejected with: the plugin's own answers (an error `onRetry` threw among them,
 * which must reach the caller untouched), which its response interceptor must not settle again.
 */
export const callErrors = new WeakSet<object>();

/**
 * The call rejects with `error`: a 401 that carried no token says why, the call's own Box error
 * gets its timing, and the giveUp channel hears of it. Nothing else of the error changes.
 */
export function rejected(call: Call, error: unknown): void {
  if (typeof error === 'object' && error !== null) callErrors.add(error);
  const { state } = call;
  call.auth?.explain(error);
  state.timing.rejected(error, state.config);
  publishGiveUp(error, state.config, state.attempts, call.policy);
}

/**
 * Settle the call with a response: resolved with `boxStatus`, or rejected with its Box error.
 * `notRetriedReason` and `cause` are those of a failure that is not retried.
 */
export function finish(
  call: Call,
  response: AxiosResponse,
  retryAfterMs = retryAfterOf(response),
  notRetriedReason?: string,
  cause?: unknown,
): AxiosResponse | Promise<never> {
  const { state } = call;
  call.limits.account.close(response.status);
  state.adoptSent();
  const settled = settleResponse(response, state.config, call.policy.statuses, state.attempts, retryAfterMs, notRetriedReason, cause);
  if (settled === response) {
    state.resolved = response;
    state.timing.resolved(response);
  }
  return settled;
}

/** Settle the call with a failure that is not retried: its response, else its error. */
export function end(call: Call, { failure, reason }: Ending): AxiosResponse | Promise<never> {
  const { deadline } = call.limits;
  if (deadline?.reason !== undefined) return endByDeadline(call, deadline, failure, deadline.reason);
  return settleFailure(call, failure, reason);
}

/**
 * Settle a call the deadline ended. The caller gets the failure that was being retried (a 503 and
 * its request id say more than a timeout), else a deadline error; a failure the deadline did not
 * cut short (a 503 whose retry would have ended too late) is settled as it is.
 */
function endByDeadline(call: Call, deadline: Deadline, current: Failure, reason: string): AxiosResponse | Promise<never> {
  call.host.counts.callsEndedByDeadline += 1;
  return settleFailure(call, deadline.outcome(current, call.state.retrying, call.state.config), reason);
}

function settleFailure(call: Call, failure: Pick<Failure, 'response' | 'retryAfterMs' | 'error'>, reason: string | undefined): AxiosResponse | Promise<never> {
  if (failure.response) return finish(call, failure.response, failure.retryAfterMs, reason, failure.error);
  const { state } = call;
  state.adoptSent();
  throw settlePlainError(failure.error, state.config, state.attempts, reason);
}
