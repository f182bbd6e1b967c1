// Processes whose Redis client is set up as production apps often set it (ioredis without an
// offline queue, lazily connected, or without auto-resubscription, after a Redis restart) learn of
// another process's pause and send nothing into it once they know. Real processes on the built
// package, a real Redis; a fourth process, with a default client, meets the 429.
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

const SETUPS: Record<string, Record<string, unknown>> = {
  'enableOfflineQueue: false': { enableOfflineQueue: false },
  'lazyConnect: true': { lazyConnect: true },
  'autoResubscribe: false': { autoResubscribe: false },
};

describe('ioredis set up as production apps often set it', () => {
  it('enableOfflineQueue: false, lazyConnect: true, autoResubscribe: false (after a Redis restart): each learns of a pause and sends nothing into it', { timeout: 120_000 }, async () => {
    server = (await startFleetServer()) as FleetServer;
    const names = [...Object.keys(SETUPS), 'default'];
    fleet = await startFleet(
      names.length,
      { baseURL: server.url, timeoutMs: 1000, concurrency: 2, durationMs: 30_000, pauseBetweenMs: 15, retry: { baseDelayMs: 10 } },
      { names, each: Object.fromEntries(names.map((name) => [name, { redis: { path: redis.socket, client: 'ioredis', options: SETUPS[name] ?? {} } }])) },
    );
    // A Redis restart: every process must find it again, its subscription included.
    await redis.kill();
    await redis.restart();
    const shared = async (): Promise<boolean> => [...(await (fleet as Fleet).status()).values()].every((status) => status?.shared);
    await until(shared, 60_000, 'every process sharing again');
    fleet.go();
    await until(() => (server?.log.length ?? 0) >= 20, 60_000, 'the fleet busy');
    server.next429(1, 'default');
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
