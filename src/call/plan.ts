import type { Resend } from '../auth/authorizer.js';
import { rateLimited } from '../pacing/gates.js';
import { publishPause } from '../events/call-events.js';
import { sharedPauseMs } from '../pacing/pause.js';
import { decideResend, decideRetry, type Decision, type Retry } from '../retry/decide.js';
import type { Ending, Failure } from '../retry/failure.js';
import { clock } from '../util/wait.js';
import type { Call } from './call.js';

/** A retry granted for a failure: its decision, and what it waits for. */
export interface Granted {
  readonly decision: Retry;
  /** The call's one re-send after a 401, with a fresh token: its wait is the token's renewal. */
  readonly resend: Resend | undefined;
  /** When its wait ends, on the monotonic clock. */
  readonly at: number;
  /** Its own backoff, waited again after a pause that outgrows its wait. */
  readonly spreadMs: number;
}

/**
 * What follows a failure: the re-send a 401 to the call's own token earns, else what the policy
 * decides; with `shareRateLimit`, a pause in force that ends later holds the retry too (its own
 * backoff then runs from the end of the pause), and the failure may pause the others itself.
 */
export function plan(call: Call, failure: Failure): Granted | Ending {
  const { policy, state } = call;
  const resend = call.auth?.resendFor(failure);
  let decision: Decision = resend ? decideResend(failure) : decideRetry(failure, policy, state.retries + 1, Math.random);
  const now = clock();
  let spreadMs = 0;
  if (policy.shareRateLimit) {
    const { store } = call.host.gates;
    const backoffMs = decision.retry && decision.delaySource === 'backoff' ? decision.delayMs : undefined;
    spreadMs = backoffMs ?? 0;
    const paused = store.pauseMs() > 0 ? store.pauseMs(state.scope(call.host.gates)) : 0;
    if (decision.retry && !resend && paused > decision.delayMs) {
      decision = { ...decision, delayMs: paused + spreadMs, delaySource: 'rate-limit' };
    }
    // A 429 without Retry-After pauses the others for this call's own jittered backoff, so
    // that the jitter still spreads their retries.
    const { response } = failure;
    const pauseMs = response && sharedPauseMs(response.status, failure.retryAfterMs, policy, backoffMs);
    if (response && pauseMs !== undefined) {
      const scope = state.scope(call.host.gates);
      store.pause(scope, pauseMs);
      publishPause(scope, pauseMs, response.status);
    }
    // A 429 says Box enforces less than the rules count in: the fleet's effective max comes down.
    if (response?.status === 429 && call.host.gates.rules.length > 0) rateLimited(call.host.gates, state.scope(call.host.gates), state.request);
  }
  if (!decision.retry) return { failure, reason: decision.notRetriedReason };
  return { decision, resend, at: now + decision.delayMs, spreadMs };
}
