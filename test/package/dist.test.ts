import { createRequire } from 'node:module';
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { boxError, useBoxServer } from '../helpers/box-server.js';

// `npm test` builds first; these load the built files as a user's Node would.
const require = createRequire(import.meta.url);
const esm = await import('../../dist/index.js');
const cjs = require('../../dist/index.cjs') as typeof esm;

const redisEsm = await import('../../dist/redis/index.js');
const redisCjs = require('../../dist/redis/index.cjs') as typeof redisEsm;

const jwtEsm = await import('../../dist/jwt/index.js');
const jwtCjs = require('../../dist/jwt/index.cjs') as typeof jwtEsm;

const NAMES = [
  'BOX_RATE_LIMITS',
  'BOX_RETRY_DEFAULTS',
  'BoxApiError',
  'BoxAuthRefreshError',
  'BoxClientError',
  'BoxRateLimitError',
  'BoxServerError',
  'attachBoxStatus',
  'boxClientCredentialsGrant',
  'boxRefreshTokenGrant',
  'classifyStatus',
  'createBoxAuth',
  'createMemoryStore',
  'isBoxApiError',
  'isBoxAuthRefreshError',
  'isBoxClientError',
  'isBoxRateLimitError',
  'isBoxServerError',
  'parseRetryAfter',
];

const server = useBoxServer();

describe('the built package', () => {
  it('exports the same named API through import and require, and no default', () => {
    expect(Object.keys(esm).sort()).toEqual(NAMES);
    expect(Object.keys(cjs).filter((k) => k !== '__esModule').sort()).toEqual(NAMES);
    expect(esm.classifyStatus(503)).toBe('server-error');
    expect(cjs.parseRetryAfter('2')).toBe(2000);
  });

  it('exports createRedisStore alone through import and require of axios-box-status/redis', () => {
    expect(Object.keys(redisEsm)).toEqual(['createRedisStore']);
    expect(Object.keys(redisCjs).filter((k) => k !== '__esModule')).toEqual(['createRedisStore']);
    for (const { createRedisStore } of [redisEsm, redisCjs]) {
      expect(() => createRedisStore({ client: {} })).toThrow(
        new TypeError(
          'axios-box-status: createRedisStore.client must be an ioredis or node-redis client (new Redis(), createClient()), received an object',
        ),
      );
    }
  });

  it('exports boxJwtGrant alone through import and require of axios-box-status/jwt', () => {
    expect(Object.keys(jwtEsm)).toEqual(['boxJwtGrant']);
    expect(Object.keys(jwtCjs).filter((k) => k !== '__esModule')).toEqual(['boxJwtGrant']);
    for (const { boxJwtGrant } of [jwtEsm, jwtCjs]) {
      expect(() => boxJwtGrant({ config: { boxAppSettings: {} } as never })).toThrow(
        new TypeError("axios-box-status: boxJwtGrant.config.boxAppSettings.appAuth must be an object, as in Box's app config, received undefined"),
      );
    }
  });

  it('guards of one copy recognise errors of the other copy', async () => {
    server.script('/x', [{ status: 429, body: boxError(429, 'rate_limit_exceeded', 'Slow down') }]);
    const instance = axios.create({ baseURL: server.url });
    esm.attachBoxStatus(instance, { retry: false });
    const error = await instance.get('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(esm.BoxRateLimitError);
    expect(error).not.toBeInstanceOf(cjs.BoxRateLimitError);
    expect(cjs.isBoxApiError(error)).toBe(true);
    expect(cjs.isBoxClientError(error)).toBe(true);
    expect(cjs.isBoxRateLimitError(error)).toBe(true);
    expect(cjs.isBoxServerError(error)).toBe(false);
  });

  it('attaching the ESM copy and then the CJS copy to one instance does not double retries', async () => {
    server.script('/x', [{ status: 503, body: boxError(503, 'unavailable', 'Unavailable') }]);
    const instance = axios.create({ baseURL: server.url });
    esm.attachBoxStatus(instance, { retry: { retries: 1, baseDelayMs: 1 } });
    cjs.attachBoxStatus(instance, { retry: { retries: 1, baseDelayMs: 1 } });
    const error = await instance.get('/x').catch((e: unknown) => e);
    expect(cjs.isBoxServerError(error)).toBe(true);
    expect(server.count('/x')).toBe(2);
  });
});
