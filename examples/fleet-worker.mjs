// One worker of a fleet: a Node process that calls Box for one user, sharing that user's limits
// with every other worker through Redis. Started by examples/fleet.mjs (and by the fleet tests
// and benchmark) with its settings as JSON in argv[2]; it tells its parent how it is doing.
//
//   { baseURL, worker, redis?: { path, client: 'ioredis' | 'node-redis', timeoutMs? (50) }, client?: 'plugin' |
//     'axios-retry' | 'plain', rateLimit?: rules, auth?: { tokenUrl }, concurrency, durationMs,
//     pauseBetweenMs?, retry?: policy, reportEveryMs? }
//
// To its parent: { type: 'ready' }, then (after { type: 'go' }) { type: 'tick', ... } every
// reportEveryMs, and { type: 'done', sent, ok, failed, errors } at the end.

import http from 'node:http';
import axios from 'axios';
import axiosRetry from 'axios-retry';
import { attachBoxStatus, boxClientCredentialsGrant, createBoxAuth } from 'axios-box-status';
import { createRedisStore } from 'axios-box-status/redis';

const settings = JSON.parse(process.argv[2] ?? '{}');
const { baseURL, worker = String(process.pid), concurrency = 1, durationMs = 1000, pauseBetweenMs = 0 } = settings;
const tell = (message) => process.send?.(message);

async function redisClient({ path, client: kind }) {
  if (kind === 'node-redis') {
    const { createClient } = await import('redis');
    const client = createClient({ socket: { path, reconnectStrategy: () => 50 } });
    client.on('error', () => {});
    await client.connect();
    return { client, close: () => client.close().catch(() => client.destroy()) };
  }
  const { Redis } = await import('ioredis');
  const client = new Redis({ path, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  client.on('error', () => {});
  await new Promise((resolve) => client.once('ready', resolve));
  return { client, close: () => client.quit().catch(() => client.disconnect()) };
}

const redis = settings.redis ? await redisClient(settings.redis) : undefined;
const store = redis ? createRedisStore({ client: redis.client, timeoutMs: settings.redis.timeoutMs ?? 50 }) : undefined;

// Every attempt is stamped when it is handed to the transport, so the server can tell when it was
// sent (the plugin calls this adapter once per attempt, retries included).
const http_ = axios.getAdapter('http');
const stamped = (config) => {
  config.headers.set('x-sent-at', String(performance.timeOrigin + performance.now()));
  config.headers.set('x-worker', worker);
  return http_(config);
};
const instance = axios.create({ baseURL, adapter: stamped, httpAgent: new http.Agent({ keepAlive: true, maxSockets: concurrency }) });

const kind = settings.client ?? 'plugin';
if (kind === 'plugin') {
  attachBoxStatus(instance, {
    retry: settings.retry ?? {},
    ...(store ? { store } : {}),
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

const totals = { sent: 0, ok: 0, failed: 0, errors: {} };
let lastTick = { at: performance.now(), ok: 0 };

function tick() {
  const at = performance.now();
  const rate = ((totals.ok - lastTick.ok) * 1000) / Math.max(1, at - lastTick.at);
  lastTick = { at, ok: totals.ok };
  tell({ type: 'tick', worker, ...totals, rate, store: store?.status() });
}

async function run() {
  const until = performance.now() + durationMs;
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
  await Promise.all(Array.from({ length: concurrency }, loop));
  clearInterval(ticker);
  tick();
  tell({ type: 'done', worker, ...totals });
}

process.on('message', (message) => {
  if (message?.type !== 'go') return;
  run()
    .catch((error) => tell({ type: 'crash', worker, error: String(error?.stack ?? error) }))
    .finally(async () => {
      await store?.close();
      await redis?.close();
      process.disconnect?.();
    });
});
tell({ type: 'ready', worker });
