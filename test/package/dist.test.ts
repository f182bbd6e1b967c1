import { execFile } from 'node:child_process';
import diagnostics_channel from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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
  'BOX_CHANNELS',
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
  'withBoxStatus',
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

describe('the events of the built package', () => {
  it('the ESM and the CommonJS copies publish on the same channels', async () => {
    const heard: unknown[] = [];
    const onMessage = (message: unknown): void => void heard.push(message);
    diagnostics_channel.subscribe(esm.BOX_CHANNELS.retry, onMessage);
    try {
      expect(cjs.BOX_CHANNELS).toEqual(esm.BOX_CHANNELS);
      for (const [path, copy] of [['/esm', esm], ['/cjs', cjs]] as const) {
        server.script(path, [{ status: 503, body: boxError(503, 'unavailable', 'Unavailable') }, { status: 200, body: {} }]);
        const instance = axios.create({ baseURL: server.url });
        copy.attachBoxStatus(instance, { retry: { baseDelayMs: 1, jitter: 'none' } });
        await instance.get(path);
      }
    } finally {
      diagnostics_channel.unsubscribe(esm.BOX_CHANNELS.retry, onMessage);
    }
    expect(heard).toHaveLength(2);
    expect(heard[0]).toMatchObject({ method: 'GET', attempt: 2, status: 503, reason: 'status 503' });
    expect(heard[1]).toEqual({ ...(heard[0] as object), url: `${server.url}/cjs` });
  });

  // A runtime without diagnostics_channel (a browser, Node before 20.16, a polyfilled process):
  // the plugin works as ever and publishes nothing. Each in a fresh Node process, where the
  // built entry is first imported after process.getBuiltinModule has gone, throws, or finds nothing.
  it.each([
    ['process.getBuiltinModule missing', 0, 'delete process.getBuiltinModule;'],
    ['process.getBuiltinModule throwing', 0, "process.getBuiltinModule = () => { throw new Error('no builtins here'); };"],
    ['process.getBuiltinModule without diagnostics_channel', 0, 'process.getBuiltinModule = () => undefined;'],
    // The same script with the runtime as it is: its subscribers hear the retry and the give-up.
    ['the runtime as it is (the control)', 2, ''],
  ])('%s: calls retry and settle as ever; messages heard: %i', async (_what, messages, setup) => {
    server.script('/x', [{ status: 503, body: boxError(503, 'unavailable', 'Unavailable') }, { status: 200, body: {} }]);
    server.script('/gone', [{ status: 404, body: boxError(404, 'not_found', 'Not Found') }]);
    const entry = new URL('../../dist/index.js', import.meta.url).href;
    const script = `
      import diagnostics_channel from 'node:diagnostics_channel';
      const heard = [];
      ${setup}
      const { attachBoxStatus, BOX_CHANNELS } = await import(${JSON.stringify(entry)});
      for (const name of Object.values(BOX_CHANNELS)) diagnostics_channel.subscribe(name, (m) => heard.push(m));
      const { default: axios } = await import('axios');
      const instance = axios.create({ baseURL: process.env.API });
      attachBoxStatus(instance, { retry: { baseDelayMs: 1, jitter: 'none' } });
      const res = await instance.get('/x');
      const error = await instance.get('/gone').catch((e) => e);
      console.log(JSON.stringify({ attempts: res.boxStatus.attempts, gone: error.name, heard: heard.length }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, API: server.url },
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      timeout: 20_000,
    });
    expect(JSON.parse(stdout)).toEqual({ attempts: 2, gone: 'BoxClientError', heard: messages });
  });
});
