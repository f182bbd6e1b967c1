import { retryEvent } from '../retry/retry-event.js';
import type { Ending, Failure } from '../retry/failure.js';
import { raceAbort, waitMs } from '../util/wait.js';
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
  let stopped = limits.cancelled();
  if (!stopped && policy.onRetry) {
    const next = copyConfig(state.request);
    await raceAbort(Promise.resolve(policy.onRetry(retryEvent(decision, failure, state.attempts + 1, next))), limits.cancel);
    state.request = next;
    stopped = limits.cancelled();
  }
  if (!stopped && resend) {
    stopped = await resend.renew(limits.cancel);
  } else if (!stopped) {
    await waitMs(decision.delayMs, limits.cancel.signal, limits.cancel.token);
    stopped = limits.cancelled();
  }
  return stopped && limits.stop(stopped, state.attempts);
}
