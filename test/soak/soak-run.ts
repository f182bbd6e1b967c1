import { getEventListeners, setMaxListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import axios, { AxiosError, AxiosHeaders } from 'axios';
import type { AxiosAdapter, AxiosInstance, AxiosRequestConfig, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { attachBoxStatus, isBoxApiError } from '../../src/index.js';
import type { BoxPlainErrorFields, BoxRequestRetry, BoxRetryEvent, BoxRetryPolicy, BoxStatusStats } from '../../src/index.js';
import { boxError } from '../helpers/box-server.js';
import { mulberry32 } from '../helpers/random.js';

// ---------------------------------------------------------------------------------------------
// The seeded schedule
// ---------------------------------------------------------------------------------------------

/**
 * A number in [0, 1) fixed by the seed and the keys. Drawn per (call, attempt) rather than from
 * one stream in arrival order: 200 calls in flight arrive in a different order on every run, and
 * the schedule must not depend on it.
 */
export function draw(seed: number, ...keys: number[]): number {
  let h = seed >>> 0;
  for (const key of keys) {
    h = Math.imul(h ^ (key >>> 0), 0x9e3779b1) >>> 0;
    h ^= h >>> 16;
  }
  return mulberry32(h)();
}

/** How the server answers one attempt. `hang` is the reply a call aborted during its attempt gets. */
export type Fault =
  | 'ok'
  | '503-box'
  | '503-bare'
  | '500'
  | '502'
  | '429-ra0'
  | '429'
  | 'drop'
  | 'slow'
  | '202-ra0'
  | '404'
  | '409'
  | 'hang';

// Percent of attempts; the rest (80 %) answer 200. The 4xx are final answers, not retried.
const WEIGHTS: ReadonlyArray<readonly [Fault, number]> = [
  ['503-box', 3],
  ['503-bare', 2],
  ['500', 2],
  ['502', 2],
  ['429-ra0', 2],
  ['429', 2],
  ['drop', 2],
  ['slow', 1],
  ['202-ra0', 2],
  ['404', 1],
  ['409', 1],
];

/** The reply to attempt `attempt` (1-based) of call `callId`: a 202 "not ready" is followed by a 200. */
export function faultFor(seed: number, callId: number, attempt: number): Fault {
  if (attempt === 2 && faultFor(seed, callId, 1) === '202-ra0') return 'ok';
  let r = draw(seed, callId, attempt) * 100;
  for (const [fault, weight] of WEIGHTS) {
    if (r < weight) return fault === '202-ra0' && attempt > 1 ? 'ok' : fault;
    r -= weight;
  }
  return 'ok';
}

/** Replies Box certainly did not act on: any method may be sent again after them. */
export const RETRIED_FOR_ANY_METHOD: ReadonlySet<Fault> = new Set(['429-ra0', '429', '202-ra0']);
/** Replies after which an idempotent request (GET, PUT, DELETE, an opted-in POST) may be sent again. */
export const RETRIED_IF_IDEMPOTENT: ReadonlySet<Fault> = new Set([
  ...RETRIED_FOR_ANY_METHOD,
  '503-box',
  '503-bare',
  '500',
  '502',
  'drop',
  'slow',
]);

/** What a caller whose call ended with this reply must see. */
export function expectedOutcome(fault: Fault | undefined): string {
  switch (fault) {
    case 'ok':
      return 'response 200';
    case '202-ra0':
      return 'response 202';
    case '404':
    case '409':
      return `BoxClientError ${fault}`;
    case '429-ra0':
    case '429':
      return 'BoxRateLimitError 429';
    case '503-box':
    case '503-bare':
      return 'BoxServerError 503';
    case '500':
    case '502':
      return `BoxServerError ${fault}`;
    case 'drop':
      return 'AxiosError ECONNRESET';
    case 'slow':
      return 'AxiosError ECONNABORTED';
    default:
      return `no outcome for ${String(fault)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// The calls
// ---------------------------------------------------------------------------------------------

export type Method = 'get' | 'put' | 'post' | 'delete';

/**
 * How a call's AbortSignal is used. `shared`: the one signal many calls share, never aborted
 * (its listeners must all be gone at the end). `before`: aborted before the call. `during-attempt`:
 * the server aborts it when attempt `abortAtAttempt` reaches it, and never answers that attempt.
 * `during-backoff`: aborted while the first retry waits. `random`: aborted `abortAfterMs` after the
 * call starts, whatever it is doing then.
 */
export type AbortPlan = 'none' | 'shared' | 'before' | 'during-attempt' | 'during-backoff' | 'random';

export interface CallPlan {
  id: number;
  method: Method;
  /** `boxRetry: { idempotent: true }` on a POST. */
  idempotent: boolean;
  abort: AbortPlan;
  abortAtAttempt: number;
  abortAfterMs: number;
  /** A `deadlineMs` that never fires: it links the caller's signal and arms a timer per call. */
  deadline: boolean;
}

/** The plan of call `id`, fixed by the seed. */
export function planCall(seed: number, id: number): CallPlan {
  const m = draw(seed, id, 101);
  const method: Method = m < 0.4 ? 'get' : m < 0.6 ? 'put' : m < 0.85 ? 'post' : 'delete';
  const a = draw(seed, id, 102) * 100;
  const abort: AbortPlan =
    a < 3 ? 'before' : a < 6 ? 'during-attempt' : a < 9 ? 'during-backoff' : a < 12 ? 'random' : a < 24 ? 'shared' : 'none';
  return {
    id,
    method,
    idempotent: method === 'post' && draw(seed, id, 103) < 1 / 3,
    abort,
    abortAtAttempt: draw(seed, id, 104) < 0.5 ? 1 : 2,
    abortAfterMs: Math.floor(draw(seed, id, 105) * 20),
    deadline: draw(seed, id, 106) < 0.1,
  };
}

/** What the caller saw. */
export interface Outcome {
  /** `response 200`, `BoxServerError 503`, `AxiosError ECONNRESET`, `CanceledError`... */
  label: string;
  /** The attempts the caller was told of; undefined when the settled value carries none. */
  attempts: number | undefined;
  cancelled: boolean;
}

export function outcomeOf(result: PromiseSettledResult<AxiosResponse>): Outcome {
  if (result.status === 'fulfilled') {
    const response = result.value;
    return { label: `response ${response.status}`, attempts: response.boxStatus?.attempts, cancelled: false };
  }
  const error: unknown = result.reason;
  if (axios.isCancel(error)) {
    return { label: 'CanceledError', attempts: (error as BoxPlainErrorFields).boxAttempts, cancelled: true };
  }
  if (isBoxApiError(error)) {
    // The two fields must agree; a disagreement shows in the label.
    const label = error.attempts === error.boxStatus.attempts ? `${error.name} ${error.status}` : `${error.name} with two attempt counts`;
    return { label, attempts: error.boxStatus.attempts, cancelled: false };
  }
  if (axios.isAxiosError(error)) {
    return { label: `AxiosError ${error.code}`, attempts: (error as BoxPlainErrorFields).boxAttempts, cancelled: false };
  }
  return { label: `not an axios error: ${String(error)}`, attempts: undefined, cancelled: false };
}

/** Run tasks with at most `concurrency` under way. */
export function limiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  return async (task) => {
    if (active >= concurrency) await new Promise<void>((resolve) => queue.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      queue.shift()?.();
    }
  };
}

/**
 * The axios timeout of each attempt. Only an attempt the server answers slowly gets the short one.
 * A busy Node process accepts one connection per event-loop iteration (libuv 1.46, measured with
 * strace): with 200 calls in flight, a request on a new connection (one of ten: drops, timeouts
 * and aborts close sockets) waits one to two seconds in the listen queue before the server reads
 * it, and axios times out on the wall clock. A short timeout on every attempt would time out
 * requests the server was about to answer. The test knows every slow attempt in advance, since
 * the schedule is seeded; onRetry sets each retry's timeout.
 */
export interface Timeouts {
  /** For an attempt the server answers slowly: past it, axios gives up (ECONNABORTED). */
  slowAttemptMs: number;
  /** For every other attempt: never reached. */
  otherAttemptMs: number;
}

/** What every run shares: the AbortControllers of its calls and the timers the test itself armed. */
class CallFactory {
  readonly shared = new AbortController();
  /** Signals of calls that had one of their own, to count what is left listening on them. */
  readonly ownSignals: AbortSignal[] = [];
  readonly controllers = new Map<number, AbortController>();
  /** Calls whose abort was armed in onRetry, i.e. that must end cancelled with nothing more sent. */
  readonly abortedInBackoff = new Set<number>();
  /** Calls the server aborted while it held their attempt. */
  readonly abortedDuringAttempt = new Set<number>();
  private readonly timers = new Set<NodeJS.Timeout>();

  /** `keepRecords`: the soak keeps per-call records for its audit; a heap run must keep nothing. */
  constructor(
    private readonly seed: number,
    private readonly timeouts: Timeouts,
    private readonly keepRecords: boolean,
  ) {
    // Many calls in flight listen on the one shared signal at once: not a leak.
    setMaxListeners(0, this.shared.signal);
  }

  private timeoutFor(callId: number, attempt: number): number {
    return faultFor(this.seed, callId, attempt) === 'slow' ? this.timeouts.slowAttemptMs : this.timeouts.otherAttemptMs;
  }

  /**
   * The instance's onRetry: the next attempt's number and timeout (what onRetry changes is sent).
   * The server answers by that number, not by arrival order: a request cut by a timeout may be
   * read after the retry that followed it.
   */
  readonly onRetry = (event: BoxRetryEvent): void => {
    const callId = Number(event.config.headers.get('x-call-id'));
    event.config.headers.set('x-attempt', String(event.attempt));
    event.config.timeout = this.timeoutFor(callId, event.attempt);
  };

  config(plan: CallPlan): AxiosRequestConfig {
    const boxRetry: Exclude<BoxRequestRetry, false> = {};
    if (plan.idempotent) boxRetry.idempotent = true;
    if (plan.deadline) boxRetry.deadlineMs = 60_000;
    const config: AxiosRequestConfig = {
      method: plan.method,
      url: `/items/${plan.id}`,
      headers: { 'x-call-id': String(plan.id), 'x-attempt': '1' },
      timeout: this.timeoutFor(plan.id, 1),
      boxRetry,
    };
    if (plan.method === 'post' || plan.method === 'put') config.data = { name: `item-${plan.id}` };
    if (plan.abort === 'none') return config;
    if (plan.abort === 'shared') {
      config.signal = this.shared.signal;
      return config;
    }
    const controller = new AbortController();
    config.signal = controller.signal;
    if (this.keepRecords) this.ownSignals.push(controller.signal);
    if (plan.abort === 'before') controller.abort();
    if (plan.abort === 'during-attempt') this.controllers.set(plan.id, controller);
    if (plan.abort === 'during-backoff') {
      // A backoff long enough to be caught in, and an abort armed before the wait's own timer. It
      // almost always lands in the wait; on a loaded machine Node may still run the wait's timer
      // first (seen about once in 2,000), and the abort then cuts the retry in flight (see audit).
      boxRetry.baseDelayMs = 20;
      boxRetry.maxDelayMs = 20;
      let armed = false;
      boxRetry.onRetry = (event) => {
        this.onRetry(event);
        if (armed) return;
        armed = true;
        if (this.keepRecords) this.abortedInBackoff.add(plan.id);
        this.arm(() => controller.abort(), 0);
      };
    }
    if (plan.abort === 'random') this.arm(() => controller.abort(), plan.abortAfterMs);
    return config;
  }

  /** The server's hook: abort the call whose attempt it holds, if that call is planned so. */
  abortDuringAttempt(plan: CallPlan, attempt: number): boolean {
    if (plan.abort !== 'during-attempt' || attempt !== plan.abortAtAttempt) return false;
    // An attempt with the short timeout may have timed out before the server read it (see
    // Timeouts): the abort would find the call in its next attempt, or settled.
    if (this.timeoutFor(plan.id, attempt) === this.timeouts.slowAttemptMs) return false;
    this.abortedDuringAttempt.add(plan.id);
    this.controllers.get(plan.id)?.abort();
    return true;
  }

  private arm(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Clear the test's own timers (a random abort not due yet), so that what is left is the plugin's. */
  clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  sharedListeners(): number {
    return getEventListeners(this.shared.signal, 'abort').length;
  }

  ownListeners(): number {
    return this.ownSignals.reduce((sum, signal) => sum + getEventListeners(signal, 'abort').length, 0);
  }
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

export interface Served {
  method: string;
  /** The `x-attempt` header. */
  attempt: number;
  fault: Fault;
}

export interface SoakServer {
  url: string;
  /** Requests received, counted as soon as their headers are read. */
  received: number;
  /** Requests without a usable `x-call-id` or `x-attempt` (none expected). */
  strays: number;
  /** Each call's requests, in arrival order (only when started with `log`). */
  log: Map<number, Served[]>;
  /** Stop replies still waiting and cut every connection: whatever stays open then is the client's. */
  quiesce(): void;
  close(): Promise<void>;
}

export interface SoakServerOptions {
  seed: number;
  /** Keep the per-call log (the soak); a heap run keeps nothing per call past the call. */
  log: boolean;
  /** How long a `slow` reply waits: past the client's axios timeout. */
  slowMs: number;
  /** Called as a request arrives; true holds it unanswered (its caller aborts it). */
  hold?: (callId: number, attempt: number) => boolean;
}

/**
 * A Box-like node:http server on 127.0.0.1 whose replies follow the seeded schedule, keyed by the
 * `x-call-id` and `x-attempt` headers.
 */
export async function startSoakServer(options: SoakServerOptions): Promise<SoakServer> {
  const log = new Map<number, Served[]>();
  const pending = new Set<NodeJS.Timeout>();
  let received = 0;
  let strays = 0;

  const reply = (res: http.ServerResponse, fault: Fault, req: http.IncomingMessage): void => {
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    switch (fault) {
      case 'ok':
        return json(200, { type: 'file', id: '1' });
      case '503-box':
        return json(503, boxError(503, 'unavailable', 'Unavailable'));
      case '503-bare':
        res.writeHead(503);
        return void res.end();
      case '500':
        return json(500, boxError(500, 'internal_server_error', 'Internal Server Error'));
      case '502':
        // A proxy's page, not Box's JSON.
        res.writeHead(502, { 'content-type': 'text/html' });
        return void res.end('<html><body>Bad Gateway</body></html>');
      case '429-ra0':
        return json(429, boxError(429, 'rate_limit_exceeded', 'Request rate limit exceeded'), { 'retry-after': '0' });
      case '429':
        return json(429, boxError(429, 'rate_limit_exceeded', 'Request rate limit exceeded'));
      case '202-ra0':
        res.writeHead(202, { 'retry-after': '0' });
        return void res.end();
      case '404':
        return json(404, boxError(404, 'not_found', 'Not Found'));
      case '409':
        return json(409, boxError(409, 'item_name_in_use', 'Item with the same name already exists'));
      case 'drop':
        return void req.socket.destroy();
      case 'slow': {
        const timer = setTimeout(() => {
          pending.delete(timer);
          if (!res.destroyed) json(200, { type: 'file', id: '1' });
        }, options.slowMs);
        pending.add(timer);
        res.once('close', () => {
          clearTimeout(timer);
          pending.delete(timer);
        });
        return;
      }
      case 'hang':
        return;
    }
  };

  const server = http.createServer((req, res) => {
    received += 1;
    const callId = Number(req.headers['x-call-id']);
    const attempt = Number(req.headers['x-attempt']);
    if (!Number.isInteger(callId) || callId < 0 || !Number.isInteger(attempt) || attempt < 1) {
      strays += 1;
      res.writeHead(400);
      res.end();
      return;
    }
    const fault: Fault = options.hold?.(callId, attempt) ? 'hang' : faultFor(options.seed, callId, attempt);
    if (options.log) {
      let served = log.get(callId);
      if (!served) log.set(callId, (served = []));
      served.push({ method: (req.method ?? '').toLowerCase(), attempt, fault });
    }
    // Answer once the body is in, as a real server would.
    req.resume();
    req.once('end', () => reply(res, fault, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get received() {
      return received;
    },
    get strays() {
      return strays;
    },
    log,
    quiesce: () => {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      server.closeAllConnections();
    },
    close: async () => {
      for (const timer of pending) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

/** `{ Timeout: 2, TCPSocketWrap: 1 }`: a multiset of `process.getActiveResourcesInfo()`. */
export function activeResources(): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) tally[kind] = (tally[kind] ?? 0) + 1;
  return tally;
}

/**
 * The kinds of which more are active than in the baseline, with the surplus. The comparison is
 * "no more than", not equality: vitest's own short timers (its console batching, its RPC) come
 * and go, so one may be in the baseline and gone later.
 */
export function surplus(now: Record<string, number>, baseline: Record<string, number>): Record<string, number> {
  const more: Record<string, number> = {};
  for (const [kind, count] of Object.entries(now)) {
    if (count > (baseline[kind] ?? 0)) more[kind] = count - (baseline[kind] ?? 0);
  }
  return more;
}

/** Poll until no more resources are active than in `baseline`, or `withinMs` passes; the last snapshot. */
export async function settleResources(baseline: Record<string, number>, withinMs: number): Promise<Record<string, number>> {
  const until = performance.now() + withinMs;
  let now = activeResources();
  while (Object.keys(surplus(now, baseline)).length > 0 && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    now = activeResources();
  }
  return now;
}

/** Sockets the agent holds for a request still under way, and requests queued for one. */
function socketsInUse(agent: http.Agent): number {
  const count = (table: NodeJS.ReadOnlyDict<unknown[]>): number =>
    Object.values(table).reduce<number>((sum, list) => sum + (list?.length ?? 0), 0);
  return count(agent.sockets) + count(agent.requests);
}

/** Wait until `value()` has not changed for `quietMs` (at most `withinMs`). */
async function steady(value: () => number, quietMs: number, withinMs: number): Promise<void> {
  const end = performance.now() + withinMs;
  let last = value();
  let since = performance.now();
  while (performance.now() < end && performance.now() - since < quietMs) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const now = value();
    if (now !== last) {
      last = now;
      since = performance.now();
    }
  }
}

async function until(condition: () => boolean, withinMs: number): Promise<void> {
  const end = performance.now() + withinMs;
  while (!condition() && performance.now() < end) await new Promise((resolve) => setTimeout(resolve, 5));
}

// ---------------------------------------------------------------------------------------------
// The soak
// ---------------------------------------------------------------------------------------------

export interface SoakOptions {
  seed: number;
  calls: number;
  concurrency: number;
  /** The instance's policy, over tiny delays. */
  retry: BoxRetryPolicy;
  timeouts: Timeouts;
  /** How long the server takes over a slow reply: past `timeouts.slowAttemptMs`. */
  slowMs: number;
  /** Every call must have settled by then. */
  boundMs: number;
}

export interface SoakResult {
  plans: CallPlan[];
  /** Per call; undefined for a call still pending when the bound passed. */
  outcomes: Array<Outcome | undefined>;
  log: Map<number, Served[]>;
  received: number;
  strays: number;
  stats: BoxStatusStats;
  abortedInBackoff: ReadonlySet<number>;
  abortedDuringAttempt: ReadonlySet<number>;
  ms: number;
  /** Requests still holding an agent socket once every call had settled. */
  socketsInUse: number;
  sharedListeners: number;
  ownListeners: number;
  baseline: Record<string, number>;
  after: Record<string, number>;
}

/** Run the soak and collect what the audit and the leak checks need; everything is closed after. */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const plans = Array.from({ length: options.calls }, (_, id) => planCall(options.seed, id));
  const factory = new CallFactory(options.seed, options.timeouts, true);
  const server = await startSoakServer({
    seed: options.seed,
    log: true,
    slowMs: options.slowMs,
    hold: (callId, attempt) => {
      const plan = plans[callId];
      return plan !== undefined && factory.abortDuringAttempt(plan, attempt);
    },
  });
  const baseline = activeResources();
  const agent = new http.Agent({ keepAlive: true });
  const instance = axios.create({ baseURL: server.url, httpAgent: agent });
  const handle = attachBoxStatus(instance, { retry: { ...options.retry, onRetry: factory.onRetry } });
  const outcomes: Array<Outcome | undefined> = new Array(options.calls);
  const limit = limiter(options.concurrency);

  const started = performance.now();
  const all = plans.map((plan) =>
    limit(() => instance.request(factory.config(plan))).then(
      (response) => {
        outcomes[plan.id] = outcomeOf({ status: 'fulfilled', value: response });
        return response;
      },
      (error: unknown) => {
        outcomes[plan.id] = outcomeOf({ status: 'rejected', reason: error });
        throw error;
      },
    ),
  );
  let bound: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(all),
    new Promise<void>((resolve) => {
      bound = setTimeout(resolve, options.boundMs);
    }),
  ]);
  clearTimeout(bound);
  const ms = performance.now() - started;

  // A socket comes back to the agent's free list just after its response has ended.
  await until(() => socketsInUse(agent) === 0, 1000);
  const inUse = socketsInUse(agent);
  // A request the client gave up on (a slow attempt, an abort) may still wait in the listen
  // queue: closing the server now would drop it unread. Idle, the server drains it at once.
  await steady(() => server.received, 100, 2000);
  const stats = handle.stats();
  factory.clearTimers();
  agent.destroy();
  server.quiesce();
  const after = await settleResources(baseline, 2000);
  const result: SoakResult = {
    plans,
    outcomes,
    log: server.log,
    received: server.received,
    strays: server.strays,
    stats,
    abortedInBackoff: factory.abortedInBackoff,
    abortedDuringAttempt: factory.abortedDuringAttempt,
    ms,
    socketsInUse: inUse,
    sharedListeners: factory.sharedListeners(),
    ownListeners: factory.ownListeners(),
    baseline,
    after,
  };
  await server.close();
  return result;
}

export interface SoakAudit {
  /** Calls still pending when the bound passed. */
  pending: number[];
  /** Settled without an attempt count (only a call cancelled before it was sent may). */
  withoutAttempts: string[];
  /** Attempts told to the caller that differ from the requests the server received for the call. */
  countMismatches: string[];
  /** Calls whose requests were not numbered 1, 2, ... n (onRetry's header change not sent, a repeat). */
  wrongNumbering: string[];
  /** Cancelled calls that were not aborted, and aborted calls that did not end cancelled. */
  wrongCancels: string[];
  /** A POST sent again after a reply Box may have acted on, without `idempotent: true`. */
  repeatedPosts: string[];
  /** Any other request sent again after a reply that does not allow it, or more than 5 attempts. */
  wrongRetries: string[];
  /** Callers whose result is not what the server's last reply calls for. */
  wrongOutcomes: string[];
  /** Requests whose method is not the call's. */
  wrongMethods: string[];
  /** Attempts a randomly aborted call counted that the server never received (sent as the abort cut them). */
  lostInFlight: number;
  /** The attempts every caller was told of, and the requests the server received. */
  told: number;
  received: number;
  cancelled: number;
}

/** Check every call of a soak against the server's log. */
export function auditSoak(result: SoakResult): SoakAudit {
  const audit: SoakAudit = {
    pending: [],
    withoutAttempts: [],
    countMismatches: [],
    wrongNumbering: [],
    wrongCancels: [],
    repeatedPosts: [],
    wrongRetries: [],
    wrongOutcomes: [],
    wrongMethods: [],
    lostInFlight: 0,
    told: 0,
    received: 0,
    cancelled: 0,
  };
  for (const plan of result.plans) {
    const { id } = plan;
    const outcome = result.outcomes[id];
    // In attempt order: a request cut by a timeout may reach the server after its retry.
    const served = [...(result.log.get(id) ?? [])].sort((a, b) => a.attempt - b.attempt);
    const faults = served.map((s) => s.fault);
    audit.received += served.length;
    const describe = (what: string): string =>
      `call ${id} (${plan.method}${plan.idempotent ? ' idempotent' : ''}, abort ${plan.abort}): ${what}; ` +
      `served [${served.map((s) => `${s.attempt}:${s.fault}`).join(', ')}], caller saw ${outcome?.label} after ${outcome?.attempts}`;
    if (!outcome) {
      audit.pending.push(id);
      continue;
    }
    if (outcome.attempts === undefined && !(plan.abort === 'before' && outcome.cancelled)) {
      audit.withoutAttempts.push(describe('no attempt count'));
    }
    const told = outcome.attempts ?? 0;
    audit.told += told;
    if (outcome.cancelled) audit.cancelled += 1;

    if (served.some((s, i) => s.attempt !== i + 1)) audit.wrongNumbering.push(describe('numbering'));
    if (served.some((s) => s.method !== plan.method)) audit.wrongMethods.push(describe('method'));
    const earlier = faults.slice(0, -1);
    const allowed = plan.method === 'post' && !plan.idempotent ? RETRIED_FOR_ANY_METHOD : RETRIED_IF_IDEMPOTENT;
    if (earlier.some((fault) => !allowed.has(fault))) {
      (plan.method === 'post' ? audit.repeatedPosts : audit.wrongRetries).push(describe('sent again'));
    }
    if (served.length > 5) audit.wrongRetries.push(describe('more than 5 attempts'));

    const mustCancel =
      plan.abort === 'before' || result.abortedDuringAttempt.has(id) || result.abortedInBackoff.has(id);
    const mayCancel = mustCancel || plan.abort === 'random';
    if (outcome.cancelled ? !mayCancel : mustCancel) {
      audit.wrongCancels.push(describe(outcome.cancelled ? 'cancelled without an abort' : 'aborted but not cancelled'));
      continue;
    }
    if (outcome.cancelled && (plan.abort === 'random' || plan.abort === 'during-backoff')) {
      // The abort may cut the last attempt before its bytes reach the server: the caller counted
      // it (it was handed to the transport), the server never saw it. Only the last one can be.
      // A backoff abort does so only when its timer ran after the wait's (see CallFactory).
      const lost = told - served.length;
      if (lost === 0 || lost === 1) audit.lostInFlight += lost;
      else audit.countMismatches.push(describe(`told ${told}, server received ${served.length}`));
      continue;
    }
    if (told !== served.length) audit.countMismatches.push(describe(`told ${told}, server received ${served.length}`));
    if (result.abortedDuringAttempt.has(id) && told !== plan.abortAtAttempt) {
      audit.countMismatches.push(describe(`aborted during attempt ${plan.abortAtAttempt}`));
    }
    if (!outcome.cancelled && outcome.label !== expectedOutcome(faults.at(-1))) {
      audit.wrongOutcomes.push(describe(`expected ${expectedOutcome(faults.at(-1))}`));
    }
  }
  return audit;
}

// ---------------------------------------------------------------------------------------------
// The heap
// ---------------------------------------------------------------------------------------------

/** `global.gc`, exposed at run time when node was started without `--expose-gc`. */
export function gcFunction(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** The heap in use after full collections (WeakMap entries and finalizers may need more than one). */
export async function settledHeap(gc: () => void): Promise<number> {
  for (let i = 0; i < 3; i += 1) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/**
 * The transport a heap run sends through. `http`: the soak server over a keep-alive agent.
 * `in-process`: an axios adapter that answers the same schedule in the next turn of the event
 * loop, as axios's own adapters report things (a status settled by `validateStatus`, a dropped
 * socket as ECONNRESET, a timeout as ECONNABORTED, an abort as CanceledError), without the
 * sockets that make 50,000 calls take half a minute. The plugin wraps it like any adapter.
 */
export type HeapTransport = 'in-process' | 'http';

type CanceledErrorClass = new (message: string | undefined, config: unknown, request: unknown) => Error;

interface Transport {
  instance: AxiosInstance;
  /** Requests the transport received. */
  sent(): number;
  /** A new adapter function for one call (the plugin must not keep it), or undefined for the instance's. */
  freshAdapter(): AxiosAdapter | undefined;
  close(): Promise<void>;
}

function inProcessTransport(seed: number): Transport {
  let sent = 0;
  const adapter: AxiosAdapter = (config) =>
    new Promise<AxiosResponse>((resolve, reject) => {
      sent += 1;
      const headers = config.headers as AxiosHeaders;
      const callId = Number(headers.get('x-call-id'));
      const attempt = Number(headers.get('x-attempt'));
      const request = {};
      const signal = config.signal as AbortSignal | undefined;
      // axios's typings give CanceledError AxiosError's parameters; at run time they are these.
      const cancelled = (): Error => new (axios.CanceledError as unknown as CanceledErrorClass)(undefined, config, request);
      if (signal?.aborted) return reject(cancelled());
      const onAbort = (): void => {
        clearImmediate(timer);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setImmediate(() => {
        signal?.removeEventListener('abort', onAbort);
        const fault = faultFor(seed, callId, attempt);
        if (fault === 'drop') return reject(new AxiosError('socket hang up', 'ECONNRESET', config, request));
        if (fault === 'slow') {
          return reject(new AxiosError(`timeout of ${config.timeout}ms exceeded`, 'ECONNABORTED', config, request));
        }
        const [status, body, headers] = inProcessReply(fault);
        const response: AxiosResponse = {
          data: body,
          status,
          statusText: String(status),
          headers: AxiosHeaders.from(headers),
          config: config as InternalAxiosRequestConfig,
          request,
        };
        // axios's settle(): the request's validateStatus decides.
        const validate = config.validateStatus;
        if (!validate || validate(status)) return resolve(response);
        reject(
          new AxiosError(
            `Request failed with status code ${status}`,
            status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
            config,
            request,
            response,
          ),
        );
      });
    });
  return {
    instance: axios.create({ baseURL: 'http://in-process.invalid', adapter }),
    sent: () => sent,
    freshAdapter: () => (config) => adapter(config),
    close: async () => {},
  };
}

function inProcessReply(fault: Fault): [number, string, Record<string, string>] {
  const json = { 'content-type': 'application/json' };
  switch (fault) {
    case '503-box':
      return [503, JSON.stringify(boxError(503, 'unavailable', 'Unavailable')), json];
    case '503-bare':
      return [503, '', {}];
    case '500':
      return [500, JSON.stringify(boxError(500, 'internal_server_error', 'Internal Server Error')), json];
    case '502':
      return [502, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' }];
    case '429-ra0':
      return [429, JSON.stringify(boxError(429, 'rate_limit_exceeded', 'Slow down')), { ...json, 'retry-after': '0' }];
    case '429':
      return [429, JSON.stringify(boxError(429, 'rate_limit_exceeded', 'Slow down')), json];
    case '202-ra0':
      return [202, '', { 'retry-after': '0' }];
    case '404':
      return [404, JSON.stringify(boxError(404, 'not_found', 'Not Found')), json];
    case '409':
      return [409, JSON.stringify(boxError(409, 'item_name_in_use', 'Name in use')), json];
    default:
      return [200, '{"type":"file","id":"1"}', json];
  }
}

async function httpTransport(seed: number, slowMs: number): Promise<Transport> {
  const server = await startSoakServer({ seed, log: false, slowMs });
  const agent = new http.Agent({ keepAlive: true });
  return {
    instance: axios.create({ baseURL: server.url, httpAgent: agent }),
    sent: () => server.received,
    freshAdapter: () => undefined,
    close: async () => {
      agent.destroy();
      await server.close();
    },
  };
}

export interface HeapOptions {
  transport: HeapTransport;
  seed: number;
  calls: number;
  /** The first heap sample is taken after this many calls... */
  warmup: number;
  /** ...then one every `sampleEvery` calls, and one at the end. */
  sampleEvery: number;
  concurrency: number;
  retry: BoxRetryPolicy;
  timeouts: Timeouts;
  slowMs: number;
}

export interface HeapResult {
  samples: Array<{ calls: number; heapBytes: number }>;
  ms: number;
  /** Attempts told to the callers; requests the transport received; the plugin's own count. */
  told: number;
  sent: number;
  stats: BoxStatusStats;
  /** Settled calls that carried no attempt count although they were sent. */
  withoutAttempts: number;
  cancelled: number;
  sharedListeners: number;
  /** Active resources before the transport opened, and after it closed. */
  baseline: Record<string, number>;
  after: Record<string, number>;
}

/**
 * Calls of the soak's mix, in batches, with the heap measured between them. Nothing is kept per
 * call past its end. Without the aborts during an attempt (they need the server's hand) and at a
 * random moment (their last request may or may not reach the transport), so that the attempts
 * told to the callers must equal the requests the transport received, exactly.
 */
export async function runHeap(options: HeapOptions): Promise<HeapResult> {
  const gc = gcFunction();
  const baseline = activeResources();
  const transport =
    options.transport === 'http' ? await httpTransport(options.seed, options.slowMs) : inProcessTransport(options.seed);
  const factory = new CallFactory(options.seed, options.timeouts, false);
  const handle = attachBoxStatus(transport.instance, { retry: { ...options.retry, onRetry: factory.onRetry } });
  const limit = limiter(options.concurrency);
  let told = 0;
  let withoutAttempts = 0;
  let cancelled = 0;
  const one = async (id: number): Promise<void> => {
    const plan = planCall(options.seed, id);
    if (plan.abort === 'during-attempt' || plan.abort === 'random') plan.abort = 'none';
    const config = factory.config(plan);
    const adapter = id % 10 === 0 ? transport.freshAdapter() : undefined;
    if (adapter) config.adapter = adapter;
    let outcome: Outcome;
    try {
      outcome = outcomeOf({ status: 'fulfilled', value: await transport.instance.request(config) });
    } catch (error) {
      outcome = outcomeOf({ status: 'rejected', reason: error });
    }
    if (outcome.cancelled) cancelled += 1;
    if (outcome.attempts === undefined && plan.abort !== 'before') withoutAttempts += 1;
    told += outcome.attempts ?? 0;
  };
  const samples: HeapResult['samples'] = [];
  const started = performance.now();
  let done = 0;
  while (done < options.calls) {
    const size = Math.min(done === 0 ? options.warmup : options.sampleEvery, options.calls - done);
    const batch: Array<Promise<void>> = [];
    for (let id = done; id < done + size; id += 1) batch.push(limit(() => one(id)));
    await Promise.all(batch);
    done += size;
    samples.push({ calls: done, heapBytes: await settledHeap(gc) });
  }
  const ms = performance.now() - started;
  // As in the soak: a request given up on may still wait in the server's listen queue.
  await steady(transport.sent, 100, 2000);
  const result: HeapResult = {
    samples,
    ms,
    told,
    sent: transport.sent(),
    stats: handle.stats(),
    withoutAttempts,
    cancelled,
    sharedListeners: factory.sharedListeners(),
    baseline,
    after: {},
  };
  factory.clearTimers();
  await transport.close();
  result.after = await settleResources(baseline, 2000);
  return result;
}
