import axios, { AxiosError, AxiosHeaders } from 'axios';
import type {
  AxiosAdapter,
  AxiosInstance,
  AxiosPromise,
  AxiosRequestConfig,
  AxiosResponse,
  InternalAxiosRequestConfig,
} from 'axios';
import axiosRetryImport from 'axios-retry';
import { bodyRequestId } from './body.js';
import { isHealthyStatus, RetryBudget, retryCostOf, rewardOf } from './budget.js';
import { classifyStatus, isRetryableStatus } from './classify.js';
import { deadlineError, deadlineReason } from './deadline.js';
import { decideRetry, isCutShort, isTimeoutError, type Decision, type Failure } from './decide.js';
import { BoxApiError, boxErrorClass, finishPlainError, redactPlainError, type BoxApiErrorInit } from './errors.js';
import { getHeader, getHeaderString } from './headers.js';
import { DEFAULT_POLICY, requestPolicy, resolveOptions, type ResolvedPolicy } from './options.js';
import { peekErrorBody } from './peek.js';
import { RateLimitPause, sharedPauseMs, waitMs } from './pause.js';
import { parseRetryAfter } from './retry-after.js';
import type { BoxStatus, BoxStatusHandle, BoxStatusOptions, BoxStatusStats } from './types.js';

// From CommonJS, Node hands over axios-retry's whole exports object as the default import, with
// the function under `.default`; from ESM it is the function itself.
const axiosRetry: typeof axiosRetryImport =
  typeof axiosRetryImport === 'function'
    ? axiosRetryImport
    : (axiosRetryImport as unknown as { default: typeof axiosRetryImport }).default;

type AdapterSetting = AxiosRequestConfig['adapter'];
type RetryDecision = Extract<Decision, { retry: true }>;
type BoxAdapter = AxiosAdapter & { [ORIGINAL_ADAPTER]: AdapterSetting };
type EngineConfig = InternalAxiosRequestConfig & { [CALL_KEY]?: BoxCall };

// Symbol.for: an ESM and a CJS copy of the plugin in one process must recognise each other's
// marks, or attaching both would wrap the adapter twice and double the retries.
const ATTACHMENT = Symbol.for('axios-box-status.attachment');
const ORIGINAL_ADAPTER = Symbol.for('axios-box-status.original-adapter');
const SYNC_CHAIN_REACHES_RESPONSE_INTERCEPTORS = isAtLeast(axios.VERSION, 1, 19);

/** Whether a `major.minor.patch` version is at least `major.minor` (an unknown one counts as new). */
function isAtLeast(version: unknown, major: number, minor: number): boolean {
  const match = /^(\d+)\.(\d+)\./.exec(String(version));
  if (!match) return true;
  const [actualMajor, actualMinor] = [Number(match[1]), Number(match[2])];
  return actualMajor > major || (actualMajor === major && actualMinor >= minor);
}

// A string key, not a symbol: axios's mergeConfig keeps only string keys, and the call state
// must survive the merge that axios-retry's re-send goes through.
const CALL_KEY = '__axiosBoxStatusCall';

// The first attempt goes straight to the transport with every status resolved, so the plugin
// decides. Retries go through the engine, where axios-retry sees 202 and >= 400 as failures.
const resolveEveryStatus = null;
const engineValidateStatus = (status: number): boolean => status < 400 && status !== 202;

/** What the calls of one attachment share. */
interface CallHost {
  /** False once ejected: a call under way then retries no more. */
  readonly active: boolean;
  /** The instance's policy, whose pause settings a request with `boxRetry: false` still follows. */
  readonly policy: ResolvedPolicy | false;
  readonly pause: RateLimitPause;
  readonly budget: RetryBudget | undefined;
  readonly counts: Counts;
}

interface Counts {
  calls: number;
  attempts: number;
  retries: number;
  retriesRefusedByBudget: number;
  callsEndedByDeadline: number;
}

// Monotonic: a wall-clock jump must neither stretch nor cut a pause or a deadline.
const clock = (): number => performance.now();

/** An axios `timeout` as axios reads it (a number, or a string of digits); 0 for none. */
function timeoutMsOf(timeout: unknown): number {
  const ms = typeof timeout === 'number' ? timeout : Number.parseInt(String(timeout), 10);
  return ms > 0 ? ms : 0;
}

/** The state of one call across its attempts. */
class BoxCall {
  /** Requests handed to the transport. */
  sent = 0;
  /** The decision taken for the failure being retried. */
  next: RetryDecision | undefined;
  /** The first failure, replayed into the engine instead of being sent again. */
  replay: Partial<AxiosError> | undefined;
  notRetriedReason: string | undefined;
  /** Whether this call waits for, and starts, the instance's rate-limit pause. */
  readonly sharesPause: boolean;
  /** Monotonic milliseconds by which the call must be settled, when the policy has a deadline. */
  readonly deadlineAt: number | undefined;
  /** The request's own axios timeout (or the one `onRetry` set), which the deadline may only shorten. */
  ownTimeoutMs = 0;
  /** The timeout the plugin gave the last attempt: a re-sent config that differs was changed by onRetry. */
  private sentTimeoutMs: number | undefined;
  /** The signal every attempt and wait of a call with a deadline listens to. */
  deadlineSignal: AbortSignal | undefined;
  /** Set when the deadline's timer fired (and not the caller's abort before it). */
  deadlineFired = false;
  /** Why the deadline ended the call, once it has. */
  deadlineReason: string | undefined;
  /** Whether the last attempt's axios timeout was the time left before the deadline. */
  cutByDeadline = false;
  /** A retry was granted and is not sent yet (its wait, onRetry or the pause is under way). */
  retryPending = false;
  /** The failure last granted a retry: what the caller gets if the deadline cuts the rest short. */
  lastFailure: Failure | undefined;
  /** Tokens taken for the granted retry, given back if it is never sent. */
  reservedTokens = 0;
  /** Tokens the last paid retry spent, refunded when the call ends well. */
  lastRetryCost = 0;
  /** The granted retry's own jittered backoff, added once if a pause holds it at the send. */
  spreadMs = 0;
  /** Monotonic time the granted retry's wait ends: a pause ending later was lengthened since. */
  retryAt = 0;

  constructor(
    readonly policy: ResolvedPolicy | false,
    readonly original: AdapterSetting,
    readonly host: CallHost,
  ) {
    // `boxRetry: false` sends once, but still keeps to the instance's rate-limit pause.
    const pausePolicy = policy || host.policy;
    this.sharesPause = pausePolicy !== false && pausePolicy.shareRateLimit;
    this.deadlineAt = policy !== false && policy.deadlineMs !== undefined ? clock() + policy.deadlineMs : undefined;
  }

  /** The policy whose caps bound a pause this call starts (only read when it shares the pause). */
  get pausePolicy(): ResolvedPolicy {
    return (this.policy || this.host.policy) as ResolvedPolicy;
  }

  /** Send an attempt, after the instance's rate-limit pause if one is in force. */
  send(config: InternalAxiosRequestConfig): AxiosPromise {
    const host = this.host;
    if (host.pause.untilMs !== 0 && this.sharesPause) {
      const waitFor = host.pause.remainingMs(clock());
      if (waitFor > 0) {
        // A retry whose wait ended inside a pause that another call started or lengthened since:
        // its own backoff again from the end of the pause, or all those held would go at once.
        const spread = this.sent > 0 && host.pause.untilMs > this.retryAt + 1 ? this.spreadMs : 0;
        this.spreadMs = 0;
        return this.sendAfter(waitFor + spread, config);
      }
    }
    if (this.deadlineAt !== undefined) {
      const left = Math.ceil(this.deadlineAt - clock());
      if (left <= 0) return Promise.reject(deadlineError(config, this.deadlineText('before')));
      const given = timeoutMsOf(config.timeout);
      if (given !== this.sentTimeoutMs) this.ownTimeoutMs = given;
      const own = this.ownTimeoutMs;
      this.cutByDeadline = !(own > 0 && own <= left);
      this.sentTimeoutMs = this.cutByDeadline ? left : own;
      // Always set (a re-sent config carries the previous attempt's cut), in the one copy that
      // also gives the transport the signal the deadline aborts.
      config = { ...config, timeout: this.sentTimeoutMs, signal: this.deadlineSignal as AbortSignal };
    }
    if (this.sent > 0) {
      host.counts.retries += 1;
      this.retryPending = false;
      if (this.reservedTokens > 0) {
        this.lastRetryCost = this.reservedTokens;
        this.reservedTokens = 0;
      }
    }
    this.sent += 1;
    host.counts.attempts += 1;
    return transport(this.original, config);
  }

  private async sendAfter(waitFor: number, config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
    if (this.deadlineAt !== undefined && clock() + waitFor >= this.deadlineAt) {
      throw deadlineError(
        config,
        `${this.deadlineText()} would pass during the instance's rate-limit pause (${Math.ceil(waitFor)} ms left) before attempt ${this.sent + 1}`,
      );
    }
    await waitMs(waitFor, config.signal, config.cancelToken);
    // As axios does before it hands a request to the adapter.
    config.cancelToken?.throwIfRequested();
    if (config.signal?.aborted) throw new axios.CanceledError(undefined, config);
    // The pause may have been extended meanwhile: send() looks again.
    return this.send(config);
  }

  deadlineText(when?: 'before' | 'during'): string {
    const text = `deadlineMs (${(this.policy as ResolvedPolicy).deadlineMs} ms)`;
    if (when === 'before') return `${text} ran out before attempt ${this.sent + 1} was sent`;
    if (when === 'during') return `${text} ran out during attempt ${this.sent}`;
    return text;
  }

  /**
   * Whether the deadline ended the call with this failure: the plugin's own deadline error, a
   * cancel by the deadline's timer, or a timeout that was the time left. Remembers the reason.
   */
  deadlineEndOf(failure: Failure): string | undefined {
    if (this.deadlineAt === undefined) return undefined;
    if (this.deadlineReason !== undefined) return this.deadlineReason;
    const error = failure.error;
    let reason = deadlineReason(error);
    if (
      reason === undefined &&
      ((this.deadlineFired && axios.isCancel(error)) ||
        (this.cutByDeadline && !failure.response && isTimeoutError(error) && clock() >= this.deadlineAt - 1))
    ) {
      reason = this.deadlineText(this.sent === 0 || this.retryPending ? 'before' : 'during');
    }
    this.deadlineReason = reason;
    return reason;
  }

  /** Start (or lengthen) the instance's pause for this call's failed attempt, if it calls for one. */
  notePause(response: AxiosResponse, ownDelayMs: number | undefined, now: number): void {
    const retryAfterMs = parseRetryAfter(getHeader(response.headers, 'retry-after'));
    const pauseMs = sharedPauseMs(response.status, retryAfterMs, this.pausePolicy, ownDelayMs);
    if (pauseMs !== undefined) this.host.pause.extend(now + pauseMs);
  }
}

/** What `onRetry` threw, carried through axios-retry and the engine untouched. */
class OnRetryFailure {
  constructor(readonly error: unknown) {}
}

/** Send through the adapter the request would have used without the plugin. */
function transport(original: AdapterSetting, config: InternalAxiosRequestConfig): AxiosPromise {
  config.headers = ownHeaders(config.headers);
  const adapter = axios.getAdapter(original ?? axios.defaults.adapter, config as never) as AxiosAdapter;
  return adapter(config);
}

/**
 * Headers this copy of axios can read. The instance may come from another copy (an ESM app
 * with a CJS copy of the plugin) whose AxiosHeaders axios before 1.16 mistakes for a value.
 */
function ownHeaders(headers: unknown): AxiosHeaders {
  if (headers instanceof AxiosHeaders) return headers;
  const foreign = headers as { toJSON?: () => object } | undefined;
  return AxiosHeaders.from((typeof foreign?.toJSON === 'function' ? foreign.toJSON() : foreign) as never);
}

/**
 * Release the body of a response that is retried past. With `responseType: 'stream'` (a
 * download polled on 202) nobody else will read it, and an unread stream holds its socket.
 */
function discardBody(response: AxiosResponse | undefined): void {
  const body = response?.data as { destroy?: () => void; cancel?: () => Promise<void> } | undefined;
  if (typeof body?.destroy === 'function') body.destroy();
  else if (typeof body?.cancel === 'function') body.cancel().catch(() => {});
}

/** The call an error of the engine belongs to; undefined for anything the engine did not make. */
function callOf(error: unknown): BoxCall | undefined {
  const config = (error as { config?: EngineConfig } | null | undefined)?.config;
  return config?.[CALL_KEY];
}

function failureOf(error: unknown): Failure {
  const axiosError = error as Partial<AxiosError> | undefined;
  // A response cut short is a transport failure: never settled (it would resolve a 200).
  const response = isCutShort(error) ? undefined : axiosError?.response;
  return { config: axiosError?.config, response, error };
}

/** Resolves when the signal aborts (at once if it has), so a slow onRetry cannot hold a cancel. */
function whenAborted(signal: AbortSignal | undefined): { promise: Promise<void>; done(): void } {
  if (!signal?.addEventListener) return { promise: new Promise(() => {}), done() {} };
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  if (signal.aborted) resolve();
  signal.addEventListener('abort', resolve, { once: true });
  return { promise, done: () => signal.removeEventListener('abort', resolve) };
}

/**
 * Whether to retry a failed attempt, by the policy and then by what the instance shares: the
 * rate-limit pause (started by this failure, and waited by the retry), the deadline and the
 * budget, whose tokens are reserved here when the retry is granted.
 */
function admit(call: BoxCall, failure: Failure): Decision {
  const policy = call.policy as ResolvedPolicy;
  const { pause, budget, counts } = call.host;
  const now = clock();
  const deadlineEnd = call.deadlineEndOf(failure);
  const decided = decideRetry(failure, policy, call.sent, Math.random, Date.now());
  let decision = decided;
  if (call.sharesPause) {
    // A pause already in force (another call's) that ends later holds this retry too; its own
    // jittered backoff then runs from the end of the pause, so held retries do not go out at once.
    const paused = pause.remainingMs(now);
    const spread = decided.retry && decided.delaySource === 'backoff' ? decided.delayMs : 0;
    call.spreadMs = spread;
    if (decided.retry && paused > decided.delayMs) {
      decision = { ...decided, delayMs: paused + spread, delaySource: 'rate-limit' };
    }
    // A 429 without Retry-After pauses the others for this call's own jittered backoff, so that
    // the jitter still spreads the retries.
    const ownDelayMs = decided.retry && decided.delaySource === 'backoff' ? decided.delayMs : undefined;
    if (failure.response) call.notePause(failure.response, ownDelayMs, now);
  }
  if (deadlineEnd !== undefined) return { retry: false, notRetriedReason: deadlineEnd };
  if (!decision.retry) return decision;
  if (call.deadlineAt !== undefined && now + decision.delayMs >= call.deadlineAt) {
    call.deadlineReason = `${call.deadlineText()} would pass during the ${Math.round(decision.delayMs)} ms wait before attempt ${call.sent + 1}`;
    return { retry: false, notRetriedReason: call.deadlineReason };
  }
  // A 202 is Box saying "not ready yet", not a failure: polling it is free.
  if (budget && policy.budget !== false && decision.status !== 202) {
    const cost = retryCostOf(policy.budget, decision.status);
    if (!budget.take(cost)) {
      counts.retriesRefusedByBudget += 1;
      return {
        retry: false,
        notRetriedReason: `the retry budget is empty (${Math.floor(budget.tokens)} of ${budget.maxTokens} tokens left, this retry costs ${cost}; calls that succeed refill it)`,
      };
    }
    call.reservedTokens = cost;
  }
  call.retryPending = true;
  call.retryAt = now + decision.delayMs;
  call.lastFailure = failure;
  return decision;
}

/**
 * One signal for a call's retries that fires on the caller's signal, on a CancelToken (which
 * axios-retry's wait does not hear), and at the call's deadline.
 */
function linkCancellation(
  config: InternalAxiosRequestConfig,
  call: BoxCall,
): { signal: AbortSignal; release(response: AxiosResponse | undefined): void } {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  const signal = config.signal;
  const token = config.cancelToken;
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (call.deadlineAt !== undefined) {
    timer = setTimeout(() => {
      if (controller.signal.aborted) return;
      call.deadlineFired = true;
      controller.abort();
    }, Math.max(0, call.deadlineAt - clock()));
  }
  if (signal?.aborted) abort();
  else signal?.addEventListener?.('abort', abort);
  token?.subscribe(abort);
  const unhook = (): void => {
    signal?.removeEventListener?.('abort', abort);
    token?.unsubscribe(abort);
  };
  return {
    signal: controller.signal,
    // The deadline ends with the final answer. The caller's cancel must still reach a streamed
    // body, as it does in plain axios, so it stays linked until that stream closes.
    release: (response) => {
      clearTimeout(timer);
      const body = response?.data as { once?: (event: string, listener: () => void) => unknown } | undefined;
      if (typeof body?.once === 'function' && typeof (body as { pipe?: unknown }).pipe === 'function') {
        body.once('close', unhook);
      } else {
        unhook();
      }
    },
  };
}

/** The engine: a private axios instance whose only job is to run axios-retry's loop. */
function createEngine(): AxiosInstance {
  const engine = axios.create();
  // The config it gets is already merged and transformed; defaults must add nothing to it.
  engine.defaults.headers = {} as never;
  axiosRetry(engine, {
    // The count is the policy's, enforced by decideRetry; axios-retry must always ask.
    retries: Number.MAX_SAFE_INTEGER,
    // The axios timeout applies to each attempt, not to the whole call.
    shouldResetTimeout: true,
    retryCondition(error) {
      // Every request the engine sends carries its call (Attachment.retry puts it there).
      const call = callOf(error);
      if (!call) return false;
      // A decision already taken is for the replayed first failure; a cancel that got in before
      // the replay must not inherit it.
      const pending = call.next;
      call.next = undefined;
      if (axios.isCancel(error)) {
        call.deadlineEndOf(failureOf(error));
        return false;
      }
      if (!call.host.active) {
        call.notRetriedReason = 'the plugin was ejected';
        return false;
      }
      const decision = pending ?? admit(call, failureOf(error));
      if (!decision.retry) {
        call.notRetriedReason = decision.notRetriedReason;
        return false;
      }
      call.next = decision;
      discardBody((error as AxiosError).response);
      return true;
    },
    // axios-retry calls retryDelay and then onRetry right after a retryCondition that returned
    // true, so `next` is the decision just taken; and only a policy that retries decides so.
    retryDelay(_retryCount, error) {
      return ((callOf(error) as BoxCall).next as RetryDecision).delayMs;
    },
    async onRetry(_retryCount, error, config) {
      const call = callOf(error) as BoxCall;
      const next = call.next as RetryDecision;
      call.next = undefined;
      const onRetry = (call.policy as ResolvedPolicy).onRetry;
      if (!onRetry) return;
      const aborted = whenAborted(config.signal as AbortSignal | undefined);
      try {
        await Promise.race([
          onRetry({
            attempt: call.sent + 1,
            delayMs: next.delayMs,
            delaySource: next.delaySource,
            reason: next.reason,
            status: next.status,
            retryAfterMs: next.retryAfterMs,
            error,
            config: config as InternalAxiosRequestConfig,
          }),
          // On abort, axios-retry sees the aborted signal and lets axios reject with a cancel.
          aborted.promise,
        ]);
      } catch (thrown) {
        // Not an Error, so that axios passes it through without appending its own stack.
        throw new OnRetryFailure(thrown);
      } finally {
        aborted.done();
      }
    },
  });
  return engine;
}

/** The engine's adapter: replays the first failure once, then sends for real. */
function engineAdapter(config: InternalAxiosRequestConfig): AxiosPromise {
  const call = (config as EngineConfig)[CALL_KEY] as BoxCall;
  // Ejected during the wait: the retry is not sent, and the failure it was for settles the call.
  if (!call.host.active && call.lastFailure) call.replay = replayOf(call.lastFailure, config);
  const replay = call.replay;
  if (replay) {
    call.replay = undefined;
    // axios-retry re-sends error.config: it must be the engine's, which carries the call.
    replay.config = config;
    if (replay.response) replay.response.config = config;
    return Promise.reject(replay);
  }
  // A custom adapter may resolve whatever the status: the retry loop must see a failure as one,
  // as the first attempt does.
  return call.send(config).then((response) =>
    engineValidateStatus(response.status) ? response : Promise.reject(failedStatus(response, config)),
  );
}

/**
 * A failure as the engine replays it. A failed status that came back resolved (the first
 * attempt accepts every status) becomes the AxiosError axios would have rejected with; a
 * transport error is replayed as it is: decideRetry retries only errors with a code, objects.
 */
function replayOf(failure: Failure, config: InternalAxiosRequestConfig): Partial<AxiosError> {
  const { response, error } = failure;
  return response && error === undefined ? failedStatus(response, config) : (error as Partial<AxiosError>);
}

/** The AxiosError axios rejects a failed status with. */
function failedStatus(response: AxiosResponse, config: InternalAxiosRequestConfig): AxiosError {
  return new AxiosError(
    `Request failed with status code ${response.status}`,
    response.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
    config,
    response.request,
    response,
  );
}

/**
 * The cut attempt's error as the cause of a deadline error: not the cancel the deadline itself
 * caused, and with the caller's config in place of the plugin's copy of it.
 */
function causeOf(error: unknown, config: InternalAxiosRequestConfig): unknown {
  if (axios.isCancel(error)) return undefined;
  if (typeof error === 'object' && error !== null && 'config' in error) (error as AxiosError).config = config;
  return error;
}

/** Put back the caller's `validateStatus` (axios leaves the key unset when nobody set it). */
function restoreValidateStatus(
  config: InternalAxiosRequestConfig,
  validateStatus: InternalAxiosRequestConfig['validateStatus'] | undefined,
): void {
  if (validateStatus === undefined) delete config.validateStatus;
  else config.validateStatus = validateStatus;
}

/**
 * Give the caller's config what the last attempt was sent with: `onRetry` may have put a fresh
 * token in the headers, the URL, the params or `auth`, which a caller re-sending `error.config`
 * needs and the redaction must know.
 */
function adoptSentConfig(config: InternalAxiosRequestConfig, sent: InternalAxiosRequestConfig | undefined): void {
  if (!sent) return;
  config.headers = sent.headers;
  if (sent.url !== undefined) config.url = sent.url;
  config.params = sent.params;
  if (sent.auth) config.auth = sent.auth;
}

class Attachment implements CallHost {
  active = true;
  readonly engine = createEngine();
  readonly pause = new RateLimitPause();
  readonly budget: RetryBudget | undefined;
  readonly counts: Counts = {
    calls: 0,
    attempts: 0,
    retries: 0,
    retriesRefusedByBudget: 0,
    callsEndedByDeadline: 0,
  };
  readonly requestInterceptorId: number;
  readonly responseInterceptorId: number;
  // Adapter functions may be made per request: a WeakMap lets them go; names and lists are few.
  private readonly wrappedByObject = new WeakMap<object, BoxAdapter>();
  private readonly wrappedByName = new Map<unknown, BoxAdapter>();

  constructor(
    readonly instance: AxiosInstance,
    readonly policy: ResolvedPolicy | false,
  ) {
    // With `retry: false` a request may still turn retries on with `boxRetry`: it gets the
    // default budget.
    const budget = (policy || DEFAULT_POLICY).budget;
    this.budget = budget === false ? undefined : new RetryBudget(budget.maxTokens);
    this.requestInterceptorId = instance.interceptors.request.use(
      (config) => {
        const current = config.adapter as Partial<BoxAdapter> | undefined;
        const original =
          typeof current === 'function' && ORIGINAL_ADAPTER in current
            ? current[ORIGINAL_ADAPTER]
            : (current as AdapterSetting);
        config.adapter = this.wrap(original);
        return config;
      },
      undefined,
      // Synchronous: the plugin must not add a tick, nor force one on the user's own interceptors.
      // Except before axios 1.19: there, an error thrown before the adapter (a request cancelled
      // before it was sent) skips the response interceptors of a synchronous chain, and with
      // them the redaction of its toJSON; the asynchronous chain passes it through them.
      { synchronous: SYNC_CHAIN_REACHES_RESPONSE_INTERCEPTORS },
    );
    // An error axios raises before the adapter runs (a cancel before sending) never passes
    // through the plugin's adapter; its toJSON would still serialise the headers.
    this.responseInterceptorId = instance.interceptors.response.use(undefined, (error: unknown) => {
      throw redactPlainError(error);
    });
  }

  /** The plugin's adapter around an adapter setting (a name, a list or a function), cached. */
  private wrap(original: AdapterSetting): BoxAdapter {
    const byObject = typeof original === 'object' || typeof original === 'function';
    let adapter = byObject ? this.wrappedByObject.get(original as object) : this.wrappedByName.get(original);
    if (!adapter) {
      const run = (config: InternalAxiosRequestConfig): AxiosPromise =>
        this.active ? this.run(config, original) : transport(original, config);
      adapter = Object.assign(run, { [ORIGINAL_ADAPTER]: original });
      if (byObject) this.wrappedByObject.set(original as object, adapter);
      else this.wrappedByName.set(original, adapter);
    }
    return adapter;
  }

  private run(config: InternalAxiosRequestConfig, original: AdapterSetting): Promise<AxiosResponse> {
    const policy = requestPolicy(this.policy, config.boxRetry);
    const call = new BoxCall(policy, original, this);
    this.counts.calls += 1;
    if (call.deadlineAt === undefined) return this.firstAttempt(call, config);
    const link = linkCancellation(config, call);
    call.deadlineSignal = link.signal;
    return this.firstAttempt(call, config).then(
      (response) => {
        link.release(response);
        return response;
      },
      (error: unknown) => {
        link.release(undefined);
        throw error;
      },
    );
  }

  private async firstAttempt(call: BoxCall, config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
    let response: AxiosResponse | undefined;
    let failure: Failure | undefined;
    // Set on axios's own per-request config (never the caller's object) and put back as soon as
    // the transport has settled: a copy of that many-keyed object would cost every call more.
    const validateStatus = config.validateStatus;
    config.validateStatus = resolveEveryStatus;
    try {
      response = await call.send(config);
      restoreValidateStatus(config, validateStatus);
      if (response.status >= 400 || response.status === 202) {
        failure = { config, response, error: undefined };
      }
    } catch (error) {
      restoreValidateStatus(config, validateStatus);
      failure = failureOf(error);
      failure.config = config;
      // A custom adapter may reject with a response of its own: it is settled like any other.
      response = failure.response;
    }

    if (failure) {
      if (call.policy !== false) {
        const decision = admit(call, failure);
        if (decision.retry) {
          call.next = decision;
          discardBody(failure.response);
          return this.retry(config, call, failure);
        }
        call.notRetriedReason = decision.notRetriedReason;
        if (call.deadlineReason !== undefined) return this.endByDeadline(call, config, failure);
      } else if (failure.response && call.sharesPause) {
        call.notePause(failure.response, undefined, clock());
      }
    }
    if (!response) throw finishPlainError(failure?.error, config, call.sent, call.notRetriedReason);
    return this.settle(response, config, call, failure?.error);
  }

  /** Hand a call whose first attempt failed to axios-retry, replaying that failure. */
  private async retry(config: InternalAxiosRequestConfig, call: BoxCall, failure: Failure): Promise<AxiosResponse> {
    call.replay = replayOf(failure, config);
    // axios-retry's wait listens to the signal only: a CancelToken must reach it through one.
    const link = call.deadlineSignal === undefined && config.cancelToken ? linkCancellation(config, call) : undefined;
    const engineConfig: EngineConfig = {
      ...config,
      headers: ownHeaders(config.headers),
      adapter: engineAdapter,
      validateStatus: engineValidateStatus,
      transformRequest: [],
      transformResponse: [],
      'axios-retry': undefined as never,
      boxRetry: undefined,
      [CALL_KEY]: call,
    };
    const signal = call.deadlineSignal ?? link?.signal;
    if (signal) engineConfig.signal = signal;
    let final: AxiosResponse | undefined;
    let cause: unknown;
    try {
      const response = await this.engine.request(engineConfig);
      adoptSentConfig(config, response.config);
      final = response;
    } catch (error) {
      if (error instanceof OnRetryFailure) throw error.error;
      adoptSentConfig(config, (error as Partial<AxiosError>).config);
      if (call.deadlineReason !== undefined) return this.endByDeadline(call, config, failureOf(error));
      const response = failureOf(error).response;
      if (!response || axios.isCancel(error)) {
        throw finishPlainError(error, config, call.sent, call.notRetriedReason);
      }
      final = response;
      cause = error;
    } finally {
      link?.release(final);
      // A retry granted but never sent (cancelled, cut by the deadline, stopped by onRetry or an
      // eject) gives its tokens back.
      if (call.reservedTokens > 0) {
        this.budget?.earn(call.reservedTokens);
        call.reservedTokens = 0;
      }
    }
    return this.settle(final as AxiosResponse, config, call, cause);
  }

  /**
   * Settle a call the deadline ended. The caller gets the failure that was being retried (a 503
   * and its request id say more than a timeout), else a deadline error; a failure the deadline
   * did not cut short (a 503 whose retry would have ended too late) is returned as it is.
   */
  private endByDeadline(call: BoxCall, config: InternalAxiosRequestConfig, current: Failure): AxiosResponse | Promise<never> {
    this.counts.callsEndedByDeadline += 1;
    const reason = call.deadlineReason as string;
    call.notRetriedReason = reason;
    const cancelled = axios.isCancel(current.error);
    const cutShort =
      cancelled ||
      deadlineReason(current.error) !== undefined ||
      (call.cutByDeadline && !current.response && isTimeoutError(current.error));
    const final = cutShort ? call.lastFailure : current;
    if (final?.response) return this.settle(final.response, config, call, final.error);
    const error = final
      ? final.error
      : deadlineReason(current.error) !== undefined
        ? current.error
        : deadlineError(config, reason, causeOf(current.error, config));
    throw finishPlainError(error, config, call.sent, reason);
  }

  /** Resolve with `response.boxStatus`, or reject with the Box error for its status. */
  private settle(
    response: AxiosResponse,
    config: InternalAxiosRequestConfig,
    call: BoxCall,
    cause: unknown,
  ): AxiosResponse | Promise<never> {
    response.config = config;
    const status = response.status;
    const budgetParams = call.policy === false ? (this.policy || DEFAULT_POLICY).budget : call.policy.budget;
    if (this.budget && budgetParams && isHealthyStatus(status)) this.budget.earn(rewardOf(budgetParams, call.lastRetryCost));
    const kind = classifyStatus(status);
    const statuses = (call.policy === false ? this.policy || DEFAULT_POLICY : call.policy).statuses;
    const retryAfterMs = parseRetryAfter(getHeader(response.headers, 'retry-after'));
    const retryable = isRetryableStatus(status, retryAfterMs, statuses);
    const validateStatus = config.validateStatus;
    const accepted =
      kind === 'success' || kind === 'redirect' || (kind === 'unknown' && (!validateStatus || validateStatus(status)));
    if (!accepted) {
      const ErrorClass = boxErrorClass(status);
      const init: BoxApiErrorInit = { response, attempts: call.sent, retryable, notRetriedReason: call.notRetriedReason, cause };
      // A download answered with an error: Box's fields are in its body, which nobody has read.
      const peek = peekErrorBody(response);
      if (peek) {
        return peek.then(
          (body) => Promise.reject(new ErrorClass({ ...init, body })),
          () => Promise.reject(new ErrorClass(init)),
        );
      }
      throw new ErrorClass(init) as BoxApiError;
    }
    const boxStatus: BoxStatus = {
      status,
      kind,
      retryable,
      attempts: call.sent,
      // A success body reaches the adapter unparsed (axios parses it afterwards), and parsing it
      // twice would tax every call; Box puts request_id in error bodies, which are parsed.
      requestId: bodyRequestId(response.data) ?? getHeaderString(response.headers, 'box-request-id'),
      retryAfterMs,
      notRetriedReason: call.notRetriedReason,
    };
    response.boxStatus = boxStatus;
    return response;
  }

  stats(): BoxStatusStats {
    const { counts, budget } = this;
    return {
      calls: counts.calls,
      attempts: counts.attempts,
      retries: counts.retries,
      retriesRefusedByBudget: counts.retriesRefusedByBudget,
      callsEndedByDeadline: counts.callsEndedByDeadline,
      tokens: budget?.tokens,
      maxTokens: budget?.maxTokens,
      rateLimitPauseMs: this.pause.remainingMs(clock()),
    };
  }

  eject(): void {
    if (!this.active) return;
    this.active = false;
    this.instance.interceptors.request.eject(this.requestInterceptorId);
    this.instance.interceptors.response.eject(this.responseInterceptorId);
    const holder = this.instance as unknown as { [ATTACHMENT]?: Attachment };
    if (holder[ATTACHMENT] === this) delete holder[ATTACHMENT];
  }
}

/**
 * Make an axios instance a Box API client: `response.boxStatus` on every response, typed Box
 * errors for 4xx and 5xx, and Box-aware retries. Options are validated here, once: a bad value
 * throws a TypeError that names it. Attaching again replaces the earlier attachment.
 */
export function attachBoxStatus(instance: AxiosInstance, options?: BoxStatusOptions): BoxStatusHandle {
  if (
    (typeof instance !== 'function' && typeof instance !== 'object') ||
    instance === null ||
    typeof instance.interceptors?.request?.use !== 'function'
  ) {
    throw new TypeError('axios-box-status: attachBoxStatus needs an axios instance');
  }
  const policy = resolveOptions(options);
  const holder = instance as unknown as { [ATTACHMENT]?: { eject(): void } };
  holder[ATTACHMENT]?.eject();
  const attachment = new Attachment(instance, policy);
  holder[ATTACHMENT] = attachment;
  return { eject: () => attachment.eject(), stats: () => attachment.stats() };
}
