import { inspect } from 'node:util';
import type { AxiosError } from 'axios';
import { describe, expect, it } from 'vitest';
import { isBoxApiError } from '../../src/index.js';
import { boxError, ok, refusedPort, tooMany, unavailable, useBoxServer } from '../helpers/box-server.js';
import { TOKEN, boxClient, rejection } from '../helpers/client.js';

const server = useBoxServer();

const QUERY_TOKEN = 'query-secret-token-987654';
const PARAM_TOKEN = 'param-secret-token-135790';
const BODY_SECRET = 'body-client-secret-246802';
const SECRETS = [TOKEN, QUERY_TOKEN, PARAM_TOKEN, BODY_SECRET];

function enumerableCopy(error: object): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in error) copy[key] = (error as Record<string, unknown>)[key];
  return copy;
}

/** Every way an error gets shown, logged or shipped to a log service. */
function renderings(error: any): Record<string, string> {
  return {
    message: String(error.message),
    stack: String(error.stack),
    string: String(error),
    'JSON.stringify': JSON.stringify(error),
    toJSON: JSON.stringify(error.toJSON()),
    'util.inspect depth 6': inspect(error, { depth: 6 }),
    'util.inspect depth Infinity': inspect(error, { depth: Infinity, showHidden: false }),
    'util.inspect nested': inspect({ failure: [error] }, { depth: 6 }),
    // What pino's err serializer and other structured loggers do: copy the enumerable fields.
    'for-in copy': JSON.stringify(enumerableCopy(error)),
    'spread copy': JSON.stringify({ ...error }),
  };
}

function expectNoSecrets(error: unknown): void {
  for (const [how, text] of Object.entries(renderings(error))) {
    for (const secret of SECRETS) {
      expect(text.includes(secret), `${how} shows ${secret}`).toBe(false);
    }
  }
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
    for (const [how, text] of Object.entries(renderings(error))) {
      expect(text.includes(basic), `${how} shows the Basic credential`).toBe(false);
      expect(text.includes(auth.password), `${how} shows the password`).toBe(false);
    }
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
