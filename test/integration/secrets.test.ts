import { inspect } from 'node:util';
import axios, { AxiosError, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, it } from 'vitest';
import { deadlineError } from '../../src/retry/deadline.js';
import { BoxClientError, BoxServerError, attachBoxStatus, isBoxApiError } from '../../src/index.js';
import { settlePlainError as finishPlainError } from '../../src/errors/settle.js';
import { boxError, ok, refusedPort, tooMany, unavailable, useBoxServer } from '../helpers/box-server.js';
import { TOKEN, boxClient, rejection } from '../helpers/client.js';
import { shownSecrets } from '../helpers/renderings.js';

const server = useBoxServer();

const QUERY_TOKEN = 'query-secret-token-987654';
const PARAM_TOKEN = 'param-secret-token-135790';
const BODY_SECRET = 'body-client-secret-246802';
const FRESH = 'fresh-token-set-in-onretry-42';
const LINK_PASSWORD = 'shared-link-password-2468';
const SECRETS = [TOKEN, QUERY_TOKEN, PARAM_TOKEN, BODY_SECRET, FRESH, LINK_PASSWORD];

/** No secret in any rendering of the error, nor of an error on its cause chain. */
function expectNoSecrets(error: unknown): void {
  expect(shownSecrets(error, SECRETS)).toEqual([]);
}

interface Path {
  name: string;
  /** Script the server and make the call that fails; credentials go in all three places. */
  fail(): Promise<unknown>;
  /** What the failure is. */
  expect(error: any): void;
}

const credentials = {
  params: { access_token: PARAM_TOKEN, fields: 'name' },
  data: { client_secret: BODY_SECRET },
};
const url = (path: string): string => `${path}?access_token=${QUERY_TOKEN}`;
const withQuery = url;
const params = { access_token: PARAM_TOKEN };

const paths: Path[] = [
  {
    name: '4xx',
    fail: async () => {
      server.script('/files/1', [{ status: 404, body: boxError(404, 'not_found', `No such file for Bearer ${TOKEN}`) }]);
      return rejection(boxClient(server).instance.put(url('/files/1'), credentials.data, credentials));
    },
    expect: (error) => {
      expect(error.name).toBe('BoxClientError');
      expect(error.boxMessage).toBe('No such file for [REDACTED]');
    },
  },
  {
    name: '429 exhausted',
    fail: async () => {
      server.script('/files/1', [tooMany('0')]);
      return rejection(boxClient(server, { retries: 1 }).instance.put(url('/files/1'), credentials.data, credentials));
    },
    expect: (error) => {
      expect(error.name).toBe('BoxRateLimitError');
      expect(error.attempts).toBe(2);
    },
  },
  {
    name: '5xx exhausted',
    fail: async () => {
      server.script('/files/1', [unavailable]);
      return rejection(boxClient(server, { retries: 2 }).instance.put(url('/files/1'), credentials.data, credentials));
    },
    expect: (error) => {
      expect(error.name).toBe('BoxServerError');
      expect(error.attempts).toBe(3);
    },
  },
  {
    name: 'budget-refused',
    fail: async () => {
      server.script('/files/1', [unavailable]);
      const { instance } = boxClient(server, { retries: 1, budget: { maxTokens: 5, retryCost: 5 } });
      await rejection(instance.get('/files/1'));
      return rejection(instance.put(url('/files/1'), credentials.data, credentials));
    },
    expect: (error) => {
      expect(error.name).toBe('BoxServerError');
      expect(error.attempts).toBe(1);
      expect(error.notRetriedReason).toMatch(/^the retry budget is empty/);
    },
  },
  {
    name: 'deadline, while a 5xx was being retried',
    fail: async () => {
      server.script('/files/1', [unavailable]);
      const { instance } = boxClient(server, { retries: 4, baseDelayMs: 200, maxDelayMs: 200, deadlineMs: 100 });
      return rejection(instance.put(url('/files/1'), credentials.data, credentials));
    },
    expect: (error) => {
      expect(error.name).toBe('BoxServerError');
      expect(error.notRetriedReason).toMatch(/^deadlineMs \(100 ms\) would pass during the 200 ms wait/);
    },
  },
  {
    name: 'deadline, with no answer at all',
    fail: async () => {
      server.script('/files/1', [{ hang: true }]);
      const { instance } = boxClient(server, { deadlineMs: 60 });
      return rejection(instance.put(url('/files/1'), credentials.data, credentials));
    },
    expect: (error) => {
      expect(isBoxApiError(error)).toBe(false);
      expect(error.code).toBe('ETIMEDOUT');
      expect(error.boxNotRetriedReason).toMatch(/^deadlineMs \(60 ms\) ran out during attempt 1/);
    },
  },
  {
    name: 'network: connection refused',
    fail: async () => {
      const port = await refusedPort();
      const { instance } = boxClient(server, { retries: 1 }, { baseURL: `http://127.0.0.1:${port}` });
      return rejection(instance.put(url('/files/1'), credentials.data, credentials));
    },
    expect: (error) => {
      expect(error.code).toBe('ECONNREFUSED');
      expect(error.boxAttempts).toBe(2);
    },
  },
  {
    name: 'network: socket dropped',
    fail: async () => {
      server.script('/files/1', [{ destroy: true }]);
      return rejection(boxClient(server, { retries: 1 }).instance.put(url('/files/1'), credentials.data, credentials));
    },
    expect: (error) => {
      expect(error.code).toBe('ECONNRESET');
      expect(error.boxAttempts).toBe(2);
    },
  },
  {
    name: 'network: axios timeout',
    fail: async () => {
      server.script('/files/1', [{ hang: true }]);
      const { instance } = boxClient(server, { retries: 0 }, { timeout: 30 });
      return rejection(instance.put(url('/files/1'), credentials.data, credentials));
    },
    expect: (error) => {
      expect(error.code).toBe('ECONNABORTED');
    },
  },
  {
    name: 'cancelled before it was sent',
    fail: async () => {
      const { instance } = boxClient(server);
      return rejection(instance.put(url('/files/1'), credentials.data, { ...credentials, signal: AbortSignal.abort() }));
    },
    expect: (error) => {
      expect(error.code).toBe('ERR_CANCELED');
    },
  },
];

describe('no credential in any rendering of an error, from every path', () => {
  it.each(paths)('$name', async (path) => {
    const error = await path.fail();
    path.expect(error);
    expectNoSecrets(error);
    // Still there for a caller's own code, only not listed.
    expect(Object.keys(error as object)).not.toEqual(expect.arrayContaining(['config']));
    expect((error as AxiosError).config?.headers?.Authorization).toBe(`Bearer ${TOKEN}`);
    // The renderings still say what happened.
    const shown = inspect(error, { depth: 6 });
    expect(shown).toContain((error as Error).message);
    expect(shown).toContain('access_token=[REDACTED]');
  });

  it('util.inspect names the class and shows the Box fields', async () => {
    const error = await paths[0]!.fail();
    const shown = inspect(error, { depth: 6 });
    expect(shown).toMatch(/^BoxClientError: Box API 404 not_found: No such file for \[REDACTED\] \(request req-not_found\)\n/);
    expect(shown).toContain("boxCode: 'not_found'");
    expect(shown).toContain("kind: 'client-error'");
    const plain = await paths.find((path) => path.name === 'network: socket dropped')!.fail();
    // axios names the errors it wraps after the original (here Node's `Error`).
    expect(inspect(plain).startsWith(`${(plain as Error).name}: socket hang up (after 2 attempts)\n`)).toBe(true);
    expect(inspect(plain)).toContain('boxAttempts: 2');
  });
});

// axios builds the Basic header from `auth` inside its adapters, outside config.headers: the
// plugin must know its value to scrub a server's echo of it.
describe('basic auth: the header axios builds from `auth` is scrubbed from an echo', () => {
  const auth = { username: 'client-id-1', password: 'basic-secret-pw' };
  const basic = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');

  it.each([
    ['http', 404, 'BoxClientError'],
    ['http', 503, 'BoxServerError'],
    ['fetch', 404, 'BoxClientError'],
  ] as const)('%s adapter, %s', async (adapter, status, name) => {
    server.script('/files/1', (_count, request) => ({
      status,
      body: boxError(status, 'echo', `bad header ${request.headers.authorization}`, `req ${request.headers.authorization}`),
    }));
    const { instance } = boxClient(server, { retries: 1 }, { auth, adapter, headers: {} });
    const error = await rejection(instance.get('/files/1'));
    expect(error.name).toBe(name);
    // The echo was real: the server saw the header, and the message keeps the text around it.
    expect(server.log[0]!.headers.authorization).toBe(`Basic ${basic}`);
    expect(error.boxMessage).toBe('bad header Basic [REDACTED]');
    expect(shownSecrets(error, [basic, auth.password])).toEqual([]);
  });
});

// The renderings are redacted, the error itself is not: error.config is the request as sent, so
// the caller can send it again once the cause is dealt with.
describe('a caller can still retry a caught error by hand', () => {
  it.each(paths.filter((path) => path.name !== 'network: connection refused'))('$name', async (path) => {
    const error = (await path.fail()) as AxiosError;
    server.script('/files/1', [ok]);
    const sentBefore = server.log.length;
    const { instance } = boxClient(server);
    // A fresh signal: the cancelled path's own has aborted for good.
    const response = await instance.request({ ...error.config!, signal: new AbortController().signal });
    expect(response.status).toBe(200);
    const resent = server.log.slice(sentBefore);
    expect(resent).toHaveLength(1);
    expect(resent[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(resent[0]!.url).toContain(`access_token=${QUERY_TOKEN}`);
    expect(resent[0]!.url).toContain(`access_token=${PARAM_TOKEN}`);
    expect(JSON.parse(resent[0]!.body)).toEqual({ client_secret: BODY_SECRET });
  });
});

describe('credentials never appear in errors', () => {
  it('4xx: message, JSON.stringify and toJSON are clean; the URL is redacted', async () => {
    server.script('/files/1', [{ status: 401, body: boxError(401, 'unauthorized', 'Unauthorized') }]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.get(`/files/1?access_token=${QUERY_TOKEN}&fields=name`));
    expectNoSecrets(error);
    const json = error.toJSON();
    expect(json).toMatchObject({ name: 'BoxClientError', status: 401, boxCode: 'unauthorized', method: 'GET' });
    expect(json.url).toBe(`${server.url}/files/1?access_token=[REDACTED]&fields=name`);
    expect(json).not.toHaveProperty('config');
    // The caller can still re-send it by hand.
    expect(error.config.headers.Authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('a token echoed by the server is scrubbed from message and fields', async () => {
    server.script('/echo', [{ status: 400, body: boxError(400, 'bad_request', `Bad header Bearer ${TOKEN}`) }]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.get('/echo'));
    expectNoSecrets(error);
    expect(error.boxMessage).toBe('Bad header [REDACTED]');
  });

  it('a token set by onRetry is redacted too, and error.config carries it for a re-send', async () => {
    server.script('/echo', (_n, request) => ({
      status: 503,
      body: boxError(503, 'unavailable', `echo ${String(request.headers.authorization)}`),
    }));
    const { instance } = boxClient(server, {
      retries: 1,
      onRetry: (event) => {
        event.config.headers.set('Authorization', `Bearer ${FRESH}`);
      },
    });
    const error = await rejection(instance.get('/echo'));
    expect(server.log.map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${FRESH}`]);
    expect(error.message).toBe('Box API 503 unavailable: echo [REDACTED] (request req-unavailable) after 2 attempts');
    expect(JSON.stringify(error)).not.toContain(FRESH);
    expect(error.config.headers.Authorization).toBe(`Bearer ${FRESH}`);
  });

  it('5xx exhausted', async () => {
    server.script('/x', [{ status: 500, body: boxError(500, 'internal_server_error', 'Oops') }]);
    const { instance } = boxClient(server, { retries: 1 });
    const error = await rejection(instance.get(`/x?token=${QUERY_TOKEN}`));
    expectNoSecrets(error);
    expect(inspect(error.toJSON(), { depth: 6 })).not.toContain(TOKEN);
  });

  it('network errors: axios’s toJSON (which dumps headers) is replaced', async () => {
    const port = await refusedPort();
    const { instance } = boxClient(server, { retries: 0 }, { baseURL: `http://127.0.0.1:${port}` });
    const error = await rejection(instance.post('/oauth2/token', `refresh_token=${QUERY_TOKEN}&client_secret=${QUERY_TOKEN}`));
    expect(error.code).toBe('ECONNREFUSED');
    expectNoSecrets(error);
    expect(error.toJSON()).toMatchObject({ code: 'ECONNREFUSED', boxAttempts: 1, method: 'POST' });
  });
});

describe('the cause of a Box error is redacted as the error is', () => {
  it('a 4xx: its cause (axios\'s own rejection) shows no credential, and still carries the response', async () => {
    server.script('/files/1', [{ status: 404, body: boxError(404, 'not_found', 'Not found') }]);
    const error = await rejection(boxClient(server).instance.get(withQuery('/files/1'), { params }));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error.cause).toBeInstanceOf(AxiosError);
    expect(error.cause.response.status).toBe(404);
    expect(shownSecrets(error, SECRETS)).toEqual([]);
    expect(inspect(error.cause)).toContain('access_token=[REDACTED]');
  });

  it('an exhausted 5xx whose retry got a fresh token from onRetry: the engine\'s rejection shows neither token', async () => {
    server.script('/files/1', [unavailable]);
    const { instance } = boxClient(server, {
      retries: 1,
      onRetry: (event) => {
        event.config.headers.set('Authorization', `Bearer ${FRESH}`);
      },
    });
    const error = await rejection(instance.get(withQuery('/files/1'), { params }));
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.attempts).toBe(2);
    expect(server.log.map((request) => request.headers.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${FRESH}`]);
    expect(shownSecrets(error, SECRETS)).toEqual([]);
  });

  it('a 4xx through the fetch adapter', async () => {
    server.script('/files/1', [{ status: 403, body: boxError(403, 'forbidden', 'Forbidden') }]);
    const error = await rejection(boxClient(server, {}, { adapter: 'fetch' }).instance.get(withQuery('/files/1'), { params }));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(shownSecrets(error, SECRETS)).toEqual([]);
  });

  it('a deadline error whose cause is the attempt\'s own timeout', () => {
    const config = {
      url: withQuery('/files/1'),
      params,
      headers: axios.AxiosHeaders.from({ Authorization: `Bearer ${TOKEN}` }),
    } as unknown as InternalAxiosRequestConfig;
    const timeout = new AxiosError('timeout of 50ms exceeded', 'ECONNABORTED', config);
    const error = finishPlainError(deadlineError(config, 'deadlineMs (50 ms) ran out', timeout), config, 1, 'deadline');
    expect((error as Error).cause).toBe(timeout);
    expect(shownSecrets(error, SECRETS)).toEqual([]);
  });
});

describe('a URL axios cannot parse does not carry its credentials into the error', () => {
  // No baseURL: a relative URL, as when the base URL's setting is missing.
  const unparsable = (adapter: 'http' | 'fetch') => {
    const instance = axios.create({ adapter, headers: { Authorization: `Bearer ${TOKEN}` } });
    attachBoxStatus(instance);
    return rejection(instance.get(withQuery('/files/1'), { params }));
  };

  it('the http adapter (Node\'s TypeError keeps the URL as `input`)', async () => {
    const error = await unparsable('http');
    expect(error.code).toBe('ERR_INVALID_URL');
    expect(shownSecrets(error, SECRETS)).toEqual([]);
  });

  it('the fetch adapter (undici puts the URL in the message, axios the message in its own)', async () => {
    const error = await unparsable('fetch');
    expect(error).toBeInstanceOf(AxiosError);
    expect(error.message).toMatch(/^Failed to parse URL from \/files\/1\?access_token=\[REDACTED\]/);
    expect(shownSecrets(error, SECRETS)).toEqual([]);
  });
});

describe('an axios error that carries axios\'s own toJSON as its own property', () => {
  // axios 1.7's AxiosError.from copies every property of the error it wraps, the toJSON of its
  // prototype included: its fetch adapter rejects a timeout so. This adapter wraps the real
  // http adapter's rejection the same way.
  const http = axios.getAdapter('http');
  const wrapLikeAxios17 = (config: InternalAxiosRequestConfig) =>
    http(config).catch((error: AxiosError) => {
      const wrapper = new AxiosError(error.message, error.code, error.config, error.request, error.response);
      throw Object.assign(wrapper, { toJSON: AxiosError.prototype.toJSON, cause: error });
    });

  it('a timeout: JSON.stringify and util.inspect show no credential', async () => {
    server.script('/files/1', [{ hang: true }]);
    const { instance } = boxClient(server, { retries: 0 }, { adapter: wrapLikeAxios17, timeout: 30 });
    const error = await rejection(instance.get(withQuery('/files/1'), { params }));
    expect(error.code).toBe('ECONNABORTED');
    expect(Object.keys(error.toJSON()).sort()).toEqual(
      ['boxAttempts', 'boxNotRetriedReason', 'code', 'message', 'method', 'name', 'stack', 'status', 'url'],
    );
    expect(shownSecrets(error, SECRETS)).toEqual([]);
  });
});

describe('the BoxApi header', () => {
  it('a shared link password the server echoes on its own is scrubbed, not only the whole header', async () => {
    const link = 'https://app.box.com/s/abcdef1234567890';
    server.script('/shared_items', [
      { status: 403, body: boxError(403, 'forbidden', `Wrong shared_link_password=${LINK_PASSWORD} for ${link}`) },
    ]);
    const error = await rejection(
      boxClient(server).instance.get('/shared_items', {
        headers: { BoxApi: `shared_link=${link}&shared_link_password=${LINK_PASSWORD}` },
      }),
    );
    expect(error.boxMessage).toBe('Wrong shared_link_password=[REDACTED] for [REDACTED]');
    expect(shownSecrets(error, SECRETS)).toEqual([]);
  });
});

describe('credentials set by onRetry outside the headers', () => {
  it('a token moved into the URL is redacted, and error.config carries the URL sent', async () => {
    const FRESH = 'FRESH-QUERY-TOKEN-7777';
    server.script('/f', (_n, request) => ({ status: 503, body: boxError(503, 'unavailable', `echo ${request.url}`) }));
    const { instance } = boxClient(server, {
      retries: 1,
      onRetry: (event) => {
        event.config.url = `/f?access_token=${FRESH}`;
      },
    });
    const error = await rejection(instance.get('/f'));
    expect(server.log.map((r) => r.url)).toEqual(['/f', `/f?access_token=${FRESH}`]);
    expect(error.message).not.toContain(FRESH);
    expect(JSON.stringify(error)).not.toContain(FRESH);
    expect(error.config.url).toBe(`/f?access_token=${FRESH}`);
  });
});
