import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { publishWait } from '../events/call-events.js';
import type { CallPolicy } from '../options/policy.js';
import { BudgetAccount } from '../retry/budget.js';
import { Deadline, deadlineError } from '../retry/deadline.js';
import type { Retry } from '../retry/decide.js';
import { cancelledFailure, failureOf, type Ending, type Failure } from '../retry/failure.js';
import { EJECTED, PAUSE_HOLDS, ranOutBefore, wouldPassHeld, wouldPassWaiting } from '../retry/reasons.js';
import { waitMs, type Cancellation } from '../util/wait.js';
import type { CallHost } from './call-host.js';
import type { AttemptOverrides } from './transport.js';

/** An attempt's request as it is: the cut of a call without a deadline. */
const UNCUT = Object.freeze({ overrides: undefined });

/**
 * What may end one call before Box's final answer, and whether it may go on: its deadline, its
 * cancel (the caller's signal and CancelToken), its account with the instance's retry budget, and
 * the plugin's eject.
 */
export class CallLimits {
  readonly deadline: Deadline | undefined;
  /** What every wait of the call listens to: the deadline's signal (which hears the caller's), else the caller's own. */
  readonly cancel: Cancellation;
  readonly account: BudgetAccount;
  readonly #host: CallHost;
  readonly #config: InternalAxiosRequestConfig;

  constructor(host: CallHost, policy: CallPolicy, config: InternalAxiosRequestConfig) {
    this.#host = host;
    this.#config = config;
    const deadline = policy.deadlineMs === undefined ? undefined : new Deadline(policy.deadlineMs, config);
    this.deadline = deadline;
    this.cancel = { signal: deadline ? deadline.signal : config.signal, token: config.cancelToken };
    this.account = new BudgetAccount(host.budget, policy.budget);
  }

  /** Whether the plugin was ejected: a call under way retries no more. */
  get ejected(): boolean {
    return !this.#host.active;
  }

  /** The failure of the call once it has been cancelled (by the caller, or by its deadline). */
  cancelled(): Failure | undefined {
    return cancelledFailure(this.#config, this.cancel);
  }

  /** The deadline hears what attempt `attempt` failed with (`during` it, or before the next): whether it ended the call. */
  heard(failure: Failure, attempt: number, during: boolean): void {
    this.deadline?.endedBy(failure, attempt, during);
  }

  /** The call stops at a failure met before attempt `attempt + 1` was sent (a cancel, a refresh that failed, the deadline). */
  stop(failure: Failure, attempt: number): Ending {
    this.heard(failure, attempt, false);
    return { failure, reason: undefined };
  }

  /**
   * Hold attempt `attempt` of `scope` for `ms` (`holder` says what holds it: the pause or a slot);
   * the failure that ends the call instead.
   */
  async hold(ms: number, holder: string, attempt: number, scope: string): Promise<Failure | undefined> {
    const { deadline } = this;
    if (deadline?.outlasts(ms)) return this.#deadlineFailure(deadline, wouldPassHeld(holder, ms, attempt));
    publishWait(scope, ms, holder === PAUSE_HOLDS ? 'pause' : 'rate-limit');
    await waitMs(ms, this.cancel.signal, this.cancel.token);
    return this.cancelled();
  }

  /**
   * What attempt `attempt` of `request` is sent with under the deadline: its timeout cut to the
   * time left when that is shorter, and the deadline's signal (nothing without a deadline); or
   * the failure that ends the call when no time is left.
   */
  cut(request: InternalAxiosRequestConfig, attempt: number): { readonly overrides: AttemptOverrides | undefined } | { readonly failure: Failure } {
    const { deadline } = this;
    if (!deadline) return UNCUT;
    const timeout = deadline.timeoutFor(request.timeout);
    if (timeout === 0) return { failure: this.#deadlineFailure(deadline, ranOutBefore(attempt)) };
    return { overrides: { timeout, signal: deadline.signal } };
  }

  /**
   * Whether the retry `decision` grants may go (undefined), else why the call ends: the deadline
   * ended it, the plugin was ejected, the deadline would pass during the wait, or the budget
   * refuses it. A `resend` (the one re-send a 401 earns) costs nothing: Box did not act on it.
   */
  admit(decision: Retry, resend: boolean, attempt: number): string | undefined {
    const { deadline } = this;
    if (deadline?.reason !== undefined) return deadline.reason;
    if (this.ejected) return EJECTED;
    if (deadline?.outlasts(decision.delayMs)) return deadline.end(wouldPassWaiting(decision.delayMs, attempt));
    const refused = resend ? undefined : this.account.reserve(decision.status);
    if (refused !== undefined) this.#host.counts.retriesRefusedByBudget += 1;
    return refused;
  }

  #deadlineFailure(deadline: Deadline, why: string): Failure {
    return failureOf(this.#config, undefined, deadlineError(this.#config, deadline.end(why)));
  }

  /** The call has its answer (`resolved`, when it resolved): a reserved retry never sent is refunded, the deadline let go. */
  release(resolved: AxiosResponse | undefined): void {
    this.account.refund();
    this.deadline?.release(resolved);
  }
}
