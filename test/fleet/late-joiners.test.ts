// A process that starts during a pause, or whose store is made just as one is published, sends
// nothing into it: with and without rateLimit (a rule the requests do not match: a rule that
// matches them would ask Redis for a slot, and be told of the pause), with either client. Real
// processes on the built package, a real Redis; the pause is set through a store of this process.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module of the examples, without types
import { startFleetServer } from '../../examples/fleet-server.mjs';
import { createRedisStore, type BoxRedisStore } from '../../src/redis/index.js';
import { startFleet, type Fleet, type SentRequest, type WorkerTotals } from '../helpers/fleet.js';
import { redisClient, type TestRedisClient } from '../helpers/redis-clients.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

interface FleetServer {
  url: string;
  log: SentRequest[];
  close(): Promise<void>;
}

let redis: RedisServer;
let server: FleetServer | undefined;
const fleets: Fleet[] = [];
let setter: { client: TestRedisClient; store: BoxRedisStore } | undefined;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.close();
});
afterEach(async () => {
  for (const fleet of fleets.splice(0)) fleet.kill();
  await server?.close();
  server = undefined;
  await setter?.store.close();
  await setter?.client.close();
  setter = undefined;
});

const now = (): number => performance.timeOrigin + performance.now();

/** This process's store on the fleet's Redis (the default prefix): what sets the pause. */
async function pauser(): Promise<BoxRedisStore> {
  const client = await redisClient('ioredis', redis.socket);
  const store = createRedisStore({ client: client.client });
  setter = { client, store };
  return store;
}

const SEARCHES_ONLY = [{ name: 'searches', max: 6, perMs: 1000, match: 'search' }];

/** Every mix of client and rateLimit: one worker each, named after it. */
const MIXES = [
  ['ioredis', undefined],
  ['ioredis', SEARCHES_ONLY],
  ['node-redis', undefined],
  ['node-redis', SEARCHES_ONLY],
] as const;

/**
 * One worker of each mix, ready as soon as its store is made, calling for `durationMs` once told to
 * go; `join` is done once all have started (their Redis clients connected) and before any makes its store.
 */
async function startMixes(durationMs: number, join?: () => Promise<void>): Promise<Fleet> {
  const names = MIXES.map(([client, rateLimit]) => `${client}${rateLimit ? ', searches rule' : ''}`);
  const each = Object.fromEntries(
    MIXES.map(([client, rateLimit], i) => [names[i] as string, { redis: { path: redis.socket, client }, ...(rateLimit ? { rateLimit } : {}) }]),
  );
  const fleet = await startFleet(
    MIXES.length,
    // A generous timeout: what is tested is what a store learns, not how slow Redis may be.
    { baseURL: (server as FleetServer).url, readyWhen: 'made', timeoutMs: 1000, concurrency: 2, durationMs, pauseBetweenMs: 10 },
    { names, each, ...(join ? { join } : {}) },
  );
  fleets.push(fleet);
  return fleet;
}

/** What each worker sent before `endsAt`: nothing may be. */
const sentBefore = (totals: readonly WorkerTotals[], endsAt: number): Record<string, number[]> =>
  Object.fromEntries(
    totals.map((worker) => [
      worker.worker,
      (server as FleetServer).log
        .filter((entry) => entry.worker === worker.worker && entry.sentAt !== undefined && entry.sentAt < endsAt)
        .map((entry) => Math.round(endsAt - (entry.sentAt as number))),
    ]),
  );
const nothing = (totals: readonly WorkerTotals[]) => Object.fromEntries(totals.map((worker) => [worker.worker, []]));

describe('a process that starts during a pause', () => {
  it('sends nothing into a 3 s pause Redis holds, with or without rateLimit, with either client', { timeout: 120_000 }, async () => {
    server = (await startFleetServer()) as FleetServer;
    const store = await pauser();
    let pausedAt = 0;
    // Every process has started; then the pause, then they make their stores.
    const fleet = await startMixes(300, async () => {
      // Its end: no sooner than 3 s after this moment.
      pausedAt = now();
      store.pause('default', 3000);
    });
    expect(now() - pausedAt).toBeLessThan(3000);
    fleet.go();
    const totals = await fleet.done;
    expect(totals.reduce((sum, worker) => sum + worker.failed, 0)).toBe(0);
    expect(sentBefore(totals, pausedAt + 3000)).toEqual(nothing(totals));
    // Each sent once the pause was over.
    for (const worker of totals) expect(worker.ok, worker.worker).toBeGreaterThanOrEqual(1);
  });
});

describe('a pause published as the processes\' stores are being made', () => {
  it('is not missed: no process sends into it', { timeout: 120_000 }, async () => {
    server = (await startFleetServer()) as FleetServer;
    const store = await pauser();
    let pausedAt = 0;
    const fleet = await startMixes(300, async () => {
      // Set as the processes are told to make their stores: it lands while they make them, before
      // any subscription of theirs is live.
      setTimeout(() => {
        pausedAt = now();
        store.pause('default', 1000);
      }, 0);
    });
    expect(pausedAt).toBeGreaterThan(0);
    fleet.go();
    const totals = await fleet.done;
    expect(totals.reduce((sum, worker) => sum + worker.failed, 0)).toBe(0);
    expect(sentBefore(totals, pausedAt + 1000)).toEqual(nothing(totals));
    for (const worker of totals) expect(worker.ok, worker.worker).toBeGreaterThanOrEqual(1);
  });
});
