// Benchmark: axios-box-status against plain axios and axios-retry, in one run on one machine.
//
//   npm run bench                      # builds dist/, then runs this file (about a minute and a half;
//                                      # scenarios 7 and 8, a fleet, need redis-server: not run without)
//   node bench/run.mjs --quick         # tiny counts, a few seconds: checks that the script works
//   node bench/run.mjs --out FILE      # write the report elsewhere than bench/RESULTS.md
//   node bench/run.mjs --scale 0.02    # scale factor S for every delay (default 0.01)
//
// The report (Markdown) goes to stdout and to the out file; progress goes to stderr. The exit code
// is 0 when the run completes, whether or not the plugin meets its targets: this is a report,
// not a test. It is non-zero only when the run itself breaks.
//
// Every delay is scaled by the same factor S so that retries finish in a benchmark's time while
// keeping their proportions: the plugin's 1 s base / 30 s cap / 60 s Retry-After limit become
// 10 ms / 300 ms / 600 ms, axios-retry's exponentialDelay factor of 100 ms becomes 1 ms, and the
// server's Retry-After of 50 s becomes 0.5 s (sent as fractional seconds, which both parse).

import { execFileSync, fork } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import axios, { AxiosError, AxiosHeaders } from 'axios';
// From ESM this is the function itself (CommonJS would hand over the exports object).
import axiosRetry from 'axios-retry';
import { RedisMissingError, startRedis } from '../examples/redis-server.mjs';
import { FLEET_CLIENTS, FLEET_MEMORY, FLEET_PROCESSES, FLEET_REDIS, LIMIT, NEWS_MS, fleetScenario } from './fleet.mjs';
import { HALVED, halvedLimit } from './fleet-halved.mjs';

// ------------------------------------------------------------------------------------------------
// Options

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: fileURLToPath(new URL('./RESULTS.md', import.meta.url)) },
    scale: { type: 'string', default: '0.01' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

if (options.help) {
  process.stdout.write('usage: node bench/run.mjs [--quick] [--out FILE] [--scale S]\n');
  process.exit(0);
}

const S = Number(options.scale);
if (!(S > 0 && S <= 1)) throw new TypeError(`--scale must be a number in (0, 1], received ${options.scale}`);

// Full sizes keep the whole run near a minute on 2 cores; --quick only has to prove the
// script works end to end, so every count is tiny but every scenario and client still runs.
const SIZES = options.quick
  ? {
      throughput: { requests: 200, runs: 3, concurrency: 16 },
      inProcess: { calls: 1000, warmup: 500, runs: 3 },
      retriedOnce: { calls: 500, warmup: 200, runs: 3, concurrency: 32 },
      outage: { calls: 100, concurrency: 50 },
      flaky: { calls: 200, concurrency: 50, failRate: 0.1 },
      limit: { workers: 50, callsPerWorker: 2 },
      fleet: { limit: 1000, pause: 1600, halved: { before: 1000, after: 2000 } },
    }
  : {
      throughput: { requests: 3000, runs: 5, concurrency: 16 },
      inProcess: { calls: 20_000, warmup: 5000, runs: 7 },
      retriedOnce: { calls: 10_000, warmup: 2000, runs: 7, concurrency: 32 },
      outage: { calls: 1000, concurrency: 50 },
      flaky: { calls: 2000, concurrency: 50, failRate: 0.1 },
      limit: { workers: 50, callsPerWorker: 6 },
      fleet: { limit: 3000, pause: 2000, halved: { before: 3000, after: 6000 } },
    };

// Box's Retry-After for the 429 in scenario 5 (50 s unscaled); also the pause window measured.
const RETRY_AFTER_MS = Math.round(50_000 * S);
const RETRY_AFTER_HEADER = String(RETRY_AFTER_MS / 1000);
const FLAKY_SEED = 20_240_601;

// ------------------------------------------------------------------------------------------------
// The plugin, loaded from the build so that the benchmark measures what ships

const distUrl = new URL('../dist/index.js', import.meta.url);
let attachBoxStatus;
let createRedisStore;
try {
  ({ attachBoxStatus } = await import(distUrl.href));
  ({ createRedisStore } = await import(new URL('../dist/redis/index.js', import.meta.url).href));
} catch (error) {
  throw new Error(`cannot load ${fileURLToPath(distUrl)}: run \`npm run build\` first`, { cause: error });
}

// ------------------------------------------------------------------------------------------------
// The clients under comparison. Every scenario run gets a fresh instance (createClient), so no
// client carries state (a retry budget, a pause) from one run into another.

// The plugin's default delays, scaled. Rounded: 30_000 * 0.03 is 900.0000000000001 in floating point.
const PLUGIN_RETRY = {
  baseDelayMs: Math.round(1000 * S),
  maxDelayMs: Math.round(30_000 * S),
  maxRetryAfterMs: Math.round(60_000 * S),
};

const CLIENTS = [
  { name: 'plain axios', attach() {} },
  { name: 'axios-retry (defaults)', attach: (instance) => axiosRetry(instance) },
  {
    name: 'axios-retry (exponentialDelay)',
    attach: (instance) =>
      axiosRetry(instance, { retryDelay: (n, error) => axiosRetry.exponentialDelay(n, error, 100 * S) }),
  },
  { name: 'axios-box-status (defaults)', attach: (instance) => attachBoxStatus(instance, { retry: PLUGIN_RETRY }) },
];
const [PLAIN, RETRY_DEFAULTS, , PLUGIN] = CLIENTS;

function createClient(client, config) {
  const instance = axios.create(config);
  client.attach(instance);
  return instance;
}

// ------------------------------------------------------------------------------------------------
// Helpers

const progress = (line) => process.stderr.write(`[bench] ${line}\n`);
// Wall-clock milliseconds with sub-millisecond precision, comparable across calls in this process.
const now = () => performance.timeOrigin + performance.now();

/** Runs `total` tasks on `concurrency` workers that take the next index from a shared counter. */
async function pool(total, concurrency, task) {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const index = next;
      next += 1;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}

/** Awaits one call; a rejection is a failed call, never a crash of the run. */
async function settle(promise) {
  try {
    await promise;
    return true;
  } catch {
    return false;
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile of an unsorted sample. */
function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

/** Client order for turn `turn`: rotated so that no client always runs first (or last). */
const rotated = (turn, clients = CLIENTS) => clients.map((_, i) => clients[(i + turn) % clients.length]);

const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const fixed = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function table(headers, rows, { numeric = true } = {}) {
  // Left-align the client column, right-align the numbers.
  const align = headers.map((_, i) => (i === 0 || !numeric ? ':---' : '---:'));
  return [headers, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

// ------------------------------------------------------------------------------------------------
// The server child process

class ServerProcess {
  static async start() {
    const child = fork(fileURLToPath(new URL('./server.mjs', import.meta.url)), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
    });
    const server = new ServerProcess(child);
    try {
      server.port = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('server did not start listening within 10 s')), 10_000);
        const onMessage = (msg) => {
          if (msg?.type !== 'ready') return;
          child.off('message', onMessage);
          clearTimeout(timer);
          resolve(msg.port);
        };
        child.on('message', onMessage);
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`server exited before listening (code ${code})`));
        });
      });
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return server;
  }

  constructor(child) {
    this.child = child;
    this.pending = new Map();
    this.seq = 0;
    this.exited = new Promise((resolve) => child.once('exit', resolve));
    child.on('message', (msg) => {
      const waiter = this.pending.get(msg?.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      clearTimeout(waiter.timer);
      if (msg.error) waiter.reject(new Error(`server: ${msg.error}`));
      else waiter.resolve(msg.result);
    });
    // A server that dies mid-run must fail the run, not leave it waiting forever.
    child.once('exit', (code, signal) => {
      for (const waiter of this.pending.values()) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`server exited (code ${code}, signal ${signal})`));
      }
      this.pending.clear();
    });
  }

  get baseURL() {
    return `http://127.0.0.1:${this.port}`;
  }

  request(cmd, payload = {}) {
    if (!this.child.connected) return Promise.reject(new Error(`server is gone (cannot send ${cmd})`));
    const id = (this.seq += 1);
    return new Promise((resolve, reject) => {
      const fail = (error) => {
        if (!this.pending.delete(id)) return;
        clearTimeout(timer);
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(`server did not answer ${cmd} within 10 s`)), 10_000);
      this.pending.set(id, { resolve, reject, timer });
      // With a callback, a failed send rejects this request instead of an unhandled 'error' event.
      this.child.send({ id, cmd, ...payload }, (error) => {
        if (error) fail(new Error(`cannot send ${cmd} to the server: ${error.message}`));
      });
    });
  }

  reset(payload) {
    return this.request('reset', payload);
  }

  async close() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      await this.request('close');
    } catch {
      // Already gone or not answering: the kill below settles it.
    }
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await this.exited;
    clearTimeout(killer);
  }
}

// ------------------------------------------------------------------------------------------------
// Scenarios 1 and 2: interleaved runs, measured in slices
//
// On a shared VM the speed of the CPU drifts by tens of percent over a few seconds, which is the
// length of a whole run. Measured run after run, two clients with the very same success path
// came out 40 % apart. So each run is cut into slices and the clients take turns slice by slice
// (in an order that rotates every turn): every client's run then spans the same stretch of time
// and meets the same drift. A run's result is still the total over its N calls, on one fresh
// instance, and each client still gets `runs` runs; SLICES = 1 gives plain run-by-run interleaving.

const SLICES = options.quick ? 2 : 10;

/** Sizes of `slices` near-equal parts of `total`. */
const split = (total, slices) =>
  Array.from({ length: slices }, (_, i) => Math.floor(total / slices) + (i < total % slices ? 1 : 0));

/**
 * Runs `runs` interleaved runs of `total` calls per client. `fresh(client)` makes a run's
 * instance; `measure(instance, calls)` makes the calls and returns { ms, failed }.
 * Returns, per client, each run's { ms, failed }.
 */
async function interleavedRuns({ label, runs, total, fresh, measure, clients = CLIENTS }) {
  const results = new Map(clients.map((client) => [client, []]));
  let turn = 0;
  for (let round = 0; round < runs; round += 1) {
    progress(`${label}: run ${round + 1}/${runs}`);
    const instances = new Map(clients.map((client) => [client, fresh(client)]));
    const run = new Map(clients.map((client) => [client, { ms: 0, failed: 0 }]));
    for (const calls of split(total, SLICES)) {
      for (const client of rotated(turn, clients)) {
        const { ms, failed } = await measure(instances.get(client), calls);
        run.get(client).ms += ms;
        run.get(client).failed += failed;
      }
      turn += 1;
    }
    for (const client of clients) results.get(client).push(run.get(client));
  }
  return results;
}

const sum = (values) => values.reduce((a, b) => a + b, 0);

// Scenario 1: success path on a keep-alive loopback server

async function throughput(server, agent, { clients = CLIENTS, label = 'scenario 1' } = {}) {
  const { requests, runs, concurrency } = SIZES.throughput;
  await server.reset({ log: false });

  const fresh = (client) => createClient(client, { baseURL: server.baseURL, httpAgent: agent });
  const measure = async (instance, calls) => {
    let failed = 0;
    const start = performance.now();
    await pool(calls, concurrency, async () => {
      if (!(await settle(instance.get('/ok')))) failed += 1;
    });
    return { ms: performance.now() - start, failed };
  };

  // One warm-up run per client: JIT, and the agent's sockets opened once for all.
  for (const client of clients) await measure(fresh(client), requests);

  const runsOf = await interleavedRuns({ label, runs, total: requests, fresh, measure, clients });
  const rps = (client) => runsOf.get(client).map((run) => requests / (run.ms / 1000));
  const medians = new Map(clients.map((client) => [client, median(rps(client))]));
  return {
    medians,
    ratio: (client) => medians.get(client) / medians.get(PLAIN),
    rows: clients.map((client) => [
      client.name,
      int(medians.get(client)),
      fixed(medians.get(client) / medians.get(PLAIN)),
      `${int(Math.min(...rps(client)))} – ${int(Math.max(...rps(client)))}`,
      String(sum(runsOf.get(client).map((run) => run.failed))),
    ]),
  };
}

// Scenario 8: the success path of scenario 1 with a Redis store. With the store alone, nothing
// touches Redis on the way (the fleet's pauses are mirrored in process); with a rate limit too,
// each request takes its slot in one round trip to Redis. The rule is too wide to ever make a
// request wait: what is measured is the round trip.

async function redisClients(redisSocket) {
  const { Redis } = await import('ioredis');
  const client = new Redis({ path: redisSocket, maxRetriesPerRequest: 1 });
  await new Promise((resolve, reject) => {
    client.once('ready', resolve);
    client.once('error', reject);
  });
  const stores = [createRedisStore({ client, prefix: 'bench-8a:' }), createRedisStore({ client, prefix: 'bench-8b:' })];
  const wide = [{ name: 'wide', max: 1_000_000_000, perMs: 60_000 }];
  return {
    clients: [
      PLAIN,
      PLUGIN,
      {
        name: 'axios-box-status, Redis store',
        attach: (instance) => attachBoxStatus(instance, { retry: PLUGIN_RETRY, store: stores[0] }),
      },
      {
        name: 'axios-box-status, Redis store and a rate limit',
        attach: (instance) => attachBoxStatus(instance, { retry: PLUGIN_RETRY, store: stores[1], rateLimit: { rules: wide } }),
      },
    ],
    async close() {
      await Promise.all(stores.map((store) => store.close()));
      await client.quit();
    },
  };
}

// Scenario 2: success path in process (no I/O: the cost of each client's own machinery)

const instantAdapter = (config) =>
  Promise.resolve({
    data: '{"type":"file","id":"1"}',
    status: 200,
    statusText: 'OK',
    headers: new AxiosHeaders({ 'content-type': 'application/json', 'box-request-id': 'abc' }),
    config,
    request: {},
  });

async function inProcess() {
  const { calls, warmup, runs } = SIZES.inProcess;
  const fresh = (client) => createClient(client, { adapter: instantAdapter, baseURL: 'http://box.invalid' });
  const measure = async (instance, count) => {
    let failed = 0;
    const start = performance.now();
    for (let i = 0; i < count; i += 1) {
      if (!(await settle(instance.get('/files/1')))) failed += 1;
    }
    return { ms: performance.now() - start, failed };
  };

  for (const client of CLIENTS) await measure(fresh(client), warmup);

  const runsOf = await interleavedRuns({ label: 'scenario 2', runs, total: calls, fresh, measure });
  const micros = (client) => runsOf.get(client).map((run) => (run.ms * 1000) / calls);
  const medians = new Map(CLIENTS.map((client) => [client, median(micros(client))]));
  return {
    medians,
    rows: CLIENTS.map((client) => [
      client.name,
      fixed(medians.get(client)),
      fixed(medians.get(client) / medians.get(PLAIN)),
      fixed(medians.get(client) / medians.get(RETRY_DEFAULTS)),
      `${fixed(Math.min(...micros(client)))} – ${fixed(Math.max(...micros(client)))}`,
      String(sum(runsOf.get(client).map((run) => run.failed))),
    ]),
  };
}

// Scenario 6: a call retried once, in process (the cost of each client's retry machinery)
//
// Every call's first attempt is a 503 and its second a 200, from an adapter that answers at once.
// Both clients wait 0 ms before the retry (axios-retry's default delay; the plugin with
// baseDelayMs 0), which still goes through a timer in both: the calls run 32 at a time so that
// those timers overlap and the figure is the CPU each client spends, not the timers' latency.
// Plain axios does not retry, and axios-retry's exponentialDelay row would only add its wait.

const RETRYING = [
  RETRY_DEFAULTS,
  { name: 'axios-box-status (defaults)', attach: (instance) => attachBoxStatus(instance, { retry: { baseDelayMs: 0 } }) },
];

function onceFailingAdapter() {
  const seen = new Set();
  return (config) => {
    const first = !seen.has(config.url);
    seen.add(config.url);
    const status = first ? 503 : 200;
    const response = {
      data: first ? '{"type":"error","status":503,"code":"unavailable"}' : '{"type":"file","id":"1"}',
      status,
      statusText: first ? 'Service Unavailable' : 'OK',
      headers: new AxiosHeaders({ 'content-type': 'application/json' }),
      config,
      request: {},
    };
    // As axios's own adapters do: a status that validateStatus refuses rejects.
    if (!config.validateStatus || config.validateStatus(status)) return Promise.resolve(response);
    return Promise.reject(new AxiosError(`Request failed with status code ${status}`, 'ERR_BAD_RESPONSE', config, {}, response));
  };
}

async function retriedOnce() {
  const { calls, warmup, runs, concurrency } = SIZES.retriedOnce;
  let call = 0;
  const fresh = (client) => createClient(client, { adapter: onceFailingAdapter(), baseURL: 'http://box.invalid' });
  const measure = async (instance, count) => {
    let failed = 0;
    const start = performance.now();
    await pool(count, concurrency, async () => {
      call += 1;
      const res = await instance.get(`/files/${call}`).catch(() => undefined);
      if (res?.status !== 200) failed += 1;
    });
    return { ms: performance.now() - start, failed };
  };

  for (const client of RETRYING) await measure(fresh(client), warmup);

  const runsOf = await interleavedRuns({ label: 'scenario 6', runs, total: calls, fresh, measure, clients: RETRYING });
  const micros = (client) => runsOf.get(client).map((run) => (run.ms * 1000) / calls);
  const medians = new Map(RETRYING.map((client) => [client, median(micros(client))]));
  return {
    ratio: medians.get(RETRYING[1]) / medians.get(RETRY_DEFAULTS),
    medians,
    rows: RETRYING.map((client) => [
      client.name,
      fixed(medians.get(client)),
      fixed(medians.get(client) / medians.get(RETRY_DEFAULTS)),
      `${fixed(Math.min(...micros(client)))} – ${fixed(Math.max(...micros(client)))}`,
      String(sum(runsOf.get(client).map((run) => run.failed))),
    ]),
  };
}

// ------------------------------------------------------------------------------------------------
// Scenarios 3 to 5 give each client run its own agent: every client pays the same connection
// setup, and maxSockets above the concurrency means no request waits inside the agent (which
// would also put scenario 5's send stamp before the real send).

const freshAgent = () => new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * For each client in turn: reset the server with `reset`, make a fresh instance on a fresh agent
 * (with `config` laid over the defaults), and keep what `body(instance)` measures.
 */
async function eachClient(server, label, reset, config, body) {
  const results = new Map();
  for (const client of CLIENTS) {
    progress(`${label}: ${client.name}`);
    await server.reset(reset);
    const agent = freshAgent();
    try {
      const instance = createClient(client, { baseURL: server.baseURL, httpAgent: agent, ...config });
      results.set(client, await body(instance));
    } finally {
      agent.destroy();
    }
  }
  return results;
}

// Scenario 3: full outage (every attempt is a 503)

async function outage(server) {
  const { calls, concurrency } = SIZES.outage;
  const results = await eachClient(server, 'scenario 3', { log: false }, {}, async (instance) => {
    let failed = 0;
    const start = performance.now();
    await pool(calls, concurrency, async () => {
      if (!(await settle(instance.get('/outage')))) failed += 1;
    });
    const wallMs = performance.now() - start;
    const { count } = await server.request('stats');
    return { perCall: count / calls, count, failed, wallMs };
  });
  return {
    results,
    rows: CLIENTS.map((client) => {
      const r = results.get(client);
      return [client.name, fixed(r.perCall), int(r.count), `${r.failed}/${calls}`, int(r.wallMs)];
    }),
  };
}

// Scenario 4: each attempt fails with a 503 at random (seeded, so every client sees the same draws)

async function flaky(server) {
  const { calls, concurrency, failRate } = SIZES.flaky;
  const reset = { log: false, seed: FLAKY_SEED, failRate };
  const results = await eachClient(server, 'scenario 4', reset, {}, async (instance) => {
    const latencies = [];
    let succeeded = 0;
    const start = performance.now();
    await pool(calls, concurrency, async () => {
      const callStart = performance.now();
      if (await settle(instance.get('/flaky'))) succeeded += 1;
      latencies.push(performance.now() - callStart);
    });
    const wallMs = performance.now() - start;
    const { count } = await server.request('stats');
    return {
      successRate: (100 * succeeded) / calls,
      succeeded,
      attempts: count / calls,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      wallMs,
    };
  });
  return {
    results,
    rows: CLIENTS.map((client) => {
      const r = results.get(client);
      return [
        client.name,
        `${fixed(r.successRate)} % (${r.succeeded}/${calls})`,
        fixed(r.attempts),
        fixed(r.p50),
        fixed(r.p99),
        int(r.wallMs),
      ];
    }),
  };
}

// Scenario 5: one 429 with Retry-After among 50 concurrent callers

async function rateLimit(server) {
  const { workers, callsPerWorker } = SIZES.limit;
  const calls = workers * callsPerWorker;
  const httpAdapter = axios.getAdapter('http');

  // When the current client first saw the 429 (reset for each client's run).
  let t429;
  const saw = (status) => {
    if (status === 429 && t429 === undefined) t429 = now();
  };
  // The instance's own adapter: every client (the plugin included, which wraps it) calls it at
  // the moment a request really goes out, so the stamp is the true send time.
  const adapter = (config) => {
    config.headers.set('x-bench-sent-at', String(now()));
    return httpAdapter(config).then(
      (response) => {
        saw(response.status);
        return response;
      },
      (error) => {
        saw(error?.response?.status);
        throw error;
      },
    );
  };

  const reset = { log: true, retryAfter: RETRY_AFTER_HEADER };
  const results = await eachClient(server, 'scenario 5', reset, { adapter }, async (instance) => {
    t429 = undefined;
    let failed = 0;
    const start = performance.now();
    // A closed loop: each caller sends its next call as soon as the previous one settles, as a
    // real app's workers would, so the count shows who keeps hitting Box during the pause.
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (let i = 0; i < callsPerWorker; i += 1) {
          if (!(await settle(instance.get('/limit')))) failed += 1;
        }
      }),
    );
    const wallMs = performance.now() - start;
    const log = await server.request('log');

    let inPause = NaN;
    let nextAfterMs = NaN;
    if (t429 !== undefined) {
      const after = log.filter((entry) => entry.sentAt !== null && entry.sentAt >= t429);
      inPause = after.filter((entry) => entry.sentAt < t429 + RETRY_AFTER_MS).length;
      if (after.length) nextAfterMs = Math.min(...after.map((entry) => entry.sentAt)) - t429;
    }
    return { inPause, nextAfterMs, failed, requests: log.length, wallMs };
  });
  return {
    calls,
    results,
    rows: CLIENTS.map((client) => {
      const r = results.get(client);
      return [
        client.name,
        Number.isNaN(r.inPause) ? 'n/a (no 429 seen)' : String(r.inPause),
        fixed(r.nextAfterMs, 1),
        `${r.failed}/${calls}`,
        String(r.requests),
        int(r.wallMs),
      ];
    }),
  };
}

// ------------------------------------------------------------------------------------------------
// Report

function versionOf(name) {
  try {
    return createRequire(import.meta.url)(`${name}/package.json`).version;
  } catch {
    return 'unknown';
  }
}

/** Which code was measured: the commit, whether src/ differs from it, and when dist/ was built. */
function buildInfo() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  let commit = 'unknown commit';
  try {
    const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    commit = `commit ${git('rev-parse', '--short', 'HEAD').trim()}`;
    if (git('status', '--porcelain', '--', 'src').trim()) commit += ' + uncommitted src/ changes';
  } catch {
    // Not a git checkout (a tarball): the dist timestamp alone will have to do.
  }
  const built = statSync(distUrl).mtime.toISOString().replace(/\.\d+Z$/, 'Z');
  return `${commit}, dist built ${built}`;
}

function rerunCommand() {
  const args = process.argv.slice(2);
  const quote = (arg) => (/^[\w./=:@%+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);
  return args.length ? `npm run bench -- ${args.map(quote).join(' ')}` : 'npm run bench';
}

// The two axios-retry clients differ only in retryDelay, which a success never calls.
const NOISE_NOTE =
  'The two axios-retry rows run the same code on success: the gap between them is the noise of this machine.';

function report({ s1, s2, s3, s4, s5, s6, s7, s8, redisMissing }) {
  const cpus = os.cpus();
  const cpuModel = cpus[0]?.model?.trim() ?? 'unknown CPU';
  const pluginVersion = createRequire(import.meta.url)('../package.json').version;
  const header =
    `${new Date().toISOString()} · Node ${process.version} · axios ${versionOf('axios')} · ` +
    `axios-retry ${versionOf('axios-retry')} · axios-box-status ${pluginVersion} (${buildInfo()}) · ` +
    `${cpuModel} × ${cpus.length} · S = ${S}${options.quick ? ' · **--quick (tiny counts, not a measurement)**' : ''} · ` +
    `rerun: \`${rerunCommand()}\``;

  const { throughput: t, inProcess: ip, outage: o, flaky: f, limit: l, retriedOnce: r } = SIZES;
  const pluginS2 = s2.medians.get(PLUGIN) / s2.medians.get(PLAIN);
  const pluginS5 = s5.results.get(PLUGIN).inPause;
  const targets = [
    [
      '(1) success-path throughput ≥ 0.95 × plain axios',
      `${fixed(s1.ratio(PLUGIN))} (${int(s1.medians.get(PLUGIN))} vs ${int(s1.medians.get(PLAIN))} req/s)`,
      s1.ratio(PLUGIN) >= 0.95,
    ],
    [
      '(2) in-process cost ≤ 1.05 × plain axios',
      `${fixed(pluginS2)} (${fixed(s2.medians.get(PLUGIN))} vs ${fixed(s2.medians.get(PLAIN))} µs/call)`,
      pluginS2 <= 1.05,
    ],
    ['(3) full outage ≤ 1.10 requests per call', fixed(s3.results.get(PLUGIN).perCall), s3.results.get(PLUGIN).perCall <= 1.1],
    [
      '(4) 10 % random 503: ≥ 99.9 % success',
      `${fixed(s4.results.get(PLUGIN).successRate)} %`,
      s4.results.get(PLUGIN).successRate >= 99.9,
    ],
    [
      '(5) 0 requests during the Retry-After pause',
      Number.isNaN(pluginS5) ? 'n/a (no 429 seen)' : String(pluginS5),
      pluginS5 === 0,
    ],
    [
      '(6) a call retried once costs less than with axios-retry (defaults)',
      `${fixed(s6.ratio)} (${fixed(s6.medians.get(RETRYING[1]))} vs ${fixed(s6.medians.get(RETRY_DEFAULTS))} µs/call)`,
      s6.ratio < 1,
    ],
    ...fleetTargets(s7, s8),
  ];

  return [
    '# axios-box-status benchmark',
    '',
    header,
    '',
    `## 1. Success path, keep-alive loopback server`,
    '',
    `GET /ok, ${int(t.requests)} requests per run from ${t.concurrency} workers over one shared keep-alive agent ` +
      `(maxSockets 16); server in a child process. One warm-up run per client, then ${t.runs} interleaved runs ` +
      `(each run cut into ${SLICES} slices, the clients taking turns slice by slice in rotating order). ` +
      `Higher is better.`,
    '',
    table(['client', 'median req/s', 'vs plain axios', 'runs (min – max req/s)', 'failed calls'], s1.rows),
    '',
    NOISE_NOTE,
    '',
    `## 2. Success path in process`,
    '',
    `An adapter that answers at once; sequential \`get('/files/1')\`, ${int(ip.calls)} calls per run after a ` +
      `${int(ip.warmup)}-call warm-up, ${ip.runs} interleaved runs (in ${SLICES} slices, as above). Lower is better.`,
    '',
    table(
      ['client', 'median µs/call', 'vs plain axios', 'vs axios-retry (defaults)', 'runs (min – max µs/call)', 'failed calls'],
      s2.rows,
    ),
    '',
    NOISE_NOTE,
    '',
    `## 3. Full outage`,
    '',
    `Every attempt is a 503; ${int(o.calls)} GET /outage at concurrency ${o.concurrency}, fresh instance per client.`,
    '',
    table(['client', 'server requests / call', 'server requests', 'failed calls', 'wall time (ms)'], s3.rows),
    '',
    `## 4. 10 % random 503`,
    '',
    `Each attempt fails with probability ${f.failRate} (seeded, same draws for every client); ` +
      `${int(f.calls)} GET /flaky at concurrency ${f.concurrency}. Latency covers successes and failures alike.`,
    '',
    table(['client', 'success', 'attempts / call', 'p50 (ms)', 'p99 (ms)', 'wall time (ms)'], s4.rows),
    '',
    `## 5. One 429 with Retry-After among ${l.workers} concurrent callers`,
    '',
    `${l.workers} workers, ${l.callsPerWorker} sequential GET /limit each; the first request is a 429 with ` +
      `\`retry-after: ${RETRY_AFTER_HEADER}\`. Counted: requests sent within [t429, t429 + ${RETRY_AFTER_MS} ms), ` +
      `t429 being when the client saw the 429 (send times stamped by the instance's adapter).`,
    '',
    table(
      ['client', 'requests during the pause', 'next request after the 429 (ms)', 'failed calls', 'server requests', 'wall time (ms)'],
      s5.rows,
    ),
    '',
    `## 6. A call retried once, in process`,
    '',
    `An adapter that answers each call's first attempt with a 503 and its retry with a 200, at once; ` +
      `${int(r.calls)} calls per run, ${r.concurrency} at a time, after a ${int(r.warmup)}-call warm-up, ` +
      `${r.runs} interleaved runs (in ${SLICES} slices). Both clients wait 0 ms before the retry (axios-retry's ` +
      `default; the plugin with \`baseDelayMs: 0\`). Lower is better.`,
    '',
    table(['client', 'median µs/call', 'vs axios-retry (defaults)', 'runs (min – max µs/call)', 'failed calls'], s6.rows),
    '',
    ...fleetSections(s7, s8, redisMissing),
    `## Targets (axios-box-status)`,
    '',
    table(
      ['target', 'measured', 'result'],
      targets.map(([target, measured, met]) => [target, measured, met === undefined ? 'not run' : met ? 'met' : 'missed']),
      { numeric: false },
    ),
    '',
  ].join('\n');
}

const percent = (n) => (Number.isFinite(n) ? `${(n * 100).toFixed(1)} %` : 'n/a');

/** Targets 7 to 10: the fleet, and the success path with a Redis store; "not run" without Redis. */
function fleetTargets(s7, s8) {
  const redisLimit = s7?.limit.get(FLEET_REDIS);
  const redisPause = s7?.pause.get(FLEET_REDIS);
  const ratio8 = s8 ? s8.ratio(s8.clients[3]) : NaN;
  const rows = [
    [
      '(7) a fleet sharing Redis: 0 requests during a 429\'s pause',
      redisPause ? `${redisPause.inPause} (and ${redisPause.whileNewsTravels} in the first ${NEWS_MS} ms, while the news travels)` : '',
      redisPause?.inPause === 0,
    ],
    [
      '(7b) a process joining a fleet sharing Redis during a 429\'s pause: 0 requests into it',
      redisPause ? String(redisPause.lateInPause) : '',
      redisPause?.lateInPause === 0,
    ],
    ['(8) a fleet sharing Redis: no 429 from its pacing', redisLimit ? String(redisLimit.refusals) : '', redisLimit?.refusals === 0],
    ['(9) a fleet sharing Redis: ≥ 90 % of the limit used', redisLimit ? percent(redisLimit.used) : '', redisLimit?.used >= 0.9],
    [
      '(10) success path with a Redis store and a rate limit ≥ 0.80 × plain axios',
      s8 ? `${fixed(ratio8)} (${int(s8.medians.get(s8.clients[3]))} vs ${int(s8.medians.get(PLAIN))} req/s)` : '',
      ratio8 >= 0.8,
    ],
  ];
  return rows.map(([target, measured, met]) => (s7 && s8 ? [target, measured, met] : [target, 'not run: no redis-server', undefined]));
}

function fleetSections(s7, s8, redisMissing) {
  const { fleet } = SIZES;
  const { throughput: t } = SIZES;
  const skipped = `Not run: ${redisMissing?.message ?? 'no redis-server'}.`;
  const limitRows = s7
    ? FLEET_CLIENTS.map((client) => {
        const r = s7.limit.get(client);
        return [client.name, percent(r.used), fixed(r.acceptedPerSecond, 1), fixed(r.requestsPerSecond, 1), String(r.refusals), `${r.failed}/${r.calls}`];
      })
    : [];
  const pauseRows = s7
    ? FLEET_CLIENTS.map((client) => {
        const r = s7.pause.get(client);
        return [
          client.name,
          r.seen ? String(r.inPause) : 'n/a (no 429 seen)',
          String(r.whileNewsTravels),
          r.seen ? String(r.lateInPause) : 'n/a',
          String(r.before),
          `${r.failed}/${r.calls}`,
        ];
      })
    : [];
  const halvedRows = s7
    ? FLEET_CLIENTS.map((client) => {
        const r = s7.halved.get(client);
        return [client.name, percent(r.used), fixed(r.acceptedPerSecond, 1), String(r.refusals), String(r.lateRefusals), `${r.failed}/${r.calls}`];
      })
    : [];
  return [
    `## 7. A fleet: ${FLEET_PROCESSES} processes, one Box user, one Redis`,
    '',
    `${FLEET_PROCESSES} Node processes (examples/fleet-worker.mjs), 2 concurrent loops each, call one Box-like ` +
      `server (examples/fleet-server.mjs) that keeps the user's limit as Box does: ${LIMIT.max} requests in any ` +
      `${LIMIT.perMs} ms, a 429 with Retry-After above it. The plugin's processes are given the same rule ` +
      `(\`rateLimit\`): "${FLEET_MEMORY.name}" keeps it in each process, "${FLEET_REDIS.name}" shares it ` +
      `(ioredis, one redis-server on a unix socket). axios-retry is set up with 4 retries and exponentialDelay. ` +
      `Delays are real (not scaled): Box's Retry-After is in whole seconds.`,
    '',
    `### A shared limit, ${int(fleet.limit)} ms`,
    '',
    s7
      ? table(['client', 'limit used', 'accepted req/s', 'requests/s sent', '429s received', 'failed calls'], limitRows)
      : skipped,
    '',
    `### One 429 with \`retry-after: 1\``,
    '',
    `No limit, and no rule; ${int(fleet.pause)} ms of calls (one every 15 ms per loop); about 300 ms in, one request meets a ` +
      `429 with \`retry-after: 1\`. Counted: requests any process sent within that second, after the first ` +
      `${NEWS_MS} ms (in which the news of the 429 is still on its way to the other processes; those are ` +
      `counted on their own), and, to show that the fleet was busy, those sent before the 429. A fifth ` +
      `process of the same client, started beforehand, makes its store once the 429 has been ` +
      `answered, and calls for 1.2 s: counted, the requests this late joiner sent within that second.`,
    '',
    s7
      ? table(
          ['client', 'requests during the pause', `in its first ${NEWS_MS} ms`, 'late joiner, during the pause', 'before the 429', 'failed calls'],
          pauseRows,
        )
      : skipped,
    '',
    `### A halved limit`,
    '',
    `Box allows ${HALVED.max} requests in any ${HALVED.perMs} ms, then, ${int(fleet.halved.before)} ms after the ` +
      `first request, only ${HALVED.to}, as it may under load; the plugin keeps the rule it was given ` +
      `(${HALVED.max}) and learns the lower limit from Box's 429s (adaptive limits). Counted in the ` +
      `${int(fleet.halved.after)} ms after the drop: the 429s Box sent (and in the second half of that ` +
      `span), and the lowered limit used.`,
    '',
    s7
      ? table(['client', 'lowered limit used', 'accepted req/s', '429s received', 'in the second half', 'failed calls'], halvedRows)
      : skipped,
    '',
    `## 8. Success path with a Redis store`,
    '',
    `As scenario 1 (GET /ok, ${int(t.requests)} requests per run, ${t.concurrency} workers, ${t.runs} interleaved ` +
      `runs), with the plugin given a Redis store, and then a Redis store and a rate limit too wide to ever ` +
      `make a request wait. The store alone keeps Redis off the path of a request; a rate limit costs one ` +
      `round trip to Redis per request. Higher is better.`,
    '',
    s8 ? table(['client', 'median req/s', 'vs plain axios', 'runs (min – max req/s)', 'failed calls'], s8.rows) : skipped,
    '',
  ];
}

// ------------------------------------------------------------------------------------------------
// Main

const sharedAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
let server;
let redis;
try {
  const started = performance.now();
  server = await ServerProcess.start();
  progress(`server on port ${server.port}${options.quick ? ' (quick run)' : ''}`);

  const s1 = await throughput(server, sharedAgent);
  const s2 = await inProcess();
  const s3 = await outage(server);
  const s4 = await flaky(server);
  const s5 = await rateLimit(server);
  const s6 = await retriedOnce();

  // Scenarios 7 and 8 need a redis-server (Debian's); without one they are reported as not run.
  let s7;
  let s8;
  let redisMissing;
  try {
    redis = await startRedis();
  } catch (error) {
    if (!(error instanceof RedisMissingError)) throw error;
    redisMissing = error;
    progress(`scenarios 7 and 8 not run: ${error.message}`);
  }
  if (redis) {
    s7 = await fleetScenario({ redisSocket: redis.socket, durations: SIZES.fleet, progress });
    s7.halved = await halvedLimit({ redisSocket: redis.socket, durations: SIZES.fleet.halved, progress });
    const withRedis = await redisClients(redis.socket);
    try {
      s8 = await throughput(server, sharedAgent, { clients: withRedis.clients, label: 'scenario 8' });
      s8.clients = withRedis.clients;
    } finally {
      await withRedis.close();
    }
  }

  const document = report({ s1, s2, s3, s4, s5, s6, s7, s8, redisMissing });
  process.stdout.write(document);
  writeFileSync(options.out, document);
  progress(`wrote ${options.out} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  process.stderr.write(`[bench] failed: ${error?.stack ?? error}\n`);
  if (error?.cause) process.stderr.write(`[bench] cause: ${error.cause?.stack ?? error.cause}\n`);
  process.exitCode = 1;
} finally {
  sharedAgent.destroy();
  await server?.close();
  await redis?.close();
}
