import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { AUTHORIZE } from '../auth/authorizer.js';
import type { CallPolicy } from '../options/policy.js';
import type { Call } from './call.js';
import type { CallHost } from './call-host.js';
import { CallLimits } from './call-limits.js';
import { CallState } from './call-state.js';
import { end, finish, rejected } from './finish.js';
import { plan } from './plan.js';
import { prepare } from './prepare.js';
import { waitForRetry } from './retry-wait.js';
import { send } from './send.js';

/**
 * One call, from its first send to its final answer: prepare an attempt (its token, the shared
 * pause, a slot in the rate limits, the deadline's cut of its timeout), send it, finish on a final
 * answer; else plan (the 401's re-send, or what the policy decides), admit (the eject, the
 * deadline, the budget), advance to the retry, wait for it (onRetry, then the wait), and go again.
 * Each attempt is sent with a copy of the request config.
 */
export async function runCall(
  host: CallHost,
  policy: CallPolicy,
  config: InternalAxiosRequestConfig,
  adapter: AxiosAdapter,
): Promise<AxiosResponse> {
  const auth = host.auth && config.boxAuth !== false ? host.auth[AUTHORIZE](config) : undefined;
  const call: Call = { host, policy, adapter, auth, state: new CallState(config, host.counts), limits: new CallLimits(host, policy, config) };
  const { state, limits } = call;
  try {
    for (;;) {
      const prepared = prepare(call);
      const ready = prepared instanceof Promise ? await prepared : prepared;
      if ('failure' in ready) return await end(call, ready);
      const sent = await send(call, ready);
      if ('final' in sent) return await finish(call, sent.final);
      const { failure } = sent;
      const planned = plan(call, failure);
      if ('reason' in planned) return await end(call, planned);
      const refused = limits.admit(planned.decision, planned.resend !== undefined, state.attempts + 1);
      if (refused !== undefined) return await end(call, { failure, reason: refused });
      state.advance(failure, planned.resend ? 'resend' : 'retry', planned.at, planned.spreadMs);
      const stopped = await waitForRetry(call, failure, planned);
      if (stopped) return await end(call, stopped);
    }
  } catch (error) {
    rejected(call, error);
    throw error;
  } finally {
    limits.release(state.resolved);
  }
}
