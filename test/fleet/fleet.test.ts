// A fleet: several real Node processes acting for one Box user, sharing its limits through one
// real Redis. The workers run the built package (npm test builds first); the Box-like server
// stamps when each request was sent and when it answered 429.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module of the examples, without types
import { startFleetServer } from '../../examples/fleet-server.mjs';
import { startFleet, type Fleet } from '../helpers/fleet.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { sleep } from '../helpers/time.js';

interface LogEntry {
  receivedAt: number;
  sentAt: number | undefined;
  worker: string;
  status: number;
}
interface FleetServer {
  url: string;
  log: LogEntry[];
  refusals: Array<{ at: number; retryAfterMs: number }>;
  issuedTokens(): number;
  next429(retryAfterSeconds: number): void;
  expireTokens(): void;
  close(): Promise<void>;
}

// The news of a 429 travels from the process that got it to the others through Redis (a script,
// then a message): a few milliseconds on loopback (0 to 4 in runs here), more on a loaded machine.
// Requests sent within that first moment cannot be held, and are counted apart: at most one per
// loop of each process, as none of them may start another after the news.
const NEWS_MS = 20;

/** Requests sent while the news of a 429 travels. */
function sentWhileNewsTravels(log: LogEntry[], refusal: { at: number }): LogEntry[] {
  return log.filter((entry) => entry.sentAt !== undefined && entry.sentAt >= refusal.at && entry.sentAt < refusal.at + NEWS_MS);
}

let redis: RedisServer;
let server: FleetServer | undefined;
let fleet: Fleet | undefined;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.close();
});
afterEach(async () => {
  fleet?.kill();
  fleet = undefined;
  await server?.close();
  server = undefined;
});

/** Requests sent within the pause of a 429: after the news had time to arrive, before it ended. */
function sentDuringPause(log: LogEntry[], refusal: { at: number; retryAfterMs: number }): LogEntry[] {
  return log.filter((entry) => entry.sentAt !== undefined && entry.sentAt >= refusal.at + NEWS_MS && entry.sentAt < refusal.at + refusal.retryAfterMs);
}

describe.each(['ioredis', 'node-redis'] as const)('four processes, %s', (client) => {
  it('one 429 with retry-after: 1: no process sends during that second, and every call succeeds', async () => {
    server = (await startFleetServer()) as FleetServer;
    fleet = await startFleet(4, {
      baseURL: server.url,
      redis: { path: redis.socket, client },
      concurrency: 2,
      durationMs: 1800,
      pauseBetweenMs: 15,
      retry: { baseDelayMs: 10 },
    });
    fleet.go();
    await sleep(300);
    server.next429(1);
    const totals = await fleet.done;
    expect(totals.reduce((sum, worker) => sum + worker.failed, 0)).toBe(0);
    expect(server.refusals).toHaveLength(1);
    const refusal = server.refusals[0] as { at: number; retryAfterMs: number };
    expect(refusal.retryAfterMs).toBe(1000);
    // When each request sent within the pause went, after the 429 (none should have).
    expect(sentDuringPause(server.log, refusal).map((entry) => Math.round((entry.sentAt as number) - refusal.at))).toEqual([]);
    expect(sentWhileNewsTravels(server.log, refusal).length).toBeLessThanOrEqual(4 * 2);
    // The fleet was busy before and after: the quiet second is the pause, not idleness.
    expect(server.log.filter((entry) => entry.sentAt !== undefined && entry.sentAt < refusal.at).length).toBeGreaterThan(20);
    expect(server.log.filter((entry) => (entry.sentAt ?? 0) >= refusal.at + refusal.retryAfterMs).length).toBeGreaterThan(20);
  });
});

describe('Redis gone, then back', () => {
  it('no call fails while Redis is down, and once it is back a pause holds every process again', async () => {
    server = (await startFleetServer()) as FleetServer;
    fleet = await startFleet(3, {
      baseURL: server.url,
      redis: { path: redis.socket, client: 'ioredis' },
      rateLimit: [{ name: 'calls', max: 1000, perMs: 1000 }],
      concurrency: 2,
      durationMs: 6000,
      pauseBetweenMs: 15,
      retry: { baseDelayMs: 10 },
      reportEveryMs: 100,
    });
    fleet.go();
    await sleep(400);
    await redis.kill();
    await sleep(600);
    await redis.restart();
    // Each process finds Redis again after its back-off.
    const until = Date.now() + 4000;
    const shared = (): boolean => fleet !== undefined && [...fleet.ticks.values()].filter((tick) => tick.store?.shared).length === 3;
    while (!shared() && Date.now() < until) await sleep(50);
    expect(shared()).toBe(true);
    server.next429(1);
    const totals = await fleet.done;
    expect(totals.reduce((sum, worker) => sum + worker.failed, 0)).toBe(0);
    const refusal = server.refusals[0] as { at: number; retryAfterMs: number };
    expect(sentDuringPause(server.log, refusal).map((entry) => Math.round((entry.sentAt as number) - refusal.at))).toEqual([]);
  });
});

describe('a token expired for every process', () => {
  it('one refresh for all, under the store\'s lock', async () => {
    server = (await startFleetServer({ tokens: true })) as FleetServer;
    fleet = await startFleet(4, {
      baseURL: server.url,
      redis: { path: redis.socket, client: 'node-redis' },
      auth: { tokenUrl: `${server.url}/oauth2/token` },
      concurrency: 2,
      durationMs: 1500,
      pauseBetweenMs: 10,
      reportEveryMs: 100,
    });
    fleet.go();
    await sleep(500);
    // Four processes started with no token: one fetched it, the others read it from Redis.
    expect(server.issuedTokens()).toBe(1);
    server.expireTokens();
    const totals = await fleet.done;
    expect(totals.reduce((sum, worker) => sum + worker.failed, 0)).toBe(0);
    // Every process met a 401; one refreshed, the others took its token.
    expect(server.issuedTokens()).toBe(2);
    expect(server.log.filter((entry) => entry.status === 401).length).toBeGreaterThanOrEqual(4);
  });
});
