// Recipe: a fleet: every process shares one Box user's rate limits, pauses and token through Redis.
// Needs: redis-server
// Run it: npm run example fleet-redis (starts its own redis-server). Run the same code in every
// process of the fleet; `npm run fleet` shows three of them live. Set REDIS_URL for your Redis.
// @ts-check
import axios from 'axios';
import { Redis } from 'ioredis';
import { attachBoxStatus, boxClientCredentialsGrant, createBoxAuth } from 'axios-box-status';
import { createRedisStore } from 'axios-box-status/redis';

const API = process.env.BOX_API_BASE_URL ?? 'https://api.box.com/2.0';
const UPLOAD = process.env.BOX_UPLOAD_BASE_URL ?? 'https://upload.box.com/api/2.0';

/** @param {string} name */
function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}`);
  return value;
}

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const store = createRedisStore({ client: redis });
const auth = createBoxAuth({
  refresh: boxClientCredentialsGrant({
    clientId: env('BOX_CLIENT_ID'),
    clientSecret: env('BOX_CLIENT_SECRET'),
    subjectType: 'enterprise',
    subjectId: env('BOX_ENTERPRISE_ID'),
    tokenUrl: process.env.BOX_TOKEN_URL,
  }),
  origins: [new URL(API).origin, new URL(UPLOAD).origin],
  store, // one process refreshes, the others use its token
  key: `ccg:${env('BOX_CLIENT_ID')}`, // whose token: one key per app and user
});
const box = axios.create({ baseURL: API });
// rateLimit: true paces every process under Box's per-user limits (search: 6 a second).
const handle = attachBoxStatus(box, { auth, store, rateLimit: true });

const started = performance.now();
const words = ['report', 'budget', 'hands', '2026', 'pdf', 'xlsx', 'mp4', '03'];
const found = await Promise.all(words.map((query) => box.get('/search', { params: { query } })));
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`${found.length} searches in ${seconds} s, under 6 a second; ${handle.stats().retries} retried after a 429`);
console.log(`Redis shared: ${store.status().shared}`);

// Before the process exits: the store's subscription and heartbeat, then your client.
await store.close();
await redis.quit();
