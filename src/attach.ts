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
import { classifyStatus, isRetryableStatus } from './classify.js';
import { decideRetry, type Decision, type Failure } from './decide.js';
import { BoxApiError, boxErrorClass, finishPlainError, redactPlainError } from './errors.js';
import { getHeader, getHeaderString } from './headers.js';
import { DEFAULT_POLICY, requestPolicy, resolveOptions, type ResolvedPolicy } from './options.js';
import { parseRetryAfter } from './retry-after.js';
import type { BoxStatus, BoxStatusHandle, BoxStatusOptions } from './types.js';

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
// A string key, not a symbol: axios's mergeConfig keeps only string keys, and the call state
// must survive the merge that axios-retry's re-send goes through.
const CALL_KEY = '__axiosBoxStatusCall';

// The first attempt goes straight to the transport with every status resolved, so the plugin
// decides. Retries go through the engine, where axios-retry sees 202 and >= 400 as failures.
const resolveEveryStatus = null;
const engineValidateStatus = (status: number): boolean => status < 400 && status !== 202;

/** The state of one call across its attempts. */
class BoxCall {
  /** Requests handed to the transport. */
  sent = 0;
  /** The decision taken for the failure being retried. */
  next: RetryDecision | undefined;
  /** The first failure, replayed into the engine instead of being sent again. */
  replay: Partial<AxiosError> | undefined;
  notRetriedReason: string | undefined;

  constructor(
    readonly policy: ResolvedPolicy | false,
    readonly original: AdapterSetting,
    /** The attachment that runs the call: once ejected, the call retries no more. */
    readonly attachment: { readonly active: boolean },
  ) {}

  send(config: InternalAxiosRequestConfig): AxiosPromise {
    this.sent += 1;
    return transport(this.original, config);
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
  return { config: axiosError?.config, response: axiosError?.response, error };
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
      const call = callOf(error) as BoxCall;
      // A decision already taken is for the replayed first failure; a cancel that got in before
      // the replay must not inherit it.
      const pending = call.next;
      call.next = undefined;
      if (axios.isCancel(error)) return false;
      if (!call.attachment.active) {
        call.notRetriedReason = 'the plugin was ejected';
        return false;
      }
      const decision = pending ?? decideRetry(failureOf(error), call.policy, call.sent, Math.random, Date.now());
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
  const replay = call.replay;
  if (replay) {
    call.replay = undefined;
    // axios-retry re-sends error.config: it must be the engine's, which carries the call.
    replay.config = config;
    if (replay.response) replay.response.config = config;
    return Promise.reject(replay);
  }
  return call.send(config);
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

/** An AbortSignal that also fires on a CancelToken, so a backoff wait can be cut short by either. */
function bridgeCancelToken(config: InternalAxiosRequestConfig): { signal?: AbortSignal; done(): void } {
  const token = config.cancelToken;
  if (!token) return { done() {} };
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  token.subscribe(abort);
  const signal = config.signal as AbortSignal | undefined;
  if (signal?.aborted) abort();
  signal?.addEventListener?.('abort', abort, { once: true });
  return {
    signal: controller.signal,
    done: () => {
      token.unsubscribe(abort);
      signal?.removeEventListener?.('abort', abort);
    },
  };
}

class Attachment {
  active = true;
  readonly engine = createEngine();
  readonly requestInterceptorId: number;
  readonly responseInterceptorId: number;
  // Adapter functions may be made per request: a WeakMap lets them go; names and lists are few.
  private readonly wrappedByObject = new WeakMap<object, BoxAdapter>();
  private readonly wrappedByName = new Map<unknown, BoxAdapter>();

  constructor(
    readonly instance: AxiosInstance,
    readonly policy: ResolvedPolicy | false,
  ) {
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
      { synchronous: true },
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

  private async run(config: InternalAxiosRequestConfig, original: AdapterSetting): Promise<AxiosResponse> {
    const policy = requestPolicy(this.policy, config.boxRetry);
    const call = new BoxCall(policy, original, this);
    let response: AxiosResponse | undefined;
    let failure: Failure | undefined;
    try {
      response = await call.send({ ...config, validateStatus: resolveEveryStatus });
      if (response.status >= 400 || response.status === 202) {
        failure = { config, response, error: undefined };
      }
    } catch (error) {
      failure = failureOf(error);
      failure.config = config;
      // A custom adapter may reject with a response of its own: it is settled like any other.
      response = failure.response;
    }

    if (failure && policy !== false) {
      const decision = decideRetry(failure, policy, call.sent, Math.random, Date.now());
      if (decision.retry) {
        call.next = decision;
        discardBody(failure.response);
        return this.retry(config, call, failure);
      }
      call.notRetriedReason = decision.notRetriedReason;
    }
    if (!response) throw finishPlainError(failure?.error, config, call.sent, call.notRetriedReason);
    return this.settle(response, config, call, failure?.error);
  }

  /** Hand a call whose first attempt failed to axios-retry, replaying that failure. */
  private async retry(config: InternalAxiosRequestConfig, call: BoxCall, failure: Failure): Promise<AxiosResponse> {
    const { response, error } = failure;
    // A failed status came back resolved (the first attempt accepts every status): axios-retry
    // needs it as the AxiosError axios would have rejected with. A transport error is replayed
    // as it is: decideRetry retries only errors with a code, which are objects.
    call.replay =
      response && error === undefined
        ? new AxiosError(
            `Request failed with status code ${response.status}`,
            response.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
            config,
            response.request,
            response,
          )
        : (error as Partial<AxiosError>);
    const bridge = bridgeCancelToken(config);
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
    if (bridge.signal) engineConfig.signal = bridge.signal;
    try {
      const final = await this.engine.request(engineConfig);
      adoptSentConfig(config, final.config);
      return this.settle(final, config, call, undefined);
    } catch (error) {
      if (error instanceof OnRetryFailure) throw error.error;
      const final = (error as Partial<AxiosError>).response;
      adoptSentConfig(config, (error as Partial<AxiosError>).config);
      if (!final || axios.isCancel(error)) {
        throw finishPlainError(error, config, call.sent, call.notRetriedReason);
      }
      return this.settle(final, config, call, error);
    } finally {
      bridge.done();
    }
  }

  /** Resolve with `response.boxStatus`, or reject with the Box error for its status. */
  private settle(response: AxiosResponse, config: InternalAxiosRequestConfig, call: BoxCall, cause: unknown): AxiosResponse {
    response.config = config;
    const status = response.status;
    const kind = classifyStatus(status);
    const statuses = (call.policy === false ? this.policy || DEFAULT_POLICY : call.policy).statuses;
    const retryAfterMs = parseRetryAfter(getHeader(response.headers, 'retry-after'));
    const retryable = isRetryableStatus(status, retryAfterMs, statuses);
    const validateStatus = config.validateStatus;
    const accepted =
      kind === 'success' || kind === 'redirect' || (kind === 'unknown' && (!validateStatus || validateStatus(status)));
    if (!accepted) {
      const ErrorClass = boxErrorClass(status);
      throw new ErrorClass({
        response,
        attempts: call.sent,
        retryable,
        notRetriedReason: call.notRetriedReason,
        cause,
      }) as BoxApiError;
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
  return { eject: () => attachment.eject() };
}
