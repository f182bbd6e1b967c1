// The refresh lock is a lease: the process that refreshes holds it a few seconds at a time and
// renews it while its refresh runs. Killed while it refreshes (SIGKILL: no finally, no unlock),
// its lease lapses, another process refreshes, and the calls waiting in every other process
// succeed. Real processes on the built package (npm test builds first), a real Redis.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ok } from '../helpers/box-server.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { sleep } from '../helpers/time.js';
import { startTokenWorld, type TokenWorld } from '../helpers/token-world.js';

const WORKER = fileURLToPath(new URL('./lease-worker.mjs', import.meta.url));

interface Done {
  worker: string;
  ok: number;
  failed: number;
  errors: string[];
  lastAt: number;
}

let redis: RedisServer;
let world: TokenWorld | undefined;
const children: ChildProcess[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.close();
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await world?.close();
  world = undefined;
});

it('the process refreshing is killed mid-refresh: its lease lapses, another refreshes, every other process\'s calls succeed within 8 s', { timeout: 30_000 }, async () => {
  world = await startTokenWorld();
  const tokens = world;
  tokens.script('/files/1', [ok]);
  // The first refresh hangs: its process is killed while it waits. The next one is answered.
  tokens.tokens.script('/oauth2/token', (count) => (count === 1 ? { hang: true } : { status: 200, body: { access_token: tokens.mint(), expires_in: 3600 } }));
  const refreshing: string[] = [];
  const done = new Map<string, Done>();
  const workers = new Map<string, ChildProcess>();
  await Promise.all(
    ['w1', 'w2', 'w3'].map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          const settings = { baseURL: tokens.api.url, tokenUrl: tokens.tokenUrl, redisPath: redis.socket, worker, calls: 5 };
          const child = fork(WORKER, [JSON.stringify(settings)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
          children.push(child);
          workers.set(worker, child);
          child.on('message', (message: { type: string } & Done) => {
            if (message.type === 'ready') resolve();
            if (message.type === 'refreshing') refreshing.push(worker);
            if (message.type === 'done') done.set(worker, message);
          });
          child.once('exit', (code, signal) => {
            if (!done.has(worker) && signal !== 'SIGKILL') reject(new Error(`${worker} exited with ${code}`));
          });
        }),
    ),
  );
  for (const child of workers.values()) child.send({ type: 'go' });
  // Gate on readiness: a process has taken the lock and its token request has reached the endpoint.
  while (refreshing.length === 0 || tokens.tokenRequests().length === 0) await sleep(10);
  const holder = refreshing[0] as string;
  expect(refreshing).toEqual([holder]);
  (workers.get(holder) as ChildProcess).kill('SIGKILL');
  const killedAt = performance.timeOrigin + performance.now();
  const others = [...workers.keys()].filter((worker) => worker !== holder);
  while (others.some((worker) => !done.has(worker)) && performance.timeOrigin + performance.now() - killedAt < 15_000) await sleep(20);
  for (const worker of others) {
    const totals = done.get(worker) as Done;
    expect(totals).toMatchObject({ ok: 5, failed: 0 });
    expect(totals.lastAt - killedAt).toBeLessThan(8000);
  }
  // One more refresh, by one of the others, once the dead holder's lease lapsed; the third read its token.
  expect(tokens.tokenRequests()).toHaveLength(2);
  expect(refreshing).toHaveLength(2);
  expect(refreshing[1]).not.toBe(holder);
  expect(tokens.api.log.filter((request) => request.path === '/files/1')).toHaveLength(10);
});
