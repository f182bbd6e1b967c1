import type { BoxRetryEvent } from './retry-event-types.js';

export type { BoxRetryEvent } from './retry-event-types.js';

/**
 * How a computed backoff is randomised: `full`, a wait in [0, backoff]; `equal`, in
 * [backoff / 2, backoff]; `none`, the backoff itself.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, type BoxJitter } from 'axios-box-status';
 *
 * const jitter: BoxJitter = 'equal'; // never less than half the backoff
 * attachBoxStatus(axios.create({ baseURL: 'https://api.box.com/2.0' }), { retry: { jitter } });
 * ```
 */
export type BoxJitter = 'full' | 'equal' | 'none';

/**
 * The retry policy of an instance (`attachBoxStatus(instance, { retry })`), and the fields a
 * request may override through `config.boxRetry`. An `undefined` field keeps the default.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, type BoxRetryPolicy } from 'axios-box-status';
 *
 * const retry: BoxRetryPolicy = { retries: 3, baseDelayMs: 500, maxRetryAfterMs: 30_000, deadlineMs: 45_000 };
 * attachBoxStatus(axios.create({ baseURL: 'https://api.box.com/2.0' }), { retry });
 * ```
 */
export interface BoxRetryPolicy {
  /**
   * Retries after the first request; a whole number from 0 to 100.
   * @default 4 (5 attempts in all, as Box's own SDKs)
   */
  retries?: number | undefined;
  /**
   * Backoff before retry n is `min(maxDelayMs, baseDelayMs * 2 ** (n - 1))`, then jittered.
   * Set together with `maxDelayMs`, it must not exceed it.
   * @default 1000
   */
  baseDelayMs?: number | undefined;
  /**
   * Cap on one computed backoff wait (Retry-After is capped by `maxRetryAfterMs` instead).
   * At most 2147483647, the longest wait a timer can hold.
   * @default 30000
   */
  maxDelayMs?: number | undefined;
  /**
   * `full`: a random wait in [0, backoff]; `equal`: in [backoff / 2, backoff]; `none`: backoff.
   * Never applied to a Retry-After wait.
   * @default 'full'
   */
  jitter?: BoxJitter | undefined;
  /**
   * A Retry-After up to this long is waited exactly; a longer one gives up at once, and the error
   * (or the 202 response) carries `retryAfterMs` so the caller can schedule the call later.
   * @default 60000
   */
  maxRetryAfterMs?: number | undefined;
  /**
   * Statuses (400-599) that are retried. A 202 with Retry-After is always polled.
   * @default 429 and every 5xx except 501, 505 and 507
   */
  statuses?: readonly number[] | undefined;
  /**
   * Called before each retry's wait, and awaited. It may change `event.config` (a fresh
   * Authorization header, say) and the change is sent. Throwing stops the call with that very
   * error. An abort while it runs rejects the call at once, without waiting for it.
   * @default undefined
   */
  onRetry?: ((event: BoxRetryEvent) => void | Promise<void>) | undefined;
  /**
   * The instance's retry budget, a token bucket shared by all its calls: each retry spends
   * tokens, each call that ends with a healthy answer earns some back, and a failure that finds
   * too few tokens is returned at once instead of retried (its error says so). It bounds what a
   * full outage costs Box: with the defaults, at most 100 retries until calls succeed again.
   * 202 polls cost nothing. `false` turns it off. Per request, `false` retries outside the
   * budget (spending nothing), and an object changes what this request's retries cost and its
   * success earns; the bucket itself is the instance's, so `maxTokens` is refused there.
   * @default { maxTokens: 500, retryCost: 5, throttledRetryCost: 1, successReward: 1 }
   */
  budget?: false | BoxRetryBudget | undefined;
  /**
   * When a response carries a 429, or a 503 with Retry-After, every request of the instance,
   * new or retrying (`boxRetry: false` ones included), waits until that time has passed before
   * it is sent: at most `maxRetryAfterMs`; a 429 without Retry-After pauses for the backoff its
   * own retry waits (`baseDelayMs` when it is not retried). The wait is abortable. Per request,
   * `false` neither waits nor pauses others. On an instance attached with `retry: false`, only
   * requests that turn retries on with `boxRetry` wait for (and start) a pause.
   * @default true
   */
  shareRateLimit?: boolean | undefined;
  /**
   * A bound on the whole call, first send to final answer, waits and `onRetry` included: no
   * retry is started whose wait would end past it, each attempt's axios `timeout` is cut to the
   * time left when that is shorter, and whatever is still under way when it passes is aborted.
   * The call then fails with the failure it was retrying (else an `ETIMEDOUT` "deadline
   * exceeded" error), whose `notRetriedReason` says the deadline ended it. `boxRetry: false`
   * turns a request's deadline off with the rest of its policy (`{ retries: 0 }` keeps it). With `responseType: 'stream'` the final
   * answer is the headers. From 1 to 2147483647.
   * @default undefined (no deadline: each attempt has its own `timeout`)
   */
  deadlineMs?: number | undefined;
}

/**
 * The retry budget's parameters: a token bucket in the manner of the AWS SDKs' retry quota.
 * Every field is optional; an unset one keeps its default.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, type BoxRetryBudget } from 'axios-box-status';
 *
 * // An outage may cost at most 20 retries (100 / 5).
 * const budget: BoxRetryBudget = { maxTokens: 100 };
 * attachBoxStatus(axios.create({ baseURL: 'https://api.box.com/2.0' }), { retry: { budget } });
 * ```
 */
export interface BoxRetryBudget {
  /**
   * Tokens the bucket holds, and starts with. With `retryCost`, it sets how many retries an
   * outage may cost: `maxTokens / retryCost`.
   * @default 500
   */
  maxTokens?: number | undefined;
  /**
   * Tokens a retry after a 5xx, a network error or a timeout spends.
   * @default 5
   */
  retryCost?: number | undefined;
  /**
   * Tokens a retry after a 429 spends: Box did not execute the request, and the shared pause
   * already makes the client wait as long as Box asked.
   * @default 1
   */
  throttledRetryCost?: number | undefined;
  /**
   * Tokens a call that ends well earns back when none of its retries was paid for; one that
   * ends well after paid retries gets back what its last one spent instead. Any answer but a
   * 429, a 5xx or a transport failure counts as ending well: Box was well enough to answer. A
   * retry granted but never sent (cancelled, cut by the deadline) gives its tokens back.
   * @default 1
   */
  successReward?: number | undefined;
}


/**
 * Per-request retry settings, as `config.boxRetry`: `false` sends the request once; an object
 * overrides fields of the instance's policy (and turns retries on for this request when the
 * instance has `retry: false`).
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * attachBoxStatus(box);
 * await box.get('/files/12345', { boxRetry: { retries: 1, deadlineMs: 5_000 } });
 * await box.delete('/files/12345', { boxRetry: false }); // sent once
 * ```
 */
export type BoxRequestRetry =
  | false
  | (BoxRetryPolicy & {
      /**
       * Declare a POST or PATCH safe to repeat, so that it is retried like a GET: Box has no
       * idempotency key, so make it safe yourself (a buffered body, and a check for your own
       * earlier write). `false` makes a GET, PUT or DELETE retried only where Box certainly did not act.
       * @default undefined (GET, HEAD, OPTIONS, PUT and DELETE are idempotent; POST and PATCH not)
       */
      idempotent?: boolean | undefined;
    });
