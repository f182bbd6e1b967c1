// A stall is not an outage: a process whose event loop is held 200 ms (a GC pause, a large JSON
// parse) while a Redis command is under way stays in the fleet, and the 429 it meets just after
// pauses every other process. Real processes on the built package, a real Redis, either client.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module of the examples, without types
import { startFleetServer } from '../../examples/fleet-server.mjs';
import { everyWorker, nothingFrom, sentAfterLearning, startFleet, until, whoLearned, type Fleet, type SentRequest } from '../helpers/fleet.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

interface FleetServer {
  url: string;
  log: SentRequest[];
  refusals: Array<{ at: number; retryAfterMs: number }>;
  next429(retryAfterSeconds: number, worker?: string): void;
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

describe.each(['ioredis', 'node-redis'] as const)('%s', (client) => {
  it('a 200 ms stall in one process, then a 429 there: every other process learns of the pause and sends nothing into it', { timeout: 120_000 }, async () => {
    server = (await startFleetServer()) as FleetServer;
    fleet = await startFleet(3, {
      baseURL: server.url,
      redis: { path: redis.socket, client },
      // The store's default timeout (100 ms): the stall is twice that.
      concurrency: 2,
      durationMs: 30_000,
      pauseBetweenMs: 15,
      retry: { baseDelayMs: 10 },
    });
    fleet.go();
    await until(() => (server?.log.length ?? 0) >= 20, 60_000, 'the fleet busy');
    const stalled = fleet.next('w1', 'stalled');
    fleet.tell('w1', { type: 'stall', ms: 200 });
    await stalled;
    // Its next request meets the 429.
    server.next429(1, 'w1');
    await until(() => (server?.refusals.length ?? 0) > 0, 60_000, 'the 429');
    const refusal = server.refusals[0] as { at: number; retryAfterMs: number };
    const pause = { at: refusal.at, endsAt: refusal.at + refusal.retryAfterMs };
    await until(() => (server?.log.filter((entry) => (entry.sentAt ?? 0) >= pause.endsAt).length ?? 0) > 20, 60_000, 'requests after the pause');
    fleet.stop();
    const totals = await fleet.done;
    expect(totals.reduce((sum, worker) => sum + worker.failed, 0)).toBe(0);
    expect(whoLearned(totals, pause)).toEqual(everyWorker(totals, true));
    expect(sentAfterLearning(server.log, totals, pause)).toEqual(nothingFrom(totals));
  });
});
