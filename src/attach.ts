import axios from 'axios';
import type { AxiosAdapter, AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { RetryBudget } from './budget.js';
import { callErrors, runCall, type CallCounts, type CallHost } from './call.js';
import { isCutShort } from './decide.js';
import { isBoxApiError } from './guards.js';
import { getHeader } from './headers.js';
import { callPolicy, policiesOf, resolveOptions, type Policies } from './options.js';
import { RateLimitPause } from './pause.js';
import { isAxiosErrorLike, redactPlainError } from './redaction.js';
import { parseRetryAfter } from './retry-after.js';
import { settleResponse } from './settle.js';
import { adapterFor, ownHeaders, type AdapterSetting } from './transport.js';
import type { BoxStatusHandle, BoxStatusOptions, BoxStatusStats } from './types.js';
import { clock } from './wait.js';

type BoxAdapter = AxiosAdapter & { [ORIGINAL_ADAPTER]: AdapterSetting };

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

/**
 * One attachment of the plugin to an instance: its interceptors, the adapters it wraps, and what
 * its calls share (the pause, the budget, the counts).
 */
class Attachment implements CallHost {
  active = true;
  readonly pause = new RateLimitPause();
  readonly budget: RetryBudget | undefined;
  readonly counts: CallCounts = {
    calls: 0,
    attempts: 0,
    retries: 0,
    retriesRefusedByBudget: 0,
    callsEndedByDeadline: 0,
  };
  private readonly requestInterceptorId: number;
  private readonly responseInterceptorId: number;
  // Adapter functions may be made per request: a WeakMap lets them go; names and lists are few.
  private readonly wrappedByObject = new WeakMap<object, BoxAdapter>();
  private readonly wrappedByName = new Map<unknown, BoxAdapter>();

  constructor(
    private readonly instance: AxiosInstance,
    private readonly policies: Policies,
  ) {
    // With `retry: false` a request may still turn retries on with `boxRetry`: it gets the
    // default budget.
    const budget = policies.base.budget;
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
    this.responseInterceptorId = instance.interceptors.response.use(
      // An interceptor that replaced the adapter after the plugin's (a cache hit) answered without
      // the plugin's transport: its response is settled here, with nothing sent.
      (response) => (response.boxStatus ? response : this.settleBypassed(response)),
      (error: unknown) => {
        const response = isAxiosErrorLike(error) && !isCutShort(error) ? error.response : undefined;
        if (response && !callErrors.has(error as object) && !isBoxApiError(error)) {
          return this.settleBypassed(response, error);
        }
        // An error axios raises before the adapter runs (a cancel before sending) never passes
        // through the plugin's adapter; its toJSON would still serialise the headers.
        throw redactPlainError(error);
      },
    );
  }

  private settleBypassed(response: AxiosResponse, cause?: unknown): AxiosResponse | Promise<never> {
    const retryAfterMs = parseRetryAfter(getHeader(response.headers, 'retry-after'));
    return settleResponse(response, response.config, this.policies.normal.statuses, 0, retryAfterMs, undefined, cause);
  }

  /** The plugin's adapter around an adapter setting (a name, a list or a function), cached. */
  private wrap(original: AdapterSetting): BoxAdapter {
    const byObject = typeof original === 'object' || typeof original === 'function';
    let adapter = byObject ? this.wrappedByObject.get(original as object) : this.wrappedByName.get(original);
    if (!adapter) {
      const run = (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
        const transport = adapterFor(original, config);
        if (!this.active) {
          config.headers = ownHeaders(config.headers);
          return transport(config);
        }
        // A bad `boxRetry` rejects the call with its TypeError; nothing is sent.
        return runCall(this, callPolicy(this.policies, config.boxRetry), config, transport);
      };
      adapter = Object.assign(run, { [ORIGINAL_ADAPTER]: original });
      if (byObject) this.wrappedByObject.set(original as object, adapter);
      else this.wrappedByName.set(original, adapter);
    }
    return adapter;
  }

  stats(): BoxStatusStats {
    const { counts, budget } = this;
    return {
      ...counts,
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
  const { retry } = resolveOptions(options);
  const holder = instance as unknown as { [ATTACHMENT]?: { eject(): void } };
  holder[ATTACHMENT]?.eject();
  const attachment = new Attachment(instance, policiesOf(retry));
  holder[ATTACHMENT] = attachment;
  return { eject: () => attachment.eject(), stats: () => attachment.stats() };
}
