import { publishRetry } from '../events/call-events.js';
import { retryEvent } from '../retry/retry-event.js';
import type { Ending, Failure } from '../retry/failure.js';
import { clock, raceAbort, waitMs } from '../util/wait.js';
import type { Call } from './call.js';
import type { Granted } from './plan.js';
import { copyConfig } from './transport.js';

/**
 * Before a granted retry: `onRetry` is told (and may change the next attempt's config), then the
 * wait (for a re-send, the token's renewal). A cancel before, during or after either ends the
 * call: how it ends, or undefined when the retry may be sent.
 */
export async function waitForRetry(call: Call, failure: Failure, { decision, resend }: Granted): Promise<Ending | undefined> {
  const { state, limits, policy } = call;
  publishRetry(decision, failure, state.attempts + 1, state.request);
  let stopped = limits.cancelled();
  if (!stopped && policy.onRetry) {
    const next = copyConfig(state.request);
    await raceAbort(Promise.resolve(policy.onRetry(retryEvent(decision, failure, state.attempts + 1, next))), limits.cancel);
    state.request = next;
    stopped = limits.cancelled();
  }
  const waitFrom = clock();
  if (!stopped && resend) {
    stopped = await resend.renew(limits.cancel);
  } else if (!stopped) {
    await waitMs(decision.delayMs, limits.cancel.signal, limits.cancel.token);
    stopped = limits.cancelled();
  }
  state.timing.waitedSince(waitFrom);
  return stopped && limits.stop(stopped, state.attempts);
}
