// A fleet: several real Node processes acting for one Box user, sharing its limits through one
// real Redis. The workers run the built package (npm test builds first); the Box-like server
// stamps when each request was sent and when it answered 429; each worker notes when it learned
// of each pause. No test waits a fixed time for the fleet to be ready or busy: it asks.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module of the examples, without types
import { startFleetServer } from '../../examples/fleet-server.mjs';
import { everyWorker, nothingFrom, sentAfterLearning, sentWhileNewsTravelled, startFleet, until, whoLearned, type Fleet, type SentRequest } from '../helpers/fleet.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { sleep } from '../helpers/time.js';

interface LogEntry extends SentRequest {
  receivedAt: number;
}
interface FleetServer {
  url: string;
  log: LogEntry[];
  refusals: Array<{ at: number; retryAfterMs: number }>;
  issuedTokens(): number;
  next429(retryAfterSeconds: number, worker?: string): void;
  expireTokens(): void;
  close(): Promise<void>;
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

/** Until the server has had `count` requests: the fleet is busy. */
const busy = (count: number): Promise<void> => until(() => (server?.log.length ?? 0) >= count, 60_000, `${count} requests`);

/** Requests sent after the pause of the first refusal ended. */
const afterPause = (at: FleetServer): number => {
  const refusal = at.refusals[0];
  return refusal ? at.log.filter((entry) => (entry.sentAt ?? 0) >= refusal.at + refusal.retryAfterMs).length : 0;
};

/** The pause a refusal started, on the machine's clock. */
const spanOf = (refusal: { at: number; retryAfterMs: number }) => ({ at: refusal.at, endsAt: refusal.at + refusal.retryAfterMs });

describe.each(['ioredis', 'node-redis'] as const)('four processes, %s', (client) => {
  it('one 429 with retry-after: 1: every process learns of it within that second and sends nothing after, and every call succeeds', { timeout: 120_000 }, async () => {
    server = (await startFleetServer()) as FleetServer;
    fleet = await startFleet(4, {
      baseURL: server.url,
      redis: { path: redis.socket, client },
      // What is tested is how the news travels, not how slow Redis may be on a busy machine.
      timeoutMs: 1000,
      concurrency: 2,
      durationMs: 20_000,
      pauseBetweenMs: 15,
      retry: { baseDelayMs: 10 },
    });
    fleet.go();
    await busy(20);
    server.next429(1);
    // Busy after the pause too, then done.
    await until(() => afterPause(server as FleetServer) > 20, 60_000, 'requests after the pause');
    fleet.stop();
    const totals = await fleet.done;
    expect(totals.reduce((sum, worker) => sum + worker.failed, 0)).toBe(0);
    expect(server.refusals).toHaveLength(1);
    const refusal = server.refusals[0] as { at: number; retryAfterMs: number };
    expect(refusal.retryAfterMs).toBe(1000);
    const pause = spanOf(refusal);
    expect(whoLearned(totals, pause)).toEqual(everyWorker(totals, true));
    // What each process sent within the pause after it knew of it: nothing.
    expect(sentAfterLearning(server.log, totals, pause)).toEqual(nothingFrom(totals));
    // Before it knew (the news travelling: a script, then a message), no more than its loops could.
    for (const worker of sentWhileNewsTravelled(server.log, totals, pause, 2, 15)) expect(worker.sent, JSON.stringify(worker)).toBeLessThanOrEqual(worker.most);
    // The fleet was busy before and after: the quiet second is the pause, not idleness.
    expect(server.log.filter((entry) => entry.sentAt !== undefined && entry.sentAt < refusal.at).length).toBeGreaterThan(20);
    expect(server.log.filter((entry) => (entry.sentAt ?? 0) >= pause.endsAt).length).toBeGreaterThan(20);
  });
});

describe('Redis gone, then back', () => {
  it('no call fails while Redis is down, and once it is back a pause holds every process again', { timeout: 120_000 }, async () => {
    server = (await startFleetServer()) as FleetServer;
    fleet = await startFleet(3, {
      baseURL: server.url,
      redis: { path: redis.socket, client: 'ioredis' },
      timeoutMs: 1000,
      rateLimit: [{ name: 'calls', max: 1000, perMs: 1000 }],
      concurrency: 2,
      durationMs: 30_000,
      pauseBetweenMs: 15,
      retry: { baseDelayMs: 10 },
    });
    fleet.go();
    await busy(20);
    await redis.kill();
    // The outage: six tenths of a second.
    await sleep(600);
    await redis.restart();
    // Each process finds Redis again, and its subscription.
    const shared = async (): Promise<boolean> => [...(await (fleet as Fleet).status()).values()].every((status) => status?.shared);
    await until(shared, 60_000, 'every process sharing again');
    server.next429(1);
    await until(() => afterPause(server as FleetServer) > 20, 60_000, 'requests after the pause');
    fleet.stop();
    const totals = await fleet.done;
    expect(totals.reduce((sum, worker) => sum + worker.failed, 0)).toBe(0);
    const pause = spanOf(server.refusals[0] as { at: number; retryAfterMs: number });
    expect(whoLearned(totals, pause)).toEqual(everyWorker(totals, true));
    expect(sentAfterLearning(server.log, totals, pause)).toEqual(nothingFrom(totals));
  });
});

describe('a token expired for every process', () => {
  it('one refresh for all, under the store\'s lock', { timeout: 120_000 }, async () => {
    server = (await startFleetServer({ tokens: true })) as FleetServer;
    fleet = await startFleet(4, {
      baseURL: server.url,
      redis: { path: redis.socket, client: 'node-redis' },
      auth: { tokenUrl: `${server.url}/oauth2/token` },
      concurrency: 2,
      durationMs: 1500,
      pauseBetweenMs: 10,
      reportEveryMs: 50,
    });
    fleet.go();
    // Every process has had a call succeed.
    await until(() => fleet?.ticks.size === 4 && [...fleet.ticks.values()].every((tick) => tick.ok > 0), 60_000, 'a call of each process');
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
