import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { BudgetAccount } from './budget.js';
import { AUTHORIZE } from './brand.js';
import type { CallAuthorizer } from './call-auth.js';
import type { CallHost } from './call-types.js';
import { Deadline, deadlineError } from './deadline.js';
import { cancelledFailure, decideRetry, failureOf, rejectionFailure, type Failure } from './decide.js';
import { publishGiveUp, publishPause, publishRetry, publishWait } from './events/call-events.js';
import { retryEvent } from './retry-event.js';
import { acquireSlot } from './gates.js';
import type { CallPolicy } from './options.js';
import { sharedPauseMs } from './pause.js';
import { retryAfterOf } from './retry-after.js';
import { settlePlainError, settleResponse } from './settle.js';
import { CallTiming } from './timing/call-timing.js';
import { adoptSentConfig, attemptConfig, copyConfig, discardBody } from './transport.js';
import { clock, raceAbort, waitMs, type Cancellation } from './wait.js';

const EJECTED = 'the plugin was ejected';

/**
 * The errors calls rejected with: the plugin's own answers (an error `onRetry` threw among them,
 * which must reach the caller untouched), which its response interceptor must not settle again.
 */
export const callErrors = new WeakSet<object>();

/**
 * One call, from its first send to its final answer. Send an attempt (after the shared rate-limit
 * pause, with the deadline's cut of its timeout); a final response settles the call; a failure is
 * decided (decideRetry, then what the instance shares: the pause, the deadline, the budget); a
 * retry is told to `onRetry`, waited for, and sent again. Every wait is abortable: a cancel is met
 * before the next send. Per-call state is this function's locals and its Deadline and
 * BudgetAccount; each attempt is sent with a copy of the request config.
 */
export async function runCall(
  host: CallHost,
  policy: CallPolicy,
  config: InternalAxiosRequestConfig,
  adapter: AxiosAdapter,
): Promise<AxiosResponse> {
  const { counts, gates } = host;
  const { store } = gates;
  counts.calls += 1;
  const deadline = policy.deadlineMs === undefined ? undefined : new Deadline(policy.deadlineMs, config);
  // The deadline's signal hears the caller's; without a deadline the caller's own is heard.
  const cancel: Cancellation = { signal: deadline ? deadline.signal : config.signal, token: config.cancelToken };
  const account = new BudgetAccount(host.budget, policy.budget);
  const authorizer = host.auth && config.boxAuth !== false ? host.auth[AUTHORIZE](config) : undefined;
  /** What the call spends waiting, and in all: `boxStatus.waitedMs` and `durationMs`. */
  const timing = new CallTiming();
  /** What each attempt is a copy of: the call's config, or the copy `onRetry` last changed. */
  let request = config;
  /** The headers the plugin gave the last attempt (a transport may change its copy of the config). */
  let sentHeaders: InternalAxiosRequestConfig['headers'] | undefined;
  let attempts = 0;
  let retries = 0;
  /** What the next attempt is: the first, a retry the policy granted, or the re-send a 401 earned. */
  let next: 'first' | 'retry' | 'resend' = 'first';
  /** The failure the retry under way is for: what settles the call if the retry is never sent. */
  let retrying: Failure | undefined;
  /** When that retry's own wait ends, and its own backoff, waited again after a pause that outgrew it. */
  let retryAt = 0;
  let spreadMs = 0;
  let resolved: AxiosResponse | undefined;
  /** Whose limits the call counts against, worked out when first needed (most calls never ask). */
  let scope: string | undefined;
  const scopeOf = (): string => (scope ??= gates.scopeOf(config));

  const adoptSent = (): void => adoptSentConfig(config, request, sentHeaders);

  const settle = (response: AxiosResponse, retryAfterMs: number | undefined, reason?: string, cause?: unknown) => {
    account.close(response.status);
    adoptSent();
    const settled = settleResponse(response, config, policy.statuses, attempts, retryAfterMs, reason, cause);
    if (settled === response) {
      resolved = response;
      timing.resolved(response);
    }
    return settled;
  };

  /** Settle the call with a failure that is not retried. */
  const end = (failure: Failure, reason: string | undefined): AxiosResponse | Promise<never> => {
    if (deadline?.reason !== undefined) return endByDeadline(failure, deadline.reason);
    if (failure.response) return settle(failure.response, failure.retryAfterMs, reason, failure.error);
    adoptSent();
    throw settlePlainError(failure.error, config, attempts, reason);
  };

  /**
   * Settle a call the deadline ended. The caller gets the failure that was being retried (a 503
   * and its request id say more than a timeout), else a deadline error; a failure the deadline
   * did not cut short (a 503 whose retry would have ended too late) is returned as it is.
   */
  const endByDeadline = (current: Failure, reason: string): AxiosResponse | Promise<never> => {
    counts.callsEndedByDeadline += 1;
    const outcome = (deadline as Deadline).outcome(current, retrying, config);
    if (outcome.response) return settle(outcome.response, outcome.retryAfterMs, reason, outcome.error);
    adoptSent();
    throw settlePlainError(outcome.error, config, attempts, reason);
  };

  try {
    for (;;) {
      // ---- Send an attempt, after the shared pause, with the deadline's cut of its timeout.
      let failure: Failure | undefined;
      let during = false;
      if (attempts > 0 && !host.active) return await end(retrying as Failure, EJECTED);
      // ---- The token first (a refresh may take a while), then held by the shared pause and by
      // the rate limits (a slot in each of its windows), so that the slot is taken just before
      // the send.
      let token: string | undefined;
      if (authorizer) {
        const unauthorized = next === 'resend' ? retrying?.response : undefined;
        const tokenFrom = clock();
        ({ token, failure } = await authorizer.tokenFor(request, cancel, unauthorized));
        timing.waitedSince(tokenFrom);
      }
      while (!failure) {
        const paused = policy.shareRateLimit && store.pauseMs() > 0 ? store.pauseMs(scopeOf()) : 0;
        let waitFor = paused;
        let holder = "the instance's rate-limit pause";
        if (paused > 0) {
          // A retry whose wait ended inside a pause that another call started or lengthened since
          // waits its own backoff again after it, or all the retries it held would go at once.
          if (attempts > 0 && clock() + paused > retryAt + 1) waitFor += spreadMs;
          spreadMs = 0;
        } else if (gates.rules.length > 0) {
          const slot = acquireSlot(gates, scopeOf(), request, policy.shareRateLimit);
          holder = 'the wait for a rate-limit slot';
          if (typeof slot === 'number') waitFor = slot;
          else {
            // A store that answers later (Redis) is waited for as abortably as any other wait.
            const slotFrom = clock();
            waitFor = ((await raceAbort(slot, cancel)) as number | undefined) ?? 0;
            timing.waitedSince(slotFrom);
            failure = cancelledFailure(config, cancel);
            if (failure) break;
          }
        }
        if (waitFor <= 0) break;
        if (deadline?.outlasts(waitFor)) {
          const reason = deadline.end(`would pass during ${holder} (${Math.ceil(waitFor)} ms left) before attempt ${attempts + 1}`);
          failure = failureOf(config, undefined, deadlineError(config, reason));
        } else {
          publishWait(scopeOf(), waitFor, paused > 0 ? 'pause' : 'rate-limit');
          const heldFrom = clock();
          await waitMs(waitFor, cancel.signal, cancel.token);
          timing.waitedSince(heldFrom);
          failure = cancelledFailure(config, cancel);
        }
      }
      if (!failure && !host.active) {
        // Ejected while the attempt waited: a retry is not sent; a first attempt goes as plain axios.
        if (attempts > 0) return await end(retrying as Failure, EJECTED);
        token = undefined;
      }
      const timeout = failure || !deadline ? undefined : deadline.timeoutFor(request.timeout);
      if (timeout === 0) {
        const reason = (deadline as Deadline).end(`ran out before attempt ${attempts + 1} was sent`);
        failure = failureOf(config, undefined, deadlineError(config, reason));
      }
      if (!failure) {
        if (next === 'retry') {
          retries += 1;
          counts.retries += 1;
          account.spend();
        } else if (next === 'resend') {
          counts.resends += 1;
        }
        attempts += 1;
        counts.attempts += 1;
        during = true;
        const sent = attemptConfig(request, deadline && { timeout: timeout as number, signal: deadline.signal }, token);
        // The same headers as the caller's unless the plugin gave this attempt its own (a token).
        sentHeaders = sent.headers === config.headers ? undefined : sent.headers;
        let response: AxiosResponse | undefined;
        const sentAt = gates.rules.length > 0 ? clock() : 0;
        try {
          response = await adapter(sent);
          authorizer?.answered(response);
        } catch (error) {
          failure = rejectionFailure(sent, error);
        }
        if (sentAt > 0) gates.latency.observe(clock() - sentAt);
        // ---- A final answer settles the call.
        if (response && response.status < 400 && response.status !== 202) {
          return await settle(response, retryAfterOf(response));
        }
        failure ??= failureOf(sent, response, undefined);
      }

      // ---- Decide: a 401's re-send, else the policy; then what the instance shares (the pause,
      // the deadline, the budget).
      const ended = deadline?.endedBy(failure, attempts, during);
      const resend = authorizer?.resendFor(failure);
      const decided = resend ?? decideRetry(failure, policy, retries + 1, Math.random);
      let decision = decided;
      const now = clock();
      if (policy.shareRateLimit) {
        const backoffMs = decided.retry && decided.delaySource === 'backoff' ? decided.delayMs : undefined;
        spreadMs = backoffMs ?? 0;
        // A pause already in force (another call's) that ends later holds this retry too, and its
        // own backoff then runs from the end of the pause.
        const paused = store.pauseMs() > 0 ? store.pauseMs(scopeOf()) : 0;
        if (decided.retry && !resend && paused > decided.delayMs) {
          decision = { ...decided, delayMs: paused + spreadMs, delaySource: 'rate-limit' };
        }
        // A 429 without Retry-After pauses the others for this call's own jittered backoff, so
        // that the jitter still spreads their retries.
        const response = failure.response;
        const pauseMs = response && sharedPauseMs(response.status, failure.retryAfterMs, policy, backoffMs);
        if (pauseMs !== undefined) {
          store.pause(scopeOf(), pauseMs);
          publishPause(scopeOf(), pauseMs, (response as AxiosResponse).status);
        }
      }
      if (!decision.retry) return await end(failure, decision.notRetriedReason);
      if (ended !== undefined) return await end(failure, ended);
      if (!host.active) return await end(failure, EJECTED);
      if (deadline?.outlasts(decision.delayMs)) {
        const reason = deadline.end(`would pass during the ${Math.round(decision.delayMs)} ms wait before attempt ${attempts + 1}`);
        return await end(failure, reason);
      }
      // A re-send with a fresh token is no retry: Box did not act on the 401, and it costs nothing.
      const refused = resend ? undefined : account.reserve(decision.status);
      if (refused !== undefined) {
        counts.retriesRefusedByBudget += 1;
        return await end(failure, refused);
      }
      publishRetry(decision, failure, attempts + 1, request);
      retrying = failure;
      next = resend ? 'resend' : 'retry';
      retryAt = now + decision.delayMs;
      discardBody(failure.response);

      // ---- onRetry, then the wait; a cancel before, during or after either ends the call.
      let stopped = cancelledFailure(config, cancel);
      if (!stopped && policy.onRetry) {
        const next = copyConfig(request);
        await raceAbort(Promise.resolve(policy.onRetry(retryEvent(decision, failure, attempts + 1, next))), cancel);
        request = next;
        stopped = cancelledFailure(config, cancel);
      }
      const waitFrom = clock();
      if (!stopped && resend) {
        // The re-send's wait is the refresh of the token the 401 answered.
        stopped = await (authorizer as CallAuthorizer).renew(cancel, failure.response as AxiosResponse);
      } else if (!stopped) {
        await waitMs(decision.delayMs, cancel.signal, cancel.token);
        stopped = cancelledFailure(config, cancel);
      }
      timing.waitedSince(waitFrom);
      if (stopped) {
        deadline?.endedBy(stopped, attempts, false);
        return await end(stopped, undefined);
      }
    }
  } catch (error) {
    if (typeof error === 'object' && error !== null) callErrors.add(error);
    authorizer?.explain(error);
    timing.rejected(error, config);
    publishGiveUp(error, config, attempts, policy);
    throw error;
  } finally {
    account.refund();
    deadline?.release(resolved);
  }
}
