import http from 'node:http';
import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BoxClientError,
  BoxRateLimitError,
  BoxServerError,
  isBoxApiError,
  type BoxRequestRetry,
  type BoxRetryEvent,
} from '../../src/index.js';
import { boxClient, rejection, type TestClient } from '../helpers/client.js';
import {
  closeAfter,
  head,
  json,
  resetAfter,
  resetBeforeHeaders,
  respond,
  stallAfterHeaders,
  streamed,
  useFaultServer,
  type Fault,
  type HeaderLines,
} from '../helpers/fault-server.js';
import { timed } from '../helpers/time.js';

// Faults at the socket and the header level, from a raw TCP server: for each, whether the call is
// retried (the server's log is the ground truth), what the caller gets, and that nothing escapes
// the plugin as an unhandled rejection or a TypeError of its own.

const server = useFaultServer();

const escaped: unknown[] = [];
const recordEscape = (reason: unknown): void => {
  escaped.push(reason);
};
beforeAll(() => {
  process.on('unhandledRejection', recordEscape);
  process.on('uncaughtException', recordEscape);
});
afterAll(() => {
  process.off('unhandledRejection', recordEscape);
  process.off('uncaughtException', recordEscape);
});
afterEach(async () => {
  // An unhandled rejection is reported after the microtasks of the turn that dropped it.
  await new Promise((resolve) => setImmediate(resolve));
  expect(escaped).toEqual([]);
});

const JSON_TYPE: HeaderLines = [['content-type', 'application/json']];
const ok = json(200, { ok: true });
const boxBody = (status: number, code: string) => ({
  type: 'error',
  status,
  code,
  message: `Box says ${code}`,
  request_id: `req-${code}`,
});

/** A failure that the plugin itself did not cause: no TypeError (or kin) anywhere in the chain. */
function expectNoPluginCrash(error: unknown): void {
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    expect(current).not.toBeInstanceOf(TypeError);
    expect(current).not.toBeInstanceOf(ReferenceError);
    expect(current).not.toBeInstanceOf(RangeError);
    expect(String((current as Error).stack)).not.toMatch(/^\s*(TypeError|ReferenceError|RangeError)\b/m);
    current = (current as { cause?: unknown }).cause;
  }
}

/** A plain axios error (no Box error) with its code and the attempts the server saw. */
function expectPlainError(error: any, code: string, attempts: number): void {
  expectNoPluginCrash(error);
  expect(error).toBeInstanceOf(AxiosError);
  expect(isBoxApiError(error)).toBe(false);
  expect(axios.isCancel(error)).toBe(false);
  expect(error.code).toBe(code);
  expect(error.boxAttempts).toBe(attempts);
  expect(server.log).toHaveLength(attempts);
}

interface MethodCase {
  name: string;
  method: 'get' | 'put' | 'delete' | 'post' | 'patch';
  boxRetry?: BoxRequestRetry;
  /** Whether a fault after the request may have reached Box is retried. */
  retried: boolean;
}

const METHODS: MethodCase[] = [
  { name: 'GET', method: 'get', retried: true },
  { name: 'PUT', method: 'put', retried: true },
  { name: 'DELETE', method: 'delete', retried: true },
  { name: 'POST', method: 'post', retried: false },
  { name: 'PATCH', method: 'patch', retried: false },
  { name: 'POST with boxRetry: { idempotent: true }', method: 'post', boxRetry: { idempotent: true }, retried: true },
];

function send(instance: AxiosInstance, m: MethodCase, url: string, config: AxiosRequestConfig = {}) {
  const body = m.method === 'get' || m.method === 'delete' ? undefined : { name: 'report.pdf' };
  return instance.request({
    method: m.method,
    url,
    data: body,
    ...(m.boxRetry === undefined ? {} : { boxRetry: m.boxRetry }),
    ...config,
  });
}

/** A 200 that says gzip and sends bytes that are not. */
const notGzip: Fault = ({ write }) => {
  write(head(200, [...JSON_TYPE, ['content-encoding', 'gzip'], ['content-length', '8']]) + 'not gzip');
};

// A body broken off after the headers through the fetch adapter, whose error for it has no code at
// all: the real one is on the cause chain.
const FETCH_FAULTS = [
  { name: 'a clean close in the middle of a 200 body', fault: closeAfter(200, JSON_TYPE, 100, '{"ok":'), reason: 'UND_ERR_SOCKET' },
  { name: 'a reset in the middle of a 200 body', fault: resetAfter(200, JSON_TYPE, 100, '{"ok":'), reason: 'ECONNRESET' },
  { name: 'a gzip body that is not gzip', fault: notGzip, reason: 'Z_DATA_ERROR' },
];

interface FaultCase {
  name: string;
  fault: Fault;
  /** The code of the error the caller gets. */
  code: string;
  /** What `onRetry` reports as the reason. */
  reason: string;
  /** The axios config of the call: a tiny timeout for the stalls, a safety net for the rest. */
  config: AxiosRequestConfig;
}

const SAFETY: AxiosRequestConfig = { timeout: 3000 };
const FAULTS: FaultCase[] = [
  { name: 'a reset before the headers', fault: resetBeforeHeaders, code: 'ECONNRESET', reason: 'ECONNRESET', config: SAFETY },
  {
    name: 'a reset after the headers of a 200',
    fault: resetAfter(200, JSON_TYPE, 100),
    code: 'ECONNRESET',
    reason: 'ECONNRESET',
    config: SAFETY,
  },
  {
    name: 'a reset in the middle of a 503 body',
    fault: resetAfter(503, JSON_TYPE, 200, '{"type":"error","status":503,'),
    code: 'ECONNRESET',
    reason: 'ECONNRESET',
    config: SAFETY,
  },
  {
    name: 'a clean close in the middle of a 200 body',
    fault: closeAfter(200, JSON_TYPE, 100, '{"ok":'),
    code: 'ERR_BAD_RESPONSE',
    reason: 'ECONNRESET',
    config: SAFETY,
  },
  {
    // Through follow-redirects (axios's default) the timeout tears the response down, and axios
    // reports the torn stream rather than the timeout.
    name: 'the headers of a 200, then a stall past the timeout',
    fault: stallAfterHeaders(200, JSON_TYPE),
    code: 'ERR_BAD_RESPONSE',
    reason: 'ECONNRESET',
    // Ample for the headers to arrive first even on a loaded machine: a timeout before them
    // would be reported as ECONNABORTED.
    config: { timeout: 150 },
  },
  {
    name: 'the headers of a 200, then a stall past the timeout (maxRedirects: 0)',
    fault: stallAfterHeaders(200, JSON_TYPE),
    code: 'ECONNABORTED',
    reason: 'timeout',
    config: { timeout: 60, maxRedirects: 0 },
  },
  {
    name: 'the headers of a 200, then a stall past the timeout (maxRedirects: 0, clarifyTimeoutError)',
    fault: stallAfterHeaders(200, JSON_TYPE),
    code: 'ETIMEDOUT',
    reason: 'timeout',
    config: { timeout: 60, maxRedirects: 0, transitional: { clarifyTimeoutError: true } },
  },
  {
    name: 'a response Node cannot parse (two different content-lengths)',
    fault: respond(200, [['content-length', '5'], ['content-length', '6']], 'hello!'),
    code: 'HPE_UNEXPECTED_CONTENT_LENGTH',
    reason: 'HPE_UNEXPECTED_CONTENT_LENGTH',
    config: SAFETY,
  },
  { name: 'a gzip body that is not gzip', fault: notGzip, code: 'Z_DATA_ERROR', reason: 'Z_DATA_ERROR', config: SAFETY },
];

const CASES = FAULTS.flatMap((f) => METHODS.map((m) => ({ ...f, m, label: `${m.name}, ${f.name}` })));

describe('transport faults, by method', () => {
  it.each(CASES)('$label: retried only when safe, and ends as the plain axios error', async ({ fault, code, reason, config, m }) => {
    server.script('/items/1', [fault]);
    const client = boxClient(server, { retries: 2 });
    const error = await rejection(send(client.instance, m, '/items/1', config));
    const attempts = m.retried ? 3 : 1;
    expectPlainError(error, code, attempts);
    expect(server.log.map((r) => r.method)).toEqual(Array(attempts).fill(m.method.toUpperCase()));
    expect(client.events.map((e) => [e.attempt, e.reason, e.status])).toEqual(
      Array.from({ length: attempts - 1 }, (_, i) => [i + 2, reason, undefined]),
    );
    if (m.retried) {
      expect(error.boxNotRetriedReason).toBeUndefined();
      expect(error.message).toMatch(/ \(after 3 attempts\)$/);
    } else {
      const verb = m.method.toUpperCase();
      expect(error.boxNotRetriedReason).toBe(
        `${verb} is not idempotent and Box may have acted on it (boxRetry: { idempotent: true } opts in)`,
      );
    }
    expect(client.handle.stats()).toMatchObject({ calls: 1, attempts, retries: attempts - 1 });
  });

  it.each(FAULTS)('a GET after $name is retried on a fresh attempt and resolves', async ({ fault, config }) => {
    server.script('/items/2', [fault, ok]);
    const { instance } = boxClient(server, { retries: 2 });
    const res = await instance.get('/items/2', config);
    expect(res.data).toEqual({ ok: true });
    expect(res.boxStatus?.attempts).toBe(2);
    expect(server.log).toHaveLength(2);
  });
});

describe('malformed Retry-After', () => {
  // Each one unusable: the retry waits the computed backoff (baseDelayMs 1), not the header.
  it.each([
    ['abc', 'abc'],
    ['a negative number', '-5'],
    ['an empty value', ''],
    ['two values joined by a proxy', '0, 120'],
    ['a date with day 32', 'Mon, 32 Jan 2024 10:00:00 GMT'],
    ['a date with a made-up month', 'Thu, 01 Foo 2024 00:00:00 GMT'],
  ])('%s (%j) on a 429 and a 503 is ignored: backoff instead', async (_name, value) => {
    server.script('/limited', [json(429, boxBody(429, 'rate_limit_exceeded'), [['retry-after', value]]), ok]);
    server.script('/down', [json(503, boxBody(503, 'unavailable'), [['retry-after', value]]), ok]);
    const { instance, events } = boxClient(server, { retries: 2 });
    // A 429 is retried for a POST too: Box did not execute it.
    const limited = await instance.post('/limited', { name: 'x' });
    const down = await instance.get('/down');
    expect([limited.boxStatus?.attempts, down.boxStatus?.attempts]).toEqual([2, 2]);
    expect(events.map((e) => [e.reason, e.delaySource, e.delayMs, e.retryAfterMs])).toEqual([
      ['status 429', 'backoff', 1, undefined],
      ['status 503', 'backoff', 1, undefined],
    ]);
    expect(server.log.map((r) => r.method)).toEqual(['POST', 'POST', 'GET', 'GET']);
  });

  it('a decimal Retry-After of 1.5 is 1500 ms, refused here by maxRetryAfterMs: 1000', async () => {
    server.script('/limited', [json(429, boxBody(429, 'rate_limit_exceeded'), [['retry-after', '1.5']]), ok]);
    const { instance, events } = boxClient(server, { retries: 2, maxRetryAfterMs: 1000 });
    const error = await rejection(instance.get('/limited'));
    expectNoPluginCrash(error);
    expect(error).toBeInstanceOf(BoxRateLimitError);
    expect(error.retryAfterMs).toBe(1500);
    expect(error.boxStatus).toMatchObject({ attempts: 1, retryAfterMs: 1500 });
    expect(error.notRetriedReason).toBe('Retry-After of 1500 ms is beyond maxRetryAfterMs (1000 ms)');
    expect(events).toEqual([]);
    expect(server.log).toHaveLength(1);
  });

  it('a huge Retry-After is capped at the longest timer and not waited, whatever the method', async () => {
    const huge = [['retry-after', '99999999999999999999']] as const;
    server.script('/limited', [json(429, boxBody(429, 'rate_limit_exceeded'), huge), ok]);
    server.script('/down', [json(503, boxBody(503, 'unavailable'), huge), ok]);
    const { instance, events } = boxClient(server, { retries: 2, shareRateLimit: false });
    const [limited, elapsed] = await timed(rejection(instance.post('/limited', {})));
    const down = await rejection(instance.delete('/down'));
    expect(elapsed).toBeLessThan(1000);
    expect(limited).toBeInstanceOf(BoxRateLimitError);
    expect(down).toBeInstanceOf(BoxServerError);
    for (const error of [limited, down]) {
      expectNoPluginCrash(error);
      expect(error.retryAfterMs).toBe(2_147_483_647);
      expect(error.attempts).toBe(1);
      expect(error.notRetriedReason).toBe('Retry-After of 2147483647 ms is beyond maxRetryAfterMs (60000 ms)');
    }
    expect(events).toEqual([]);
    expect(server.log).toHaveLength(2);
  });

  it('an impossible but parseable date (31 February) is a past date: retried at once', async () => {
    server.script('/limited', [json(429, boxBody(429, 'rate_limit_exceeded'), [['retry-after', 'Wed, 31 Feb 2024 07:28:00 GMT']]), ok]);
    const { instance, events } = boxClient(server, { retries: 2 });
    const res = await instance.get('/limited');
    expect(res.boxStatus?.attempts).toBe(2);
    expect(events.map((e) => [e.delaySource, e.delayMs, e.retryAfterMs])).toEqual([['retry-after', 0, 0]]);
  });

  // Node keeps the first of repeated retry-after lines and drops the rest.
  it('with two Retry-After lines, the first decides: 1 ms then 120 s is waited 1 ms', async () => {
    server.script('/limited', [
      json(429, boxBody(429, 'rate_limit_exceeded'), [['retry-after', '0.001'], ['retry-after', '120']]),
      ok,
    ]);
    const { instance, events } = boxClient(server, { retries: 2 });
    const res = await instance.get('/limited');
    expect(res.boxStatus?.attempts).toBe(2);
    expect(events.map((e) => [e.delaySource, e.delayMs, e.retryAfterMs])).toEqual([['retry-after', 1, 1]]);
  });

  it('with two Retry-After lines, the first decides: 120 s then 1 ms is not retried', async () => {
    server.script('/limited', [
      json(429, boxBody(429, 'rate_limit_exceeded'), [['retry-after', '120'], ['retry-after', '0.001']]),
      ok,
    ]);
    const { instance, events } = boxClient(server, { retries: 2 });
    const error = await rejection(instance.get('/limited'));
    expectNoPluginCrash(error);
    expect(error).toBeInstanceOf(BoxRateLimitError);
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.attempts).toBe(1);
    expect(events).toEqual([]);
    expect(server.log).toHaveLength(1);
  });
});

describe('duplicate and malformed content-type', () => {
  it.each([
    ['application/json then text/html', [['content-type', 'application/json'], ['content-type', 'text/html']]],
    ['text/html then application/json', [['content-type', 'text/html'], ['content-type', 'application/json']]],
    ['application/json; charset= (empty)', [['content-type', 'application/json; charset=']]],
    ['none at all', []],
  ] as Array<[string, HeaderLines]>)('a 404 with a Box body and content-type %s: the body decides, not the header', async (_name, headers) => {
    server.script('/files/1', [respond(404, headers, JSON.stringify(boxBody(404, 'not_found')))]);
    const { instance } = boxClient(server, { retries: 2 });
    const error = await rejection(instance.get('/files/1'));
    expectNoPluginCrash(error);
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error.boxCode).toBe('not_found');
    expect(error.requestId).toBe('req-not_found');
    expect(error.boxStatus).toMatchObject({ status: 404, attempts: 1 });
    expect(server.log).toHaveLength(1);
  });

  const HTML = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
  it.each([
    ['an HTML page under application/json; charset=', HTML, [['content-type', 'application/json; charset=']]],
    ['broken JSON under application/json', '{"type":"error","code":"unavailable","mess', JSON_TYPE],
    ['a JSON array under application/json', '[1,2,3]', JSON_TYPE],
    ['an HTML page under both content-types', HTML, [['content-type', 'application/json'], ['content-type', 'text/html']]],
  ] as Array<[string, string, HeaderLines]>)('a 502 with %s: retried for a GET, then a BoxServerError without Box fields', async (_name, body, headers) => {
    server.script('/files/1', [respond(502, headers, body)]);
    server.script('/folders', [respond(502, headers, body)]);
    const { instance } = boxClient(server, { retries: 2 });
    const read = await rejection(instance.get('/files/1'));
    const write = await rejection(instance.post('/folders', { name: 'x' }));
    for (const error of [read, write]) {
      expectNoPluginCrash(error);
      expect(error).toBeInstanceOf(BoxServerError);
      expect(error.boxCode).toBeUndefined();
      expect(error.requestId).toBeUndefined();
    }
    expect(read.message).toBe('Box API 502: Bad Gateway after 3 attempts');
    expect(read.attempts).toBe(3);
    expect(write.attempts).toBe(1);
    expect(write.notRetriedReason).toMatch(/^POST is not idempotent/);
    expect(server.log.map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'POST']);
  });

  it.each([
    ['a non-JSON body under application/json', 'plain words', JSON_TYPE],
    ['an HTML page under application/json; charset=', '<html>hi</html>', [['content-type', 'application/json; charset=']]],
    ['JSON under both content-types', '{"id":"1"}', [['content-type', 'text/html'], ['content-type', 'application/json']]],
  ] as Array<[string, string, HeaderLines]>)('a 200 with %s resolves once, as plain axios would', async (_name, body, headers) => {
    server.script('/files/1', [respond(200, headers, body)]);
    const { instance } = boxClient(server, { retries: 2 });
    const plain = axios.create({ baseURL: server.url });
    const res = await instance.get('/files/1');
    const expected = await plain.get('/files/1');
    expect(res.data).toEqual(expected.data);
    expect(res.boxStatus).toMatchObject({ status: 200, kind: 'success', attempts: 1 });
    expect(server.log).toHaveLength(2);
  });
});

describe('a 4xx with a 50 MB body', () => {
  const SIZE = 50 * 1024 * 1024;
  const bigError = (status: number): Fault =>
    streamed(status, JSON_TYPE, SIZE, '{"type":"error","status":400,"code":"bad_request","message":"', 'x');

  it('gives a BoxClientError quickly, with a short message and a small JSON', async () => {
    server.script('/big', [bigError(400)]);
    const { instance } = boxClient(server, { retries: 2 });
    const rssBefore = process.memoryUsage().rss;
    const [error, elapsed] = await timed(rejection(instance.get('/big', { timeout: 10_000 })));
    expect(elapsed).toBeLessThan(5000);
    // Axios holds the body (chunks, joined, then as a string): some 150 MB. Far more would mean
    // copies of it made by the plugin.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(9 * SIZE);
    expectNoPluginCrash(error);
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error.status).toBe(400);
    expect(error.attempts).toBe(1);
    // Far beyond a Box error body: not parsed, so no Box fields and the status text as message.
    expect(error.boxCode).toBeUndefined();
    expect(error.message).toBe('Box API 400: Bad Request');
    expect(JSON.stringify(error).length).toBeLessThan(5000);
    expect(server.log).toHaveLength(1);
  });

  it('with maxContentLength set, stops reading at the limit: the plain axios error, never retried', async () => {
    server.script('/big', [bigError(400)]);
    server.script('/big-503', [bigError(503)]);
    const { instance, events } = boxClient(server, { retries: 2 });
    const limit = { ...SAFETY, maxContentLength: 1024 * 1024 };
    const [error, elapsed] = await timed(rejection(instance.get('/big', limit)));
    const error503 = await rejection(instance.get('/big-503', limit));
    expect(elapsed).toBeLessThan(2000);
    for (const e of [error, error503]) {
      expectNoPluginCrash(e);
      expect(e).toBeInstanceOf(AxiosError);
      expect(isBoxApiError(e)).toBe(false);
      expect(e.code).toBe('ERR_BAD_RESPONSE');
      expect(e.message).toBe('maxContentLength size of 1048576 exceeded');
      expect(e.boxAttempts).toBe(1);
    }
    // The same request would be as large again.
    expect(events).toEqual([]);
    expect(server.log).toHaveLength(2);
  });
});

describe('keep-alive sockets closed between attempts', () => {
  let agent: http.Agent;
  afterEach(() => agent.destroy());
  function keepAliveClient(onRetry?: (event: BoxRetryEvent) => Promise<void>): TestClient {
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    return boxClient(server, { retries: 2, ...(onRetry ? { onRetry } : {}) }, { httpAgent: agent, timeout: 3000 });
  }

  it('503s that announce connection: close are retried, each on a new connection', async () => {
    const unavailable = json(503, boxBody(503, 'unavailable'), [], 'announced-close');
    server.script('/items/1', [unavailable, unavailable, ok]);
    const { instance } = keepAliveClient();
    const res = await instance.get('/items/1');
    expect(res.boxStatus?.attempts).toBe(3);
    expect(server.log.map((r) => r.connection)).toEqual([1, 2, 3]);
  });

  it('a connection the server drops without a word after a 503 is not reused: the retry opens a new one', async () => {
    server.script('/items/1', [json(503, boxBody(503, 'unavailable'), [], 'silent-close'), ok]);
    // The retry waits until the server has seen the connection close (after the client did).
    const { instance } = keepAliveClient(async () => {
      await server.closed(1);
    });
    const res = await instance.get('/items/1');
    expect(res.boxStatus?.attempts).toBe(2);
    expect(server.log.map((r) => r.connection)).toEqual([1, 2]);
  });

  it('a GET retried on a kept-alive connection that turns out dead is retried again on a new one', async () => {
    server.script('/items/1', [json(503, boxBody(503, 'unavailable')), resetBeforeHeaders, ok]);
    const { instance, events } = keepAliveClient();
    const res = await instance.get('/items/1');
    expect(res.boxStatus?.attempts).toBe(3);
    expect(events.map((e) => e.reason)).toEqual(['status 503', 'ECONNRESET']);
    // The second attempt went out on the first connection, which was reset.
    expect(server.log.map((r) => r.connection)).toEqual([1, 1, 2]);
  });

  it('a POST retried after a 429 on a kept-alive connection that turns out dead is not sent a third time', async () => {
    server.script('/folders', [json(429, boxBody(429, 'rate_limit_exceeded'), [['retry-after', '0']]), resetBeforeHeaders, ok]);
    const { instance } = keepAliveClient();
    const error = await rejection(instance.post('/folders', { name: 'x' }));
    expectPlainError(error, 'ECONNRESET', 2);
    expect(error.boxNotRetriedReason).toMatch(/^POST is not idempotent/);
    expect(server.log.map((r) => [r.method, r.connection])).toEqual([
      ['POST', 1],
      ['POST', 1],
    ]);
  });
});

describe('with the fetch adapter, a body broken off after the headers', () => {
  it.each(FETCH_FAULTS)('$name: a GET is retried, with the code found on the cause chain', async ({ fault, reason }) => {
    server.script('/items/1', [fault]);
    const client = boxClient(server, { retries: 2 }, { adapter: 'fetch', timeout: 3000 });
    const error = await rejection(client.instance.get('/items/1'));
    expect(error).toBeInstanceOf(AxiosError);
    expect(error.message).toBe('terminated (after 3 attempts)');
    expect(error.boxAttempts).toBe(3);
    expect(server.log).toHaveLength(3);
    expect(client.events.map((event) => event.reason)).toEqual([reason, reason]);
  });

  it.each(FETCH_FAULTS)('$name: a GET then answered resolves on the retry', async ({ fault }) => {
    server.script('/items/2', [fault, ok]);
    const { instance } = boxClient(server, { retries: 2 }, { adapter: 'fetch', timeout: 3000 });
    const response = await instance.get('/items/2');
    expect(response.data).toEqual({ ok: true });
    expect(response.boxStatus?.attempts).toBe(2);
  });

  it('a POST is not retried: Box may have acted on it', async () => {
    server.script('/folders', [FETCH_FAULTS[0]!.fault]);
    const client = boxClient(server, { retries: 2 }, { adapter: 'fetch', timeout: 3000 });
    const error = await rejection(client.instance.post('/folders', { name: 'x' }));
    expect(error.boxAttempts).toBe(1);
    expect(error.boxNotRetriedReason).toBe(
      'POST is not idempotent and Box may have acted on it (boxRetry: { idempotent: true } opts in)',
    );
    expect(server.log).toHaveLength(1);
  });
});
