// One process of the refresh-lease test (test/fleet/refresh-lease.test.ts), on the built package:
// a BoxAuth sharing its token through a real Redis, `calls` calls at once when told to go. It tells
// its parent when it starts a refresh (it then holds the store's lock), and how its calls ended.
//
//   argv[2]: { baseURL, tokenUrl, redisPath, worker, calls }
//   to the parent: { type: 'ready' }, { type: 'refreshing' }, { type: 'done', ok, failed, errors, lastAt }

import axios from 'axios';
import { Redis } from 'ioredis';
import { attachBoxStatus, boxClientCredentialsGrant, createBoxAuth } from 'axios-box-status';
import { createRedisStore } from 'axios-box-status/redis';

const { baseURL, tokenUrl, redisPath, worker, calls } = JSON.parse(process.argv[2] ?? '{}');
const tell = (message) => process.send?.({ worker, ...message });

const client = new Redis({ path: redisPath, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
client.on('error', () => {});
await new Promise((resolve) => client.once('ready', resolve));
const store = createRedisStore({ client, timeoutMs: 200 });
const ccg = boxClientCredentialsGrant({ clientId: 'fleet-client', clientSecret: 'fleet-secret-0000', subjectType: 'enterprise', subjectId: '1', tokenUrl });
const auth = createBoxAuth({
  origins: [baseURL],
  store,
  key: 'service',
  refresh: (context) => {
    tell({ type: 'refreshing' });
    return ccg(context);
  },
});
const instance = axios.create({ baseURL });
attachBoxStatus(instance, { auth });

process.on('message', async (message) => {
  if (message?.type !== 'go') return;
  const totals = { ok: 0, failed: 0, errors: [], lastAt: 0 };
  await Promise.all(
    Array.from({ length: calls }, async () => {
      try {
        await instance.get('/files/1');
        totals.ok += 1;
      } catch (error) {
        totals.failed += 1;
        totals.errors.push(String(error?.message ?? error));
      }
      totals.lastAt = performance.timeOrigin + performance.now();
    }),
  );
  tell({ type: 'done', ...totals });
  await store.close();
  await client.quit().catch(() => client.disconnect());
  process.disconnect?.();
});
tell({ type: 'ready' });
