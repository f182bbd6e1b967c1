// One worker of a fleet: a Node process that calls Box for one user, sharing that user's limits
// with every other worker through Redis. Started by examples/fleet.mjs (and by the fleet tests
// and benchmark) with its settings as JSON in argv[2]; it tells its parent how it is doing.
//
//   { baseURL, worker, redis?: { path, client: 'ioredis' | 'node-redis', options?, timeoutMs? }, timeoutMs?,
//     readyWhen?: 'shared' | 'made', joinWhenTold?, client?: 'plugin' | 'axios-retry' | 'plain', rateLimit?: rules,
//     auth?: { tokenUrl }, concurrency, durationMs, pauseBetweenMs?, retry?: policy, reportEveryMs? }
//
// redis.options: the client's own (ioredis: enableOfflineQueue, lazyConnect, autoResubscribe...;
// node-redis: disableOfflineQueue...), as an app may set them. readyWhen: 'shared' (the default)
// reports ready once the store shares (Redis answers and its subscription is live), 'made' as
// soon as the store is made (the moment a process that just started is most exposed).
// joinWhenTold: once connected to Redis, it says { type: 'loaded' } and waits for { type: 'join' }
// before it makes its store.
//
// To its parent: { type: 'ready', shared }, then (after { type: 'go' }) { type: 'tick', ... } every
// reportEveryMs, and { type: 'done', sent, ok, failed, errors, learned } at the end. `learned`:
// when this process learned of each pause (a pause its store did not have, or a longer one), as
// { at, ms }, at on the machine's clock (performance.timeOrigin + performance.now(), as the
// requests' x-sent-at). It answers { type: 'status' } with { type: 'status', store }; ends its
// loops after their current calls on { type: 'stop' } (durationMs is then the most they run); and
// { type: 'stall', ms } with { type: 'stalled' } after holding its event loop that long while a
// Redis command is under way (as a GC pause or a large JSON parse would).

import http from 'node:http';
import axios from 'axios';
import axiosRetry from 'axios-retry';
import { attachBoxStatus, boxClientCredentialsGrant, createBoxAuth } from 'axios-box-status';
import { createRedisStore } from 'axios-box-status/redis';

const settings = JSON.parse(process.argv[2] ?? '{}');
const { baseURL, worker = String(process.pid), concurrency = 1, durationMs = 1000, pauseBetweenMs = 0 } = settings;
const tell = (message) => process.send?.(message);

const now = () => performance.timeOrigin + performance.now();

// The client's module, loaded before anything else (it is the slow part of connecting).
const clientModule = settings.redis ? await import(settings.redis.client === 'node-redis' ? 'redis' : 'ioredis') : undefined;

async function redisClient({ path, client: kind, options = {} }) {
  if (kind === 'node-redis') {
    const { createClient } = clientModule;
    const client = createClient({ socket: { path, reconnectStrategy: () => 50 }, ...options });
    client.on('error', () => {});
    await client.connect();
    return { client, close: () => client.close().catch(() => client.destroy()) };
  }
  const { Redis } = clientModule;
  const client = new Redis({ path, maxRetriesPerRequest: 1, retryStrategy: () => 50, ...options });
  client.on('error', () => {});
  // A lazy client connects on the store's first command.
  if (!options.lazyConnect) await new Promise((resolve) => client.once('ready', resolve));
  return { client, close: () => (client.status === 'ready' ? client.quit().catch(() => client.disconnect()) : client.disconnect()) };
}

const redis = settings.redis ? await redisClient(settings.redis) : undefined;
// Told to, it makes its store only once its parent says so: a process that has started (Node,
// its modules and its Redis client: the slow part on a busy machine) and now joins the fleet.
if (settings.joinWhenTold) {
  const told = new Promise((resolve) => process.on('message', (message) => message?.type === 'join' && resolve()));
  tell({ type: 'loaded', worker });
  await told;
}
const storeTimeoutMs = settings.timeoutMs ?? settings.redis?.timeoutMs;
const store = redis ? createRedisStore({ client: redis.client, ...(storeTimeoutMs ? { timeoutMs: storeTimeoutMs } : {}) }) : undefined;

// Every attempt is stamped when it is handed to the transport, so the server can tell when it was
// sent (the plugin calls this adapter once per attempt, retries included).
const http_ = axios.getAdapter('http');
const stamped = (config) => {
  config.headers.set('x-sent-at', String(now()));
  config.headers.set('x-worker', worker);
  return http_(config);
};
const instance = axios.create({ baseURL, adapter: stamped, httpAgent: new http.Agent({ keepAlive: true, maxSockets: concurrency }) });

const totals = { sent: 0, ok: 0, failed: 0, errors: {} };
// When this process learned of each pause: the first time its store said so, to the plugin
// (which asks before each send) or to a look every 2 ms.
const learned = [];
let knownUntil = 0;
const noted = (ms) => {
  const at = now();
  if (ms > 0 && at + ms > knownUntil + 5) learned.push({ at, ms });
  if (ms > 0) knownUntil = Math.max(knownUntil, at + ms);
  return ms;
};
const watch = () => noted(store.pauseMs());
// The plugin's view of the store: the same store, its answers to "is there a pause?" noted.
const watched = store && Object.create(store, { pauseMs: { value: (scope) => noted(store.pauseMs(scope)) } });

const kind = settings.client ?? 'plugin';
if (kind === 'plugin') {
  attachBoxStatus(instance, {
    retry: settings.retry ?? {},
    ...(store ? { store: watched } : {}),
    ...(settings.rateLimit ? { rateLimit: { rules: settings.rateLimit } } : {}),
    ...(settings.auth
      ? {
          auth: createBoxAuth({
            origins: [baseURL],
            refresh: boxClientCredentialsGrant({
              clientId: 'fleet-client',
              clientSecret: 'fleet-secret-0000',
              subjectType: 'enterprise',
              subjectId: '1',
              tokenUrl: settings.auth.tokenUrl,
            }),
            ...(store ? { store, key: 'service' } : {}),
          }),
        }
      : {}),
  });
} else if (kind === 'axios-retry') {
  axiosRetry(instance, { retries: 4, retryDelay: axiosRetry.exponentialDelay });
}

let lastTick = { at: performance.now(), ok: 0 };

function tick() {
  const at = performance.now();
  const rate = ((totals.ok - lastTick.ok) * 1000) / Math.max(1, at - lastTick.at);
  lastTick = { at, ok: totals.ok };
  tell({ type: 'tick', worker, ...totals, rate, store: store?.status() });
}

/** When the loops stop starting calls: after durationMs, or sooner when told to stop. */
let until = Infinity;

async function run() {
  until = Math.min(until, performance.now() + durationMs);
  const loop = async () => {
    while (performance.now() < until) {
      totals.sent += 1;
      try {
        await instance.get('/files/1');
        totals.ok += 1;
      } catch (error) {
        totals.failed += 1;
        const key = error?.response?.status ? `status ${error.response.status}` : String(error?.code ?? error?.message);
        totals.errors[key] = (totals.errors[key] ?? 0) + 1;
      }
      if (pauseBetweenMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseBetweenMs));
    }
  };
  const ticker = settings.reportEveryMs ? setInterval(tick, settings.reportEveryMs) : undefined;
  const watcher = store ? setInterval(watch, 2) : undefined;
  await Promise.all(Array.from({ length: concurrency }, loop));
  clearInterval(ticker);
  clearInterval(watcher);
  tick();
  tell({ type: 'done', worker, ...totals, learned });
}

/** Hold the event loop `ms` while a Redis command is under way: its reply arrives meanwhile, unread. */
function stall(ms) {
  const reading = store?.readToken('stall');
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy, as a GC pause or a large JSON parse
  }
  return reading;
}

process.on('message', (message) => {
  if (message?.type === 'status') tell({ type: 'status', worker, store: store?.status() });
  if (message?.type === 'stop') until = 0;
  if (message?.type === 'stall') {
    void stall(message.ms);
    tell({ type: 'stalled', worker });
  }
  if (message?.type !== 'go') return;
  run()
    .catch((error) => tell({ type: 'crash', worker, error: String(error?.stack ?? error) }))
    .finally(async () => {
      await store?.close();
      await redis?.close();
      process.disconnect?.();
    });
});
// Ready once the store shares (Redis answers, and its subscription is live), unless told to
// report as soon as the store is made.
if (store && settings.readyWhen !== 'made') {
  const until = performance.now() + 10_000;
  while (!store.status().shared && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
}
tell({ type: 'ready', worker, shared: store?.status().shared });
