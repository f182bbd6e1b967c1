import { Readable } from 'node:stream';
import { AxiosError, AxiosHeaders, CanceledError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, it } from 'vitest';
import { decideResend, decideRetry } from '../../../src/retry/decide.js';
import { failureOf, isOneShotStream, type Failure } from '../../../src/retry/failure.js';
import { isCutShort } from '../../../src/retry/transport-faults.js';
import { DEFAULT_POLICY } from '../../../src/options/policy.js';
import { resolvePolicy } from '../../../src/options/policy.js';

const policy = resolvePolicy({ baseDelayMs: 100, maxDelayMs: 1000, jitter: 'none' }, DEFAULT_POLICY, 'retry');
const half = (): number => 0.5;
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

function config(method: string, data?: unknown): InternalAxiosRequestConfig {
  return { method, data, headers: new AxiosHeaders() } as InternalAxiosRequestConfig;
}

function withStatus(status: number, method = 'get', headers: Record<string, string> = {}, data?: unknown): Failure {
  const c = config(method, data);
  const response = { status, statusText: '', headers: new AxiosHeaders(headers), config: c, data: '' } as AxiosResponse;
  return failureOf(c, response, undefined, NOW);
}

function withCode(code: string | undefined, method = 'get', message = 'failed'): Failure {
  const c = config(method);
  return failureOf(c, undefined, new AxiosError(message, code, c));
}

describe('decideRetry', () => {
  it('retries a retryable status of an idempotent method with the backoff for that retry', () => {
    expect(decideRetry(withStatus(503), policy, 1, half)).toEqual({
      retry: true,
      reason: 'status 503',
      status: 503,
      retryAfterMs: undefined,
      delayMs: 100,
      delaySource: 'backoff',
    });
    expect(decideRetry(withStatus(500), policy, 3, half)).toMatchObject({ retry: true, delayMs: 400 });
  });

  it('stops after retries + 1 attempts, without a reason', () => {
    expect(decideRetry(withStatus(503), policy, 4, half).retry).toBe(true);
    expect(decideRetry(withStatus(503), policy, 5, half)).toEqual({ retry: false, notRetriedReason: undefined });
  });

  it('never retries with retry: false, a cancel, or a status the policy does not list', () => {
    expect(decideRetry(withStatus(503), { ...policy, retry: false }, 1, half).retry).toBe(false);
    const c = config('get');
    expect(decideRetry(failureOf(c, undefined, new CanceledError()), policy, 1, half)).toEqual({
      retry: false,
      notRetriedReason: undefined,
    });
    for (const status of [400, 401, 404, 409, 501, 505, 507]) {
      expect(decideRetry(withStatus(status), policy, 1, half).retry).toBe(false);
    }
  });

  it('202 is polled only with Retry-After, for any method', () => {
    expect(decideRetry(withStatus(202, 'post'), policy, 1, half).retry).toBe(false);
    expect(decideRetry(withStatus(202, 'post', { 'retry-after': '3' }), policy, 1, half)).toEqual({
      retry: true,
      reason: 'retry-after',
      status: 202,
      retryAfterMs: 3000,
      delayMs: 3000,
      delaySource: 'retry-after',
    });
  });

  it('POST and PATCH: 429 and ECONNREFUSED only, unless idempotent', () => {
    for (const method of ['post', 'patch', 'POST']) {
      expect(decideRetry(withStatus(429, method), policy, 1, half).retry).toBe(true);
      expect(decideRetry(withCode('ECONNREFUSED', method), policy, 1, half).retry).toBe(true);
      const refused = decideRetry(withStatus(503, method), policy, 1, half);
      expect(refused).toEqual({
        retry: false,
        notRetriedReason: `${method.toUpperCase()} is not idempotent and Box may have acted on it (boxRetry: { idempotent: true } opts in)`,
      });
      expect(decideRetry(withCode('ECONNRESET', method), policy, 1, half).retry).toBe(false);
      expect(decideRetry(withCode('ECONNABORTED', method), policy, 1, half).retry).toBe(false);
    }
    const optedIn = { ...policy, idempotent: true };
    expect(decideRetry(withStatus(503, 'post'), optedIn, 1, half).retry).toBe(true);
    expect(decideRetry(withCode('ECONNRESET', 'patch'), optedIn, 1, half).retry).toBe(true);
  });

  it('a missing method counts as GET', () => {
    const failure = withStatus(503);
    delete failure.config!.method;
    expect(decideRetry(failure, policy, 1, half).retry).toBe(true);
    expect(decideRetry(failureOf(undefined, failure.response, undefined, NOW), policy, 1, half).retry).toBe(true);
  });

  it('network errors: transient codes and timeouts retried, permanent and unknown ones not', () => {
    for (const code of ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ERR_NETWORK', 'EAI_AGAIN']) {
      expect(decideRetry(withCode(code), policy, 1, half)).toMatchObject({
        retry: true,
        reason: code === 'ETIMEDOUT' ? 'timeout' : code,
      });
    }
    expect(decideRetry(withCode('ECONNABORTED'), policy, 1, half)).toMatchObject({ retry: true, reason: 'timeout' });
    expect(decideRetry(withCode('ERR_BAD_RESPONSE', 'get', 'stream has been aborted'), policy, 1, half)).toMatchObject({
      retry: true,
      reason: 'ECONNRESET',
    });
    for (const [code, message] of [
      ['ERR_BAD_RESPONSE', 'maxContentLength size of 10 exceeded'],
      ['ERR_INVALID_URL', 'Invalid URL'],
      ['ERR_BAD_OPTION_VALUE', 'bad'],
      ['ERR_FR_TOO_MANY_REDIRECTS', 'too many'],
      ['ENOTFOUND', 'getaddrinfo ENOTFOUND'],
      ['CERT_HAS_EXPIRED', 'certificate has expired'],
      [undefined, 'no code'],
    ] as const) {
      expect(decideRetry(withCode(code, 'get', message), policy, 1, half).retry).toBe(false);
    }
    expect(decideRetry(failureOf(config('get'), undefined, new TypeError('x')), policy, 1, half).retry).toBe(false);
    expect(decideRetry(failureOf(config('get'), undefined, null), policy, 1, half).retry).toBe(false);
  });

  it('never resends a one-shot stream body', () => {
    const stream = Readable.from(['x']);
    expect(decideRetry(withStatus(429, 'post', {}, stream), policy, 1, half)).toEqual({
      retry: false,
      notRetriedReason: 'the request body is a one-shot stream',
    });
    expect(decideRetry(withStatus(503, 'put', {}, new ReadableStream()), policy, 1, half)).toEqual({
      retry: false,
      notRetriedReason: 'the request body is a one-shot stream',
    });
  });

  it('Retry-After: waited exactly within maxRetryAfterMs, given up beyond it', () => {
    const soon = decideRetry(withStatus(429, 'get', { 'retry-after': '60' }), policy, 1, half);
    expect(soon).toMatchObject({ retry: true, delayMs: 60_000, delaySource: 'retry-after' });
    const date = new Date(NOW + 61_000).toUTCString();
    expect(decideRetry(withStatus(429, 'get', { 'Retry-After': date }), policy, 1, half)).toEqual({
      retry: false,
      notRetriedReason: 'Retry-After of 61000 ms is beyond maxRetryAfterMs (60000 ms)',
    });
    const unbounded = { ...policy, maxRetryAfterMs: 2_147_483_647 };
    expect(decideRetry(withStatus(429, 'get', { 'retry-after': '99999999' }), unbounded, 1, half).retry).toBe(false);
  });
});

describe('isOneShotStream', () => {
  it('tells streams from bodies that can be sent again', () => {
    expect(isOneShotStream(Readable.from(['x']))).toBe(true);
    expect(isOneShotStream(new ReadableStream())).toBe(true);
    expect(isOneShotStream({ pipe: () => undefined })).toBe(true);
    for (const body of [undefined, null, 'text', 42, Buffer.from('x'), new Uint8Array(2), { a: 1 }, new URLSearchParams('a=1'), new FormData(), new Blob(['x'])]) {
      expect(isOneShotStream(body)).toBe(false);
    }
  });
});

describe('isCutShort', () => {
  // What axios's Node adapter rejects with once the headers are in: the response comes along.
  it.each([
    ['a timeout', 'ECONNABORTED', 'timeout of 60ms exceeded', true],
    ['a clarified timeout', 'ETIMEDOUT', 'timeout of 60ms exceeded', true],
    ['a body torn down mid-way', 'ERR_BAD_RESPONSE', 'stream has been aborted', true],
    ['a reset while reading the body', 'ECONNRESET', 'aborted', true],
    ['a corrupt gzip body', 'Z_DATA_ERROR', 'incorrect header check', true],
    ['a 5xx status rejected by validateStatus', 'ERR_BAD_RESPONSE', 'Request failed with status code 503', false],
    ['a 4xx status rejected by validateStatus', 'ERR_BAD_REQUEST', 'Request failed with status code 404', false],
    ['an error without a code', undefined, 'failed', false],
  ])('%s: %s', (_name, code, message, expected) => {
    expect(isCutShort(new AxiosError(message, code))).toBe(expected);
  });

  it('anything that is not an error object is not', () => {
    for (const value of [undefined, null, 'ECONNRESET', 42]) expect(isCutShort(value)).toBe(false);
  });
});

describe('axios 1.7.4-1.7.7 report a body broken off as "maxContentLength size of -1 exceeded"', () => {
  // That axios is not installed here: its error, as its http adapter's 'aborted' handler makes it.
  const policy = resolvePolicy({ baseDelayMs: 100, jitter: 'none' }, DEFAULT_POLICY, 'retry');
  const failure = (message: string, method = 'get') => {
    const config = { method, headers: new AxiosHeaders(), maxContentLength: -1 } as InternalAxiosRequestConfig;
    return failureOf(config, undefined, new AxiosError(message, 'ERR_BAD_RESPONSE', config));
  };

  it('with no limit set, it is the reset it stands for: a GET is retried', () => {
    expect(decideRetry(failure('maxContentLength size of -1 exceeded'), policy, 1, Math.random)).toMatchObject({
      retry: true,
      reason: 'ECONNRESET',
    });
    expect(decideRetry(failure('maxContentLength size of -1 exceeded', 'post'), policy, 1, Math.random).retry).toBe(false);
  });

  it('a body over a limit that was set is still never retried', () => {
    expect(decideRetry(failure('maxContentLength size of 10 exceeded'), policy, 1, Math.random).retry).toBe(false);
    expect(decideRetry(failure('maxContentLength size of 1000000 exceeded'), policy, 1, Math.random).retry).toBe(false);
  });
});

describe('decideResend: the one re-send a 401 to the call\'s own token earns', () => {
  it('re-sends any method, at once (its wait is the refresh), whatever the policy', () => {
    for (const method of ['get', 'post', 'patch', 'delete']) {
      expect(decideResend(withStatus(401, method, { 'retry-after': '5' }))).toEqual({
        retry: true,
        delayMs: 0,
        delaySource: 'refresh',
        reason: 'unauthorized',
        status: 401,
        retryAfterMs: 5000,
      });
    }
  });

  it('not a body that cannot be sent twice', () => {
    expect(decideResend(withStatus(401, 'post', {}, Readable.from(['x'])))).toEqual({ retry: false, notRetriedReason: 'the request body is a one-shot stream' });
  });
});
