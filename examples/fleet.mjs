// A fleet you can watch: three worker processes act for one Box user and share that user's rate
// limit through Redis, against a Box-like server that keeps the limit as Box does (a 429 with
// Retry-After above it). Every half second it prints how many requests of each process Box accepted in
// the last second, and of the whole fleet, against the limit, the 429s since the last line, and the
// limit the fleet paces itself to (its effective max: cut by a 429, climbing back by one a second).
// Halfway, Box answers one request with a 429 and `retry-after: 1`, and every process waits that
// second out; with --halve-at, Box instead halves its limit at that second, as it may under load,
// and the fleet learns the new one from Box's 429s.
//
//   npm run fleet                               # builds, then runs this for 8 seconds
//   node examples/fleet.mjs --seconds 20 --limit 60
//   npm run fleet -- --seconds 12 --halve-at 4  # Box halves its limit 4 s in
//   node examples/fleet.mjs --without-redis     # each process keeps the limit alone: 429s follow
//
// Needs redis-server (Debian: apt-get install redis-server); it starts its own, on a unix socket
// in a temp dir, and stops it at the end.

import { parseArgs } from 'node:util';
import { startFleet } from './fleet-processes.mjs';
import { startFleetServer } from './fleet-server.mjs';
import { RedisMissingError, startRedis } from './redis-server.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    limit: { type: 'string', default: '30' },
    workers: { type: 'string', default: '3' },
    'halve-at': { type: 'string' },
    'without-redis': { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const limit = Number(values.limit);
const workers = Number(values.workers);
const halveAt = values['halve-at'] === undefined ? undefined : Number(values['halve-at']);
for (const [name, value] of [['seconds', seconds], ['limit', limit], ['workers', workers], ...(halveAt === undefined ? [] : [['halve-at', halveAt]])]) {
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} must be a whole number from 1, received ${values[name]}`);
    process.exit(2);
  }
}
const shared = !values['without-redis'];

let redis;
if (shared) {
  try {
    redis = await startRedis();
  } catch (error) {
    if (!(error instanceof RedisMissingError)) throw error;
    console.error('This example needs redis-server. On Debian or Ubuntu: sudo apt-get install redis-server');
    console.error('(or set REDIS_SERVER to its path; or run it with --without-redis to see a fleet without one)');
    process.exit(1);
  }
}

const server = await startFleetServer({ limit: { max: limit, perMs: 1000 } });
let fleet;
try {
  fleet = await startFleet(workers, {
    baseURL: server.url,
    ...(redis ? { redis: { path: redis.socket, client: 'ioredis' } } : {}),
    rateLimit: [{ name: 'user', max: limit, perMs: 1000 }],
    concurrency: 2,
    durationMs: seconds * 1000,
    reportEveryMs: 500,
  });
  console.log(
    `${workers} processes, one Box user limited to ${limit} requests a second, ` +
      `${shared ? 'sharing the limit through Redis' : 'each keeping the limit alone (no Redis)'}; ${seconds} s.`,
  );
  const started = performance.now();
  fleet.go();

  // What Box saw in the last second, the span its limit counts over: per process, and the fleet's.
  const names = Array.from({ length: workers }, (_, i) => `w${i + 1}`);
  let seen = 0;
  const timer = setInterval(() => {
    const at = ((performance.now() - started) / 1000).toFixed(1).padStart(5);
    const since = performance.timeOrigin + performance.now() - 1000;
    const lastSecond = server.log.filter((entry) => entry.receivedAt >= since && entry.status === 200);
    const perProcess = names.map((name) => `${name} ${String(lastSecond.filter((entry) => entry.worker === name).length).padStart(3)}/s`);
    const refusals = server.refusals.length;
    const store = fleet.ticks.get('w1')?.store;
    // The limit the fleet paces itself to, as w1 last saw it in Redis (each process keeps its own without).
    const paced = store?.limits.find((rule) => rule.name === 'user')?.effectiveMax;
    console.log(
      `${at} s  ${perProcess.join('  ')}  | fleet ${String(lastSecond.length).padStart(3)}/s of ${server.limit.max}/s` +
        `  | 429s ${String(refusals - seen).padStart(3)}` +
        (paced === undefined ? '' : `  | paced at ${String(paced).padStart(3)}/s`) +
        (store ? `  | Redis ${store.shared ? `shared by ${store.processes} processes` : 'gone: each process keeps its share'}` : ''),
    );
    seen = refusals;
  }, 500);
  const halfway = setTimeout(
    () => {
      if (halveAt === undefined) {
        console.log('        Box answers one request with 429, retry-after: 1: every process waits that second');
        server.next429(1);
      } else {
        const lowered = Math.max(1, Math.floor(limit / 2));
        console.log(`        Box lowers its limit to ${lowered}/s, as it may under load: the fleet learns it from Box's 429s`);
        server.setLimit(lowered);
      }
    },
    (halveAt ?? seconds / 2) * 1000,
  );

  const totals = await fleet.done;
  clearInterval(timer);
  clearTimeout(halfway);
  const ok = totals.reduce((sum, worker) => sum + worker.ok, 0);
  const failed = totals.reduce((sum, worker) => sum + worker.failed, 0);
  const elapsed = (performance.now() - started) / 1000;
  console.log(
    `done: ${ok} calls succeeded, ${failed} failed, ${(ok / elapsed).toFixed(1)}/s against a limit of ${limit}/s` +
      `${halveAt === undefined ? '' : `, ${server.limit.max}/s from ${halveAt} s`}; ` +
      `Box answered ${server.refusals.length} 429s${halveAt === undefined ? ', one of them on purpose' : ` after it halved its limit at ${halveAt} s`}.`,
  );
} finally {
  fleet?.kill();
  await server.close();
  await redis?.close();
}
