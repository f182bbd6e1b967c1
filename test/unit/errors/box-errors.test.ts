import axios, { AxiosError, type AxiosResponse } from 'axios';
import { describe, expect, it } from 'vitest';
import {
  BoxApiError,
  BoxClientError,
  BoxRateLimitError,
  BoxServerError,
  boxErrorClass,
} from '../../../src/errors/box-error-classes.js';
import { isBoxApiError } from '../../../src/errors/guards.js';
import { STANDARD_409 } from '../../helpers/fixtures.js';
import { CLASSES, fakeResponse, type ErrorClass } from '../../helpers/errors.js';

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
      waitedMs: 0,
      durationMs: 0,
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
      waitedMs: 0,
      durationMs: 0,
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




