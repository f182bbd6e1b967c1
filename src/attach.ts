import axios from 'axios';
import type { AxiosAdapter, AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { RetryBudget } from './retry/budget.js';
import { callErrors } from './call/finish.js';
import { runCall } from './call/run-call.js';
import type { CallHost } from './call/call-host.js';
import { isCutShort } from './retry/transport-faults.js';
import { isBoxApiError } from './errors/guards.js';
import { resolveOptions } from './options/attach-options.js';
import { callPolicy, policiesOf } from './options/policy.js';
import { LatencyWatch, limitsOf, scopeFunction } from './pacing/gates.js';
import { createMemoryStore } from './store/memory-store.js';
import { fail } from './options/rules.js';
import { isAxiosErrorLike, redactPlainError } from './errors/redaction.js';
import { retryAfterOf } from './box/retry-after.js';
import { settleResponse } from './errors/settle.js';
import { adapterFor, ownHeaders, type AdapterSetting } from './call/transport.js';
import { refuseAxiosRetry } from './options/axios-retry-refusal.js';
import type { BoxAxiosInstance } from './box-axios-instance.js';
import type { BoxStatusHandle, BoxStatusOptions } from './types.js';

type BoxAdapter = AxiosAdapter & { [ORIGINAL_ADAPTER]: AdapterSetting };

// Symbol.for: an ESM and a CJS copy of the plugin in one process must recognise each other's
// marks, or attaching both would wrap the adapter twice and double the retries.
const ATTACHMENT = Symbol.for('axios-box-status.attachment');
const ORIGINAL_ADAPTER = Symbol.for('axios-box-status.original-adapter');
// An unknown version counts as new.
const [MAJOR, MINOR] = String(axios.VERSION).split('.').map(Number) as [number, number];
const SYNC_CHAIN_REACHES_RESPONSE_INTERCEPTORS = !(MAJOR === 1 && MINOR < 19);

/**
 * Make an axios instance a Box API client: `response.boxStatus` on every response, typed Box
 * errors for 4xx and 5xx, and Box-aware retries. Options are validated here, once: a bad value
 * throws a TypeError that names it. Attaching again replaces the earlier attachment.
 *
 * Attach to an instance of your own for Box (`axios.create`), not to the default `axios` export:
 * every request through an attached instance is treated as Box's.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * const handle = attachBoxStatus(box, { retry: { deadlineMs: 60_000 } });
 * const res = await box.get('/folders/0');
 * console.log(res.boxStatus?.attempts, handle.stats().retries);
 * handle.eject(); // plain axios again
 * ```
 */
export function attachBoxStatus(instance: AxiosInstance, options?: BoxStatusOptions): BoxStatusHandle {
  if (
    (typeof instance !== 'function' && typeof instance !== 'object') ||
    instance === null ||
    typeof instance.interceptors?.request?.use !== 'function'
  ) {
    throw new TypeError('axios-box-status: attachBoxStatus needs an axios instance');
  }
  const { retry, auth, store, scope, rateLimit } = resolveOptions(options);
  const holder = instance as unknown as { [ATTACHMENT]?: BoxStatusHandle };
  holder[ATTACHMENT]?.eject();
  const policies = policiesOf(retry);
  // With `retry: false` a request may still turn retries on with `boxRetry`: it gets the default budget.
  const budget = policies.base.budget;
  const host: CallHost & { active: boolean } = {
    active: true,
    gates: { store: store ?? createMemoryStore(), scopeOf: scopeFunction(scope), rules: rateLimit, latency: new LatencyWatch() },
    budget: budget === false ? undefined : new RetryBudget(budget.maxTokens),
    counts: { calls: 0, attempts: 0, retries: 0, retriesRefusedByBudget: 0, callsEndedByDeadline: 0, resends: 0 },
    auth,
  };
  // Adapter functions may be made per request: a WeakMap lets them go; names and lists are few.
  const wrappedByObject = new WeakMap<object, BoxAdapter>();
  const wrappedByName = new Map<unknown, BoxAdapter>();

  /** The plugin's adapter around an adapter setting (a name, a list or a function), cached. */
  const wrap = (original: AdapterSetting): BoxAdapter => {
    const byObject = typeof original === 'object' || typeof original === 'function';
    let adapter = byObject ? wrappedByObject.get(original as object) : wrappedByName.get(original);
    if (!adapter) {
      // A function is its own adapter; a name or a list is looked up per request (axios may pick
      // by the request, as the fetch adapter's environment).
      const resolved = typeof original === 'function' ? original : undefined;
      const run = (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
        const transport = resolved ?? adapterFor(original, config);
        if (!host.active) {
          config.headers = ownHeaders(config.headers);
          return transport(config);
        }
        // A bad `boxRetry` or `boxAuth`, or axios-retry on the instance too, rejects the call with its
        // TypeError; nothing is sent.
        const policy = callPolicy(policies, config.boxRetry);
        if (config.boxAuth !== undefined && config.boxAuth !== false) fail('boxAuth', 'false or unset', config.boxAuth);
        refuseAxiosRetry(config);
        return runCall(host, policy, config, transport);
      };
      adapter = Object.assign(run, { [ORIGINAL_ADAPTER]: original });
      if (byObject) wrappedByObject.set(original as object, adapter);
      else wrappedByName.set(original, adapter);
    }
    return adapter;
  };

  /** Settle what an interceptor that replaced the adapter after the plugin's (a cache hit) answered: nothing was sent. */
  const settleBypassed = (response: AxiosResponse, cause?: unknown): AxiosResponse | Promise<never> =>
    settleResponse(response, response.config, policies.normal.statuses, 0, retryAfterOf(response), undefined, cause);

  const requestInterceptor = instance.interceptors.request.use(
    (config) => {
      const current = config.adapter as Partial<BoxAdapter> | undefined;
      const original =
        typeof current === 'function' && ORIGINAL_ADAPTER in current ? current[ORIGINAL_ADAPTER] : (current as AdapterSetting);
      config.adapter = wrap(original);
      return config;
    },
    undefined,
    // Synchronous: the plugin must not add a tick, nor force one on the user's own interceptors.
    // Except before axios 1.19: there, an error thrown before the adapter (a request cancelled
    // before it was sent) skips the response interceptors of a synchronous chain, and with
    // them the redaction of its toJSON; the asynchronous chain passes it through them.
    { synchronous: SYNC_CHAIN_REACHES_RESPONSE_INTERCEPTORS },
  );
  const responseInterceptor = instance.interceptors.response.use(
    (response) => (response.boxStatus ? response : settleBypassed(response)),
    (error: unknown) => {
      const response = isAxiosErrorLike(error) && !isCutShort(error) ? error.response : undefined;
      if (response && !callErrors.has(error as object) && !isBoxApiError(error)) return settleBypassed(response, error);
      // An error axios raises before the adapter runs (a cancel before sending) never passes
      // through the plugin's adapter; its toJSON would still serialise the headers.
      throw redactPlainError(error);
    },
  );

  const handle: BoxStatusHandle = {
    eject() {
      if (!host.active) return;
      host.active = false;
      instance.interceptors.request.eject(requestInterceptor);
      instance.interceptors.response.eject(responseInterceptor);
      if (holder[ATTACHMENT] === handle) delete holder[ATTACHMENT];
    },
    stats: () => ({
      ...host.counts,
      tokens: host.budget?.tokens,
      maxTokens: host.budget?.maxTokens,
      // Whole milliseconds, rounded down: never more than is left.
      rateLimitPauseMs: Math.floor(host.gates.store.pauseMs()),
      rateLimits: limitsOf(host.gates),
    }),
    instance: instance as unknown as BoxAxiosInstance,
  };
  holder[ATTACHMENT] = handle;
  return handle;
}
