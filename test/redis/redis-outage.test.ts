// The Redis store when Redis is slow, stopped, gone or back, or the process itself is held up:
// a real redis-server (killed, restarted, frozen with SIGSTOP), each client the store takes.
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachBoxStatus } from '../../src/index.js';
import { ok, startBoxServer } from '../helpers/box-server.js';
import { REDIS_CLIENT_KINDS, redisClient, type RedisClientKind } from '../helpers/redis-clients.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { closeAfterEach, eventually, freshPrefix, sharing, singleTarget, track, trackedStore } from '../helpers/redis-targets.js';
import { lagMonitor, sleep } from '../helpers/time.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.close();
});
closeAfterEach();

/** A store of a client of `kind`, under a prefix of the test's own unless given. */
async function store(kind: RedisClientKind, prefix = freshPrefix(), timeoutMs?: number) {
  const client = track('clients', await redisClient(kind, redis.socket));
  return trackedStore(client, { prefix, ...(timeoutMs ? { timeoutMs } : {}) });
}

/** Hold this process's event loop for `ms` (a GC pause, a large JSON parse). */
function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

describe('when Redis is slow or gone', () => {
  it('no call fails: the store answers from this process at once, and shares again when Redis is back', async () => {
    const a = await store('ioredis', 'outage:', 50);
    const rules = [{ name: 'calls', max: 4, perMs: 60_000 }];
    expect(await a.acquire('u', rules)).toBe(0);
    await redis.kill();
    try {
      const started = Date.now();
      // Alone (1 process seen), its share is the whole limit: 4, counted here from now on.
      const waits = [];
      for (let i = 0; i < 5; i += 1) waits.push(await a.acquire('u', rules));
      expect(Date.now() - started).toBeLessThan(500);
      expect(waits.filter((wait) => wait === 0)).toHaveLength(4);
      expect(a.status().shared).toBe(false);
      a.pause('u', 300);
      expect(a.pauseMs('u')).toBeGreaterThan(200);
      await a.writeToken('svc', { accessToken: 'kept-here-0000' });
      expect(await a.readToken('svc')).toMatchObject({ accessToken: 'kept-here-0000' });
      expect(await a.lockRefresh('svc', 1000)).toBe(true);
      expect(await a.lockRefresh('svc', 1000)).toBe(false);
      // A lease taken here while Redis is away: its holder carries on renewing it.
      expect(await a.lockRefresh('svc-2', 1000, 'refresh-1')).toBe(true);
      expect(await a.renewRefresh?.('svc-2', 1000, 'refresh-1')).toBe(true);
    } finally {
      await redis.restart();
    }
    // After the back-off, the next command finds Redis again.
    await sleep(1100);
    await eventually(() => {
      void a.acquire('v', rules);
      return a.status().shared;
    }, 3000);
  });

  it('an instance on a store whose Redis is gone still sends every call', async () => {
    const api = await startBoxServer();
    track('servers', api);
    api.script('/files/1', [ok]);
    const a = await store('node-redis 6', 'outage2:', 50);
    const instance = axios.create({ baseURL: api.url });
    attachBoxStatus(instance, { store: a, rateLimit: { rules: [{ name: 'calls', max: 100, perMs: 1000 }] } });
    await redis.kill();
    try {
      const results = await Promise.all(Array.from({ length: 10 }, () => instance.get('/files/1')));
      expect(results.every((res) => res.status === 200)).toBe(true);
    } finally {
      await redis.restart();
    }
  });
});

describe('a store made while Redis is away', () => {
  it.each(['ioredis', 'node-redis 6'] as const)('%s: close() does not wait for Redis to come back', async (kind) => {
    const client = track('clients', await redisClient(kind, redis.socket));
    await redis.kill();
    try {
      const away = trackedStore(client, { prefix: 'away:', timeoutMs: 50 });
      await sleep(100);
      const started = performance.now();
      await away.close();
      expect(performance.now() - started).toBeLessThan(500);
    } finally {
      await redis.restart();
    }
  });


  it('subscribes once Redis is back, and hears the pauses of the others', async () => {
    const client = track('clients', await redisClient('ioredis', redis.socket));
    await redis.kill();
    const late = trackedStore(client, { prefix: 'late:', timeoutMs: 50 });
    await sleep(150);
    // Not shared until Redis has answered once.
    expect(late.status().shared).toBe(false);
    await redis.restart();
    const other = await store('node-redis 6', 'late:');
    await eventually(() => late.status().shared && late.status().processes === 2, 5000);
    await sleep(100);
    other.pause('u', 2000);
    await eventually(() => late.pauseMs('u') > 1000, 2000);
  });
});

describe.each(REDIS_CLIENT_KINDS)('%s: Redis stopped, gone, or slow to be read', (kind) => {
  it('close() returns within timeoutMs + 100 ms while Redis answers nothing (SIGSTOP)', async () => {
    const a = await store(kind, freshPrefix(), 100);
    await sharing(a);
    redis.stop();
    try {
      const lag = lagMonitor();
      const started = performance.now();
      await a.close();
      const took = performance.now() - started;
      // The figure, and what this machine's timers ran late by meanwhile.
      expect(took).toBeLessThanOrEqual(100 + 100 + lag.stop());
    } finally {
      redis.resume();
    }
  });

  it('a stall is not an outage: a reply read late because the process was busy counts, and a pause set just after reaches the others', async () => {
    const prefix = freshPrefix('stall');
    const [a, b] = [await store(kind, prefix, 200), await store(kind, prefix, 200)];
    await sharing(a, b);
    // A command under way when the event loop is held 1 s (five times timeoutMs): its reply
    // arrives meanwhile (however busy the machine), and is read only after the timer has run.
    const reading = a.readToken('svc');
    stall(1000);
    await reading;
    expect(a.status().shared).toBe(true);
    a.pause('u', 1000);
    await eventually(() => b.pauseMs('u') > 500);
  });

  it('a pause set while Redis was gone is written and published once Redis answers again, if still in force', async () => {
    const prefix = freshPrefix('unsent');
    const [a, b] = [await store(kind, prefix, 500), await store(kind, prefix, 500)];
    await sharing(a, b);
    await redis.kill();
    try {
      // Once the store has found Redis gone (so that no client's offline queue holds the pauses for later).
      await a.readToken('svc');
      expect(a.status().shared).toBe(false);
      a.pause('long', 4000);
      a.pause('short', 30);
      await sleep(300);
    } finally {
      await redis.restart();
    }
    const admin = await singleTarget(kind, () => redis.socket).admin();
    await eventually(async () => Number(await admin.call('PTTL', `${prefix}{s:long}:pause`)) > 0);
    expect(Number(await admin.call('PTTL', `${prefix}{s:long}:pause`))).toBeGreaterThan(2000);
    // The others have it: heard (when subscribed by then), else read on the scope's first use.
    await b.learnPause?.('long');
    expect(b.pauseMs('long')).toBeGreaterThan(2000);
    // Over before Redis came back: nothing to write.
    expect(await admin.call('PTTL', `${prefix}{s:short}:pause`)).toBe(-2);
  });

  it.each(['stopped (SIGSTOP) for a second', 'killed, then restarted a second later'] as const)(
    'sharing is back within 1.1 s of Redis answering again, after it was %s',
    async (how) => {
      const prefix = freshPrefix('back');
      const [a, b] = [await store(kind, prefix, 100), await store(kind, prefix, 100)];
      await sharing(a, b);
      if (how.startsWith('stopped')) redis.stop();
      else await redis.kill();
      let answeringAt = 0;
      let lag: { stop(): number };
      try {
        // The store notices at its next command (a beat, or this one).
        void a.readToken('svc');
        await eventually(() => !a.status().shared, 3000);
        await sleep(1000);
      } finally {
        if (how.startsWith('stopped')) redis.resume();
        else await redis.restart();
        answeringAt = performance.now();
        lag = lagMonitor();
      }
      await eventually(() => a.status().shared, 5000);
      const took = performance.now() - answeringAt;
      expect(took).toBeLessThanOrEqual(1100 + lag.stop());
      // Shared indeed: a pause set by the other reaches it.
      b.pause('u', 1000);
      await eventually(() => a.pauseMs('u') > 500);
    },
  );
});
