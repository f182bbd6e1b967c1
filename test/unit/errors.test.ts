import axios, { AxiosError, AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, it } from 'vitest';
import {
  BoxApiError,
  BoxClientError,
  BoxRateLimitError,
  BoxServerError,
  boxErrorClass,
  type BoxApiErrorInit,
} from '../../src/errors.js';
import { isBoxApiError, isBoxClientError, isBoxRateLimitError, isBoxServerError } from '../../src/guards.js';
import { settlePlainError as finishPlainError } from '../../src/settle.js';
import type { BoxPlainErrorFields } from '../../src/index.js';
import { STANDARD_409 } from '../helpers/fixtures.js';

const TOKEN = 'SECRET-TOKEN-123';
const QUERY_SECRET = 'QUERYSECRET99';
const REDACTED_URL = 'https://api.box.com/2.0/files/1?access_token=[REDACTED]';

function fakeConfig(): InternalAxiosRequestConfig {
  return {
    headers: new AxiosHeaders({ Authorization: `Bearer ${TOKEN}` }),
    url: `/files/1?access_token=${QUERY_SECRET}`,
    baseURL: 'https://api.box.com/2.0',
    method: 'get',
  };
}

function fakeResponse(
  status: number,
  data: unknown,
  headers: Record<string, string> = {},
  statusText = '',
): AxiosResponse {
  return { status, statusText, headers: new AxiosHeaders(headers), config: fakeConfig(), data, request: {} };
}

type ErrorClass = new (init: BoxApiErrorInit) => BoxApiError;

const CLASSES: [string, ErrorClass, number][] = [
  ['BoxApiError', BoxApiError, 600],
  ['BoxClientError', BoxClientError, 404],
  ['BoxRateLimitError', BoxRateLimitError, 429],
  ['BoxServerError', BoxServerError, 500],
];

/** Every serialised form of an error that the contract keeps free of credentials. */
function serialisedForms(error: BoxApiError | AxiosError): string[] {
  return [error.message, String(error.stack), JSON.stringify(error), JSON.stringify(error.toJSON())];
}

describe('classes', () => {
  it.each(CLASSES)('%s: hierarchy, name and stack', (name, Class, status) => {
    const error = new Class({ response: fakeResponse(status, STANDARD_409) });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(AxiosError);
    expect(error).toBeInstanceOf(BoxApiError);
    expect(error).toBeInstanceOf(Class);
    expect(axios.isAxiosError(error)).toBe(true);
    expect(error.isAxiosError).toBe(true);
    expect(error.name).toBe(name);
    expect(Class.prototype.name).toBe(name);
    expect(String(error.stack).split('\n')[0]).toBe(`${name}: ${error.message}`);
    expect(String(error)).toBe(`${name}: ${error.message}`);
  });

  it('BoxRateLimitError is a BoxClientError; BoxServerError is not', () => {
    expect(new BoxRateLimitError({ response: fakeResponse(429, {}) })).toBeInstanceOf(BoxClientError);
    expect(new BoxServerError({ response: fakeResponse(500, {}) })).not.toBeInstanceOf(BoxClientError);
    expect(new BoxClientError({ response: fakeResponse(404, {}) })).not.toBeInstanceOf(BoxRateLimitError);
    expect(new BoxClientError({ response: fakeResponse(404, {}) })).not.toBeInstanceOf(BoxServerError);
  });

  it.each<[number, ErrorClass]>([
    [429, BoxRateLimitError],
    [400, BoxClientError],
    [404, BoxClientError],
    [409, BoxClientError],
    [499, BoxClientError],
    [500, BoxServerError],
    [503, BoxServerError],
    [599, BoxServerError],
    [600, BoxApiError],
    [399, BoxApiError],
    [302, BoxApiError],
    [199, BoxApiError],
    [0, BoxApiError],
  ])('boxErrorClass(%i)', (status, Class) => {
    expect(boxErrorClass(status)).toBe(Class);
  });
});

describe('fields', () => {
  it('from the standard Box body', () => {
    const response = fakeResponse(409, STANDARD_409, { 'box-request-id': 'hdr-1' }, 'Conflict');
    const error = new BoxClientError({ response });
    expect(error.status).toBe(409);
    expect(error.boxCode).toBe('item_name_in_use');
    expect(error.boxMessage).toBe('Item with the same name already exists');
    expect(error.requestId).toBe('abc123');
    expect(error.helpUrl).toBe('http://developers.box.com/docs/#errors');
    expect(error.contextInfo).toStrictEqual({ conflicts: { type: 'file', id: '12345', name: 'report.pdf' } });
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.attempts).toBe(1);
    expect(error.notRetriedReason).toBeUndefined();
    expect(error.boxStatus).toStrictEqual({
      status: 409,
      kind: 'client-error',
      retryable: false,
      attempts: 1,
      requestId: 'abc123',
      retryAfterMs: undefined,
      notRetriedReason: undefined,
    });
    expect(error.message).toBe(
      'Box API 409 item_name_in_use: Item with the same name already exists (request abc123)',
    );
    expect(error.response).toBe(response);
    expect(error.config).toBe(response.config);
    expect(error.request).toBe(response.request);
    expect(error.code).toBe('ERR_BAD_REQUEST');
  });

  it('from a JSON string body', () => {
    const error = new BoxClientError({ response: fakeResponse(409, JSON.stringify(STANDARD_409)) });
    expect(error.boxCode).toBe('item_name_in_use');
    expect(error.requestId).toBe('abc123');
    expect(error.message).toBe(
      'Box API 409 item_name_in_use: Item with the same name already exists (request abc123)',
    );
  });

  it('from an OAuth2 body', () => {
    const error = new BoxClientError({
      response: fakeResponse(400, {
        error: 'invalid_grant',
        error_description: "Auth code doesn't exist or is invalid for the client",
      }),
    });
    expect(error.boxCode).toBe('invalid_grant');
    expect(error.boxMessage).toBe("Auth code doesn't exist or is invalid for the client");
    expect(error.requestId).toBeUndefined();
    expect(error.helpUrl).toBeUndefined();
    expect(error.contextInfo).toBeUndefined();
    expect(error.message).toBe("Box API 400 invalid_grant: Auth code doesn't exist or is invalid for the client");
  });

  it('from a slim metadata body', () => {
    const error = new BoxClientError({
      response: fakeResponse(404, { code: 'instance_not_found', message: 'Instance not found.', request_id: 'r-slim-1' }),
    });
    expect(error.boxCode).toBe('instance_not_found');
    expect(error.boxMessage).toBe('Instance not found.');
    expect(error.requestId).toBe('r-slim-1');
    expect(error.helpUrl).toBeUndefined();
    expect(error.contextInfo).toBeUndefined();
    expect(error.message).toBe('Box API 404 instance_not_found: Instance not found. (request r-slim-1)');
  });

  it('from an HTML page: Box fields undefined, the message uses statusText', () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
    const error = new BoxServerError({ response: fakeResponse(502, html, {}, 'Bad Gateway') });
    expect(error.boxCode).toBeUndefined();
    expect(error.boxMessage).toBeUndefined();
    expect(error.requestId).toBeUndefined();
    expect(error.helpUrl).toBeUndefined();
    expect(error.contextInfo).toBeUndefined();
    expect(error.message).toBe('Box API 502: Bad Gateway');
    expect(error.code).toBe('ERR_BAD_RESPONSE');
  });

  it.each<[number, string]>([
    [404, 'Box API 404: client error'],
    [503, 'Box API 503: server error'],
    [600, 'Box API 600: unknown'],
  ])('without body or statusText, %i reads %j', (status, message) => {
    expect(new BoxApiError({ response: fakeResponse(status, undefined) }).message).toBe(message);
  });

  it('requestId: the body beats the box-request-id header, which is the fallback', () => {
    const both = new BoxClientError({ response: fakeResponse(409, STANDARD_409, { 'box-request-id': 'hdr-1' }) });
    expect(both.requestId).toBe('abc123');
    const headerOnly = new BoxServerError({
      response: fakeResponse(502, '<html></html>', { 'box-request-id': 'hdr-1' }, 'Bad Gateway'),
    });
    expect(headerOnly.requestId).toBe('hdr-1');
    expect(headerOnly.boxStatus.requestId).toBe('hdr-1');
    expect(headerOnly.message).toBe('Box API 502: Bad Gateway (request hdr-1)');
    const plainHeaders = new BoxServerError({
      response: { ...fakeResponse(502, ''), headers: { 'Box-Request-Id': 'hdr-2' } },
    });
    expect(plainHeaders.requestId).toBe('hdr-2');
    const repeated = new BoxServerError({
      response: { ...fakeResponse(502, ''), headers: { 'box-request-id': ['hdr-3', 'hdr-4'] } },
    });
    expect(repeated.requestId).toBe('hdr-3');
  });

  it('retryAfterMs from a retry-after header', () => {
    const error = new BoxRateLimitError({
      response: fakeResponse(429, { code: 'rate_limit_exceeded', message: 'Request rate limit exceeded' }, { 'retry-after': '30' }),
    });
    expect(error.retryAfterMs).toBe(30_000);
    expect(error.boxStatus.retryAfterMs).toBe(30_000);
    expect(error.message).toBe('Box API 429 rate_limit_exceeded: Request rate limit exceeded');
    expect(new BoxRateLimitError({ response: fakeResponse(429, {}, { 'Retry-After': '1.5' }) }).retryAfterMs).toBe(1500);
    expect(
      new BoxRateLimitError({ response: { ...fakeResponse(429, {}), headers: { 'Retry-After': '7' } } }).retryAfterMs,
    ).toBe(7000);
    expect(new BoxRateLimitError({ response: fakeResponse(429, {}, { 'retry-after': 'soon' }) }).retryAfterMs).toBeUndefined();
  });

  // Regression: the error once read Retry-After as a string only, so a custom adapter's numeric
  // header was honoured by the retry loop but reported as undefined on the error.
  it('retryAfterMs from a numeric retry-after header (plain-object headers)', () => {
    const response = { ...fakeResponse(429, {}), headers: { 'retry-after': 30 } } as unknown as AxiosResponse;
    const error = new BoxRateLimitError({ response });
    expect(error.retryAfterMs).toBe(30_000);
    expect(error.boxStatus.retryAfterMs).toBe(30_000);
  });

  it('attempts, retryable and notRetriedReason', () => {
    const error = new BoxServerError({
      response: fakeResponse(503, { code: 'unavailable', message: 'Unavailable', request_id: 'abc123' }),
      attempts: 5,
      retryable: true,
    });
    expect(error.attempts).toBe(5);
    expect(error.boxStatus).toStrictEqual({
      status: 503,
      kind: 'server-error',
      retryable: true,
      attempts: 5,
      requestId: 'abc123',
      retryAfterMs: undefined,
      notRetriedReason: undefined,
    });
    expect(error.message).toBe('Box API 503 unavailable: Unavailable (request abc123) after 5 attempts');

    const notRetried = new BoxServerError({
      response: fakeResponse(503, { code: 'unavailable', message: 'Unavailable', request_id: 'abc123' }),
      retryable: true,
      notRetriedReason: 'the request body is a one-shot stream',
    });
    expect(notRetried.notRetriedReason).toBe('the request body is a one-shot stream');
    expect(notRetried.message).toBe(
      'Box API 503 unavailable: Unavailable (request abc123); not retried: the request body is a one-shot stream',
    );

    const both = new BoxServerError({
      response: fakeResponse(502, '', {}, 'Bad Gateway'),
      attempts: 2,
      notRetriedReason: 'Retry-After of 90000 ms is beyond maxRetryAfterMs (60000 ms)',
    });
    expect(both.message).toBe(
      'Box API 502: Bad Gateway after 2 attempts; not retried: Retry-After of 90000 ms is beyond maxRetryAfterMs (60000 ms)',
    );
  });

  it('truncates a Box message over 500 characters in the message, not in boxMessage', () => {
    const long = 'x'.repeat(600);
    const error = new BoxClientError({ response: fakeResponse(400, { code: 'bad_request', message: long, request_id: 'r1' }) });
    expect(error.boxMessage).toBe(long);
    expect(error.message).toBe(`Box API 400 bad_request: ${'x'.repeat(500)}... (request r1)`);
    const exact = 'y'.repeat(500);
    expect(new BoxClientError({ response: fakeResponse(400, { message: exact }) }).message).toBe(`Box API 400: ${exact}`);
    expect(new BoxClientError({ response: fakeResponse(400, { message: `${exact}z` }) }).message).toBe(
      `Box API 400: ${exact}...`,
    );
  });

  it.each<[number, string]>([
    [400, 'ERR_BAD_REQUEST'],
    [404, 'ERR_BAD_REQUEST'],
    [429, 'ERR_BAD_REQUEST'],
    [499, 'ERR_BAD_REQUEST'],
    [500, 'ERR_BAD_RESPONSE'],
    [503, 'ERR_BAD_RESPONSE'],
    [599, 'ERR_BAD_RESPONSE'],
  ])('axios code of a %i is %s', (status, code) => {
    const error = new (boxErrorClass(status))({ response: fakeResponse(status, STANDARD_409) });
    expect(error.code).toBe(code);
    expect((error.cause as AxiosError).code).toBe(code);
  });

  it('cause: an AxiosError as axios would have rejected with, when none is given', () => {
    const response = fakeResponse(404, STANDARD_409);
    const error = new BoxClientError({ response });
    const cause = error.cause as AxiosError;
    expect(cause).toBeInstanceOf(AxiosError);
    expect(isBoxApiError(cause)).toBe(false);
    expect(cause.message).toBe('Request failed with status code 404');
    expect(cause.code).toBe('ERR_BAD_REQUEST');
    expect(cause.response).toBe(response);
    expect(cause.config).toBe(response.config);
  });

  it('cause: the given one', () => {
    const given = new AxiosError('original', 'ERR_BAD_REQUEST');
    expect(new BoxClientError({ response: fakeResponse(404, {}), cause: given }).cause).toBe(given);
  });

  it('cause is not enumerable', () => {
    const error = new BoxClientError({ response: fakeResponse(404, {}) });
    expect(Object.getOwnPropertyDescriptor(error, 'cause')?.enumerable).toBe(false);
    expect(Object.keys(error)).not.toContain('cause');
    expect(JSON.stringify(error)).not.toContain('Request failed with status code');
  });
});

describe('redaction', () => {
  it.each(CLASSES)('%s: no credential in message, stack, JSON.stringify or toJSON', (_name, Class, status) => {
    const error = new Class({ response: fakeResponse(status, STANDARD_409, { 'box-request-id': 'hdr-1' }, 'Status') });
    for (const text of serialisedForms(error)) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('Bearer SECRET');
      expect(text).not.toContain(QUERY_SECRET);
    }
  });

  it('a server that echoes the credentials gets them scrubbed in message and boxMessage', () => {
    const error = new BoxClientError({
      response: fakeResponse(401, {
        code: 'unauthorized',
        message: `Invalid token Bearer ${TOKEN} (also ${TOKEN}) for ${QUERY_SECRET}`,
        request_id: 'abc123',
      }),
    });
    expect(error.boxMessage).toBe('Invalid token [REDACTED] (also [REDACTED]) for [REDACTED]');
    expect(error.message).toBe(
      'Box API 401 unauthorized: Invalid token [REDACTED] (also [REDACTED]) for [REDACTED] (request abc123)',
    );
    for (const text of serialisedForms(error)) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(QUERY_SECRET);
    }
  });

  it('an echoed credential in the code or in statusText is scrubbed', () => {
    const inCode = new BoxClientError({ response: fakeResponse(400, { code: `bad_${TOKEN}` }) });
    expect(inCode.boxCode).toBe('bad_[REDACTED]');
    expect(inCode.message).toBe('Box API 400 bad_[REDACTED]: client error');
    const inStatusText = new BoxServerError({ response: fakeResponse(502, '', {}, `Bad ${QUERY_SECRET}`) });
    expect(inStatusText.message).toBe('Box API 502: Bad [REDACTED]');
  });

  // Regression: only code and message were once scrubbed. A server that echoes the token in
  // context_info (Box's 400 bad_request lists the offending parameters there), help_url or
  // request_id must not put it in JSON.stringify(error) or error.toJSON().
  it('an echoed credential in context_info is kept out of JSON.stringify and toJSON', () => {
    const error = new BoxClientError({
      response: fakeResponse(400, {
        code: 'bad_request',
        message: 'Bad request',
        context_info: { errors: [{ reason: 'invalid_parameter', name: 'token', message: `Invalid value '${TOKEN}'.` }] },
      }),
    });
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(JSON.stringify(error.toJSON())).not.toContain(TOKEN);
  });

  it('toJSON: redacted url, upper-case method, Box fields, no config, headers or body', () => {
    const error = new BoxClientError({
      response: fakeResponse(409, STANDARD_409, { 'box-request-id': 'hdr-1' }),
      attempts: 2,
      retryable: false,
      notRetriedReason: 'reason',
    });
    const json = error.toJSON();
    expect(json).toStrictEqual({
      name: 'BoxClientError',
      message:
        'Box API 409 item_name_in_use: Item with the same name already exists (request abc123) after 2 attempts; not retried: reason',
      code: 'ERR_BAD_REQUEST',
      status: 409,
      method: 'GET',
      url: REDACTED_URL,
      boxCode: 'item_name_in_use',
      boxMessage: 'Item with the same name already exists',
      requestId: 'abc123',
      helpUrl: 'http://developers.box.com/docs/#errors',
      contextInfo: { conflicts: { type: 'file', id: '12345', name: 'report.pdf' } },
      retryAfterMs: undefined,
      attempts: 2,
      notRetriedReason: 'reason',
      boxStatus: {
        status: 409,
        kind: 'client-error',
        retryable: false,
        attempts: 2,
        requestId: 'abc123',
        retryAfterMs: undefined,
        notRetriedReason: 'reason',
      },
      stack: error.stack,
    });
    expect(JSON.parse(JSON.stringify(error))).toStrictEqual(JSON.parse(JSON.stringify(json)));
  });

  it('toJSON without method or url', () => {
    const response = { ...fakeResponse(500, ''), config: { headers: new AxiosHeaders() } } as AxiosResponse;
    const json = new BoxServerError({ response }).toJSON();
    expect(json.method).toBeUndefined();
    expect(json.url).toBeUndefined();
  });
});

describe('guards', () => {
  const BRAND = Symbol.for('axios-box-status.error');
  const api = new BoxApiError({ response: fakeResponse(600, {}) });
  const client = new BoxClientError({ response: fakeResponse(404, {}) });
  const rateLimit = new BoxRateLimitError({ response: fakeResponse(429, {}) });
  const server = new BoxServerError({ response: fakeResponse(500, {}) });

  it.each<[string, unknown, [boolean, boolean, boolean, boolean]]>([
    ['BoxApiError', api, [true, false, false, false]],
    ['BoxClientError', client, [true, true, false, false]],
    ['BoxRateLimitError', rateLimit, [true, true, true, false]],
    ['BoxServerError', server, [true, false, false, true]],
    ['a plain AxiosError', new AxiosError('x', 'ERR_BAD_REQUEST'), [false, false, false, false]],
    ['an Error', new Error('x'), [false, false, false, false]],
    ['null', null, [false, false, false, false]],
    ['undefined', undefined, [false, false, false, false]],
    ['a string', 'BoxApiError', [false, false, false, false]],
    ['a number', 429, [false, false, false, false]],
    ['an empty object', {}, [false, false, false, false]],
    ['a look-alike without the brand', { name: 'BoxClientError', isAxiosError: true, boxCode: 'x' }, [false, false, false, false]],
    ['an object branded api (another copy)', { [BRAND]: 'api' }, [true, false, false, false]],
    ['an object branded client (another copy)', { [BRAND]: 'client' }, [true, true, false, false]],
    ['an object branded rate-limit (another copy)', { [BRAND]: 'rate-limit' }, [true, true, true, false]],
    ['an object branded server (another copy)', { [BRAND]: 'server' }, [true, false, false, true]],
    ['an object with an unknown brand', { [BRAND]: 'bogus' }, [false, false, false, false]],
    ['an object with a look-alike local symbol', { [Symbol('axios-box-status.error')]: 'api' }, [false, false, false, false]],
    ['an object with the brand as a string key', { 'axios-box-status.error': 'api' }, [false, false, false, false]],
  ])('%s', (_label, value, [isApi, isClient, isRateLimit, isServer]) => {
    expect(isBoxApiError(value)).toBe(isApi);
    expect(isBoxClientError(value)).toBe(isClient);
    expect(isBoxRateLimitError(value)).toBe(isRateLimit);
    expect(isBoxServerError(value)).toBe(isServer);
  });

  it('another copy of the classes (brand on its prototype) is recognised', () => {
    class OtherCopyServerError extends Error {}
    Object.defineProperty(OtherCopyServerError.prototype, BRAND, { value: 'server' });
    const foreign = new OtherCopyServerError('x');
    expect(foreign).not.toBeInstanceOf(BoxServerError);
    expect(isBoxApiError(foreign)).toBe(true);
    expect(isBoxServerError(foreign)).toBe(true);
    expect(isBoxClientError(foreign)).toBe(false);
  });

  it('the brand is on the prototype, not an own enumerable field', () => {
    expect(Object.getOwnPropertySymbols(client)).not.toContain(BRAND);
    expect((BoxClientError.prototype as unknown as Record<symbol, unknown>)[BRAND]).toBe('client');
  });
});


describe('util.inspect', () => {
  const INSPECT = Symbol.for('nodejs.util.inspect.custom');
  type Inspectable = { [INSPECT]: (depth: number, options: object, inspect?: unknown) => string };
  const timeoutError = (): AxiosError => new AxiosError('timeout of 100ms exceeded', 'ECONNABORTED');
  const otherConfig = (): InternalAxiosRequestConfig => ({ ...fakeConfig(), method: 'post' });

  it('without Node’s inspect function (another runtime), falls back to JSON for the fields', () => {
    const error = new BoxClientError({ response: fakeResponse(409, STANDARD_409) }) as unknown as Inspectable & Error;
    const shown = error[INSPECT](2, {});
    expect(shown.startsWith(`${error.stack} {`)).toBe(true);
    expect(JSON.parse(shown.slice(String(error.stack).length + 1))).toMatchObject({
      boxCode: 'item_name_in_use',
      url: REDACTED_URL,
    });
    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toContain(QUERY_SECRET);
  });

  it('without a stack, starts with the name and message', () => {
    const error = timeoutError();
    finishPlainError(error, otherConfig(), 2, undefined);
    Object.defineProperty(error, 'stack', { value: undefined });
    const shown = (error as unknown as Inspectable)[INSPECT](2, {});
    expect(shown).toMatch(/^AxiosError: timeout of 100ms exceeded \(after 2 attempts\) \{"code":"ECONNABORTED"/);
  });

  it('is not enumerable, so it adds nothing to JSON or to a spread copy', () => {
    const error = timeoutError();
    finishPlainError(error, otherConfig(), 1, undefined);
    expect(Object.getOwnPropertyDescriptor(error, INSPECT)?.enumerable).toBe(false);
    expect(Object.getOwnPropertySymbols({ ...error })).toEqual([]);
  });
});
