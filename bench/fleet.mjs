// Scenario 7 of the benchmark: a fleet. Four worker processes (examples/fleet-worker.mjs, on the
// built package) act for one Box user against one Box-like server (examples/fleet-server.mjs)
// that keeps that user's limit as Box does, answering 429 with a Retry-After above it.
//
// Part A, a shared limit: the server allows LIMIT.max requests in any LIMIT.perMs; the plugin's
// clients are given the same rule (`rateLimit: { rules }`). Measured: the share of the limit the
// fleet used, the 429s the server sent, the calls that failed.
// Part B, one 429: no limit (and no rule); after PAUSE_AFTER_MS one request meets a 429 with
// `retry-after: 1`, and a fifth process of the same client joins during that second (started
// beforehand, it makes its store once the 429 has been answered).
// Measured: the requests any process already there sent within that second, apart from those sent
// while the news travels (the first NEWS_MS, in which no process can yet know), counted on their
// own; and the requests the late joiner sent within it.
//
// Each worker stamps each attempt when it hands it to the transport; the processes share the
// machine's clock (performance.timeOrigin + performance.now()).

import { startFleet } from '../examples/fleet-processes.mjs';
import { startFleetServer } from '../examples/fleet-server.mjs';

export const FLEET_PROCESSES = 4;
export const LIMIT = { max: 40, perMs: 1000 };
export const NEWS_MS = 20;
const PAUSE_AFTER_MS = 300;
const RULES = [{ name: 'fleet', max: LIMIT.max, perMs: LIMIT.perMs }];

/** The clients, each as a worker's settings; `redis` is filled in with the run's socket. */
export const FLEET_CLIENTS = [
  { name: 'plain axios', settings: { client: 'plain' } },
  { name: 'axios-retry (exponentialDelay)', settings: { client: 'axios-retry' } },
  { name: 'axios-box-status, memory store', settings: { client: 'plugin', rateLimit: RULES } },
  { name: 'axios-box-status, Redis store', settings: { client: 'plugin', rateLimit: RULES }, redis: true },
];
export const [, , FLEET_MEMORY, FLEET_REDIS] = FLEET_CLIENTS;

const now = () => performance.timeOrigin + performance.now();

/** Resolves once `server` has answered a 429. */
const refused = (server) =>
  new Promise((resolve) => {
    const check = setInterval(() => server.refusals.length > 0 && (clearInterval(check), resolve()), 2);
  });

/**
 * One run of a fleet against a fresh server; returns the server's log and the workers' totals.
 * `late`: a fifth process, of the same client, joins once the server has answered a 429, and
 * calls for that many ms.
 */
async function runFleet({ client, redisSocket, serverOptions, durationMs, concurrency, pauseBetweenMs, paced, during, late }) {
  const server = await startFleetServer(serverOptions);
  const { rateLimit, ...rest } = client.settings;
  const settings = {
    ...rest,
    ...(paced && rateLimit ? { rateLimit } : {}),
    ...(client.redis ? { redis: { path: redisSocket, client: 'ioredis' } } : {}),
    baseURL: server.url,
    retry: { baseDelayMs: 10 },
    concurrency,
    pauseBetweenMs,
  };
  let fleet;
  let joiner;
  try {
    // Started first (Node, its modules, its Redis client), it makes its store once the 429 is answered.
    const joining = late
      ? startFleet(1, { ...settings, durationMs: late, readyWhen: 'made' }, { names: ['late'], join: () => refused(server) })
      : undefined;
    fleet = await startFleet(FLEET_PROCESSES, { ...settings, durationMs });
    const started = now();
    fleet.go();
    await during?.(server);
    if (joining) {
      joiner = await joining;
      joiner.go();
    }
    const totals = [...(await fleet.done), ...(joiner ? await joiner.done : [])];
    return { server, totals, started };
  } finally {
    fleet?.kill();
    joiner?.kill();
    await server.close();
  }
}

const total = (totals, key) => totals.reduce((sum, worker) => sum + worker[key], 0);

/** Part A: the limit used, and the 429s met, per client. */
async function sharedLimit({ redisSocket, durationMs, progress }) {
  const results = new Map();
  for (const client of FLEET_CLIENTS) {
    progress(`scenario 7, a shared limit: ${client.name}`);
    const { server, totals, started } = await runFleet({
      client,
      redisSocket,
      serverOptions: { limit: LIMIT },
      paced: true,
      durationMs,
      concurrency: 2,
      pauseBetweenMs: 0,
    });
    const inRun = server.log.filter((entry) => entry.receivedAt >= started && entry.receivedAt < started + durationMs);
    const accepted = inRun.filter((entry) => entry.status === 200).length;
    results.set(client, {
      requestsPerSecond: (inRun.length * 1000) / durationMs,
      acceptedPerSecond: (accepted * 1000) / durationMs,
      used: accepted / ((LIMIT.max * durationMs) / LIMIT.perMs),
      refusals: server.refusals.length,
      calls: total(totals, 'sent'),
      failed: total(totals, 'failed'),
    });
  }
  return results;
}

/** Part B: the requests sent in the second after one 429, per client. */
async function onePause({ redisSocket, durationMs, progress }) {
  const results = new Map();
  for (const client of FLEET_CLIENTS) {
    progress(`scenario 7, one 429: ${client.name}`);
    const { server, totals } = await runFleet({
      client,
      redisSocket,
      serverOptions: {},
      durationMs,
      concurrency: 2,
      pauseBetweenMs: 15,
      during: async (fleetServer) => {
        await new Promise((resolve) => setTimeout(resolve, PAUSE_AFTER_MS));
        fleetServer.next429(1);
      },
      late: 1200,
    });
    const refusal = server.refusals[0];
    const sentIn = (from, to, late = false) =>
      server.log.filter((entry) => entry.sentAt !== undefined && entry.sentAt >= from && entry.sentAt < to && (entry.worker === 'late') === late).length;
    results.set(client, {
      seen: refusal !== undefined,
      whileNewsTravels: refusal ? sentIn(refusal.at, refusal.at + NEWS_MS) : NaN,
      inPause: refusal ? sentIn(refusal.at + NEWS_MS, refusal.at + refusal.retryAfterMs) : NaN,
      lateInPause: refusal ? sentIn(refusal.at, refusal.at + refusal.retryAfterMs, true) : NaN,
      before: refusal ? sentIn(-Infinity, refusal.at) : NaN,
      calls: total(totals, 'sent'),
      failed: total(totals, 'failed'),
    });
  }
  return results;
}

/**
 * Both parts, for every client. `durations` in ms: { limit, pause } (the pause part must outlast
 * PAUSE_AFTER_MS plus the 1 s pause).
 */
export async function fleetScenario({ redisSocket, durations, progress }) {
  const limit = await sharedLimit({ redisSocket, durationMs: durations.limit, progress });
  const pause = await onePause({ redisSocket, durationMs: durations.pause, progress });
  return { limit, pause, durations };
}
