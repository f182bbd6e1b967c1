import axios, { AxiosError } from 'axios';
import { describe, expect, it } from 'vitest';
import {
  BoxApiError,
  BoxClientError,
  BoxRateLimitError,
  BoxServerError,
  isBoxApiError,
  isBoxClientError,
  isBoxServerError,
} from '../../src/index.js';
import { boxError, useBoxServer } from '../helpers/box-server.js';
import { boxClient, rejection } from '../helpers/client.js';

const server = useBoxServer();

describe('2xx and 3xx resolve with boxStatus', () => {
  it('200: success, one attempt, request id from the box-request-id header', async () => {
    server.script('/folders/0', [{ body: { type: 'folder', id: '0' }, headers: { 'box-request-id': 'hdr-1' } }]);
    const { instance } = boxClient(server);
    const res = await instance.get('/folders/0');
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ type: 'folder', id: '0' });
    expect(res.boxStatus).toEqual({
      status: 200,
      kind: 'success',
      retryable: false,
      attempts: 1,
      requestId: 'hdr-1',
      retryAfterMs: undefined,
      waitedMs: 0,
      durationMs: expect.any(Number),
    });
    expect(server.count('/folders/0')).toBe(1);
  });

  it('204: success with an empty body', async () => {
    server.script('/files/1', [{ status: 204 }]);
    const { instance } = boxClient(server);
    const res = await instance.delete('/files/1');
    expect(res.status).toBe(204);
    expect(res.boxStatus?.kind).toBe('success');
    expect(res.boxStatus?.requestId).toBeUndefined();
  });

  it('202 without Retry-After is final: accepted, done in the background', async () => {
    server.script('/zip', [{ status: 202, body: { id: 'job' } }]);
    const { instance, events } = boxClient(server);
    const res = await instance.post('/zip', {});
    expect(res.status).toBe(202);
    expect(res.boxStatus).toMatchObject({ kind: 'success', retryable: false, attempts: 1 });
    expect(events).toEqual([]);
    expect(server.count('/zip')).toBe(1);
  });

  it('302 with maxRedirects: 0 resolves as a redirect whatever validateStatus says', async () => {
    server.script('/files/1/content', [
      { status: 302, headers: { location: 'https://dl.boxcloud.com/d/1' } },
    ]);
    const { instance } = boxClient(server, {}, { maxRedirects: 0, validateStatus: (s) => s === 200 });
    const res = await instance.get('/files/1/content');
    expect(res.status).toBe(302);
    expect(res.headers['location']).toBe('https://dl.boxcloud.com/d/1');
    expect(res.boxStatus).toMatchObject({ kind: 'redirect', attempts: 1, retryable: false });
  });

  it('304 (if-none-match matched) resolves as a redirect-class response', async () => {
    server.script('/files/1', [{ status: 304 }]);
    const { instance } = boxClient(server);
    const res = await instance.get('/files/1', { headers: { 'if-none-match': '"1"' } });
    expect(res.status).toBe(304);
    expect(res.boxStatus?.kind).toBe('redirect');
  });
});

describe('4xx rejects with BoxClientError', () => {
  it.each([
    [400, 'bad_request', 'Bad request'],
    [401, 'unauthorized', 'Unauthorized'],
    [403, 'access_denied_insufficient_permissions', 'Access denied'],
    [404, 'not_found', 'Not Found'],
    [405, 'method_not_allowed', 'Method Not Allowed'],
    [409, 'item_name_in_use', 'Item with the same name already exists'],
    [412, 'precondition_failed', 'The resource has been modified'],
  ])('%i %s: not retried, Box fields parsed', async (status, code, message) => {
    server.script('/items', [{ status, body: boxError(status, code, message, 'abc123'), headers: { 'box-request-id': 'hdr' } }]);
    const { instance, events } = boxClient(server);
    const error = await rejection(instance.get('/items'));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error).toBeInstanceOf(BoxApiError);
    expect(error).toBeInstanceOf(AxiosError);
    expect(error).not.toBeInstanceOf(BoxRateLimitError);
    expect(axios.isAxiosError(error)).toBe(true);
    expect(isBoxClientError(error)).toBe(true);
    expect(isBoxServerError(error)).toBe(false);
    expect(error.name).toBe('BoxClientError');
    expect(error.status).toBe(status);
    expect(error.code).toBe('ERR_BAD_REQUEST');
    expect(error.boxCode).toBe(code);
    expect(error.boxMessage).toBe(message);
    expect(error.requestId).toBe('abc123');
    expect(error.helpUrl).toMatch(/^https:\/\/developer\.box\.com\//);
    expect(error.contextInfo).toEqual({});
    expect(error.attempts).toBe(1);
    expect(error.message).toBe(`Box API ${status} ${code}: ${message} (request abc123)`);
    expect(error.boxStatus).toEqual({
      status,
      kind: 'client-error',
      retryable: false,
      attempts: 1,
      requestId: 'abc123',
      retryAfterMs: undefined,
      waitedMs: 0,
      durationMs: expect.any(Number),
    });
    // Parsed by axios for the caller, as without the plugin.
    expect(error.response.data).toMatchObject({ code, status });
    expect(axios.isAxiosError(error.cause)).toBe(true);
    expect(events).toEqual([]);
    expect(server.count('/items')).toBe(1);
  });

  it('409 on upload carries context_info.conflicts', async () => {
    const conflicts = [{ type: 'file', id: '12345', name: 'report.pdf' }];
    server.script('/files/content', [
      { status: 409, body: { ...boxError(409, 'item_name_in_use', 'Item with the same name already exists'), context_info: { conflicts } } },
    ]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.post('/files/content', { name: 'report.pdf' }));
    expect(error.contextInfo).toEqual({ conflicts });
  });

  it('OAuth2 token endpoint body fills boxCode and boxMessage', async () => {
    server.script('/oauth2/token', [
      { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid refresh token' } },
    ]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.post('/oauth2/token', 'grant_type=refresh_token'));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error.boxCode).toBe('invalid_grant');
    expect(error.boxMessage).toBe('Invalid refresh token');
    expect(error.message).toBe('Box API 400 invalid_grant: Invalid refresh token');
  });

  it('slim metadata body fills the same fields', async () => {
    server.script('/files/1/metadata/enterprise/tpl', [
      { status: 404, body: { code: 'instance_not_found', message: 'Instance not found', request_id: 'slim1' } },
    ]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.get('/files/1/metadata/enterprise/tpl'));
    expect(error).toMatchObject({ boxCode: 'instance_not_found', boxMessage: 'Instance not found', requestId: 'slim1' });
  });

  it("an instance's validateStatus accepting everything resolves a 4xx as a value, classified", async () => {
    server.script('/missing', [{ status: 404, body: boxError(404, 'not_found', 'Not Found') }]);
    const { instance } = boxClient(server, {}, { validateStatus: () => true });
    const res = await instance.get('/missing');
    expect(res.status).toBe(404);
    expect(res.data).toMatchObject({ code: 'not_found' });
    expect(res.boxStatus).toMatchObject({ status: 404, kind: 'client-error', retryable: false, attempts: 1, requestId: 'req-not_found' });
  });
});

describe('429', () => {
  it('is retried, then rejects with BoxRateLimitError carrying retryAfterMs', async () => {
    server.script('/search', [
      { status: 429, body: boxError(429, 'rate_limit_exceeded', 'Request rate limit exceeded'), headers: { 'retry-after': '0.002' } },
    ]);
    const { instance, events } = boxClient(server, { retries: 2 });
    const error = await rejection(instance.get('/search'));
    expect(error).toBeInstanceOf(BoxRateLimitError);
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error.name).toBe('BoxRateLimitError');
    expect(error.retryAfterMs).toBe(2);
    expect(error.attempts).toBe(3);
    expect(error.boxStatus).toMatchObject({ kind: 'client-error', retryable: true, attempts: 3, retryAfterMs: 2 });
    expect(error.message).toBe(
      'Box API 429 rate_limit_exceeded: Request rate limit exceeded (request req-rate_limit_exceeded) after 3 attempts',
    );
    expect(events.map((e) => [e.attempt, e.delayMs, e.delaySource, e.reason])).toEqual([
      [2, 2, 'retry-after', 'status 429'],
      [3, 2, 'retry-after', 'status 429'],
    ]);
    expect(server.count('/search')).toBe(3);
  });
});

describe('5xx', () => {
  it('is retried and succeeds on the third attempt', async () => {
    server.script('/files/123', [
      { status: 503, body: boxError(503, 'unavailable', 'Unavailable') },
      { status: 500, body: boxError(500, 'internal_server_error', 'Internal Server Error') },
      { status: 200, body: { id: '123' } },
    ]);
    const { instance, events } = boxClient(server);
    const res = await instance.get('/files/123');
    expect(res.data).toEqual({ id: '123' });
    expect(res.boxStatus).toMatchObject({ status: 200, kind: 'success', attempts: 3 });
    expect(events.map((e) => [e.attempt, e.reason, e.status, e.delayMs])).toEqual([
      [2, 'status 503', 503, 1],
      [3, 'status 500', 500, 2],
    ]);
    expect(server.count('/files/123')).toBe(3);
  });

  it('exhausted: BoxServerError after 5 attempts (the default retries: 4)', async () => {
    server.script('/files/9', [{ status: 502, body: '<html><body>Bad Gateway</body></html>', headers: { 'content-type': 'text/html' } }]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.get('/files/9'));
    expect(error).toBeInstanceOf(BoxServerError);
    expect(isBoxApiError(error)).toBe(true);
    expect(isBoxServerError(error)).toBe(true);
    expect(error.name).toBe('BoxServerError');
    expect(error.code).toBe('ERR_BAD_RESPONSE');
    expect(error.attempts).toBe(5);
    // An HTML page from a proxy: no Box fields, a readable message, no crash.
    expect(error.boxCode).toBeUndefined();
    expect(error.boxMessage).toBeUndefined();
    expect(error.requestId).toBeUndefined();
    expect(error.message).toBe('Box API 502: Bad Gateway after 5 attempts');
    expect(error.boxStatus).toMatchObject({ kind: 'server-error', retryable: true, attempts: 5 });
    expect(server.count('/files/9')).toBe(5);
  });

  it.each([501, 505, 507])('%i is permanent: not retried', async (status) => {
    server.script('/x', [{ status, body: boxError(status, 'permanent', 'Nope') }]);
    const { instance, events } = boxClient(server);
    const error = await rejection(instance.get('/x'));
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.boxStatus.retryable).toBe(false);
    expect(error.attempts).toBe(1);
    expect(events).toEqual([]);
    expect(server.count('/x')).toBe(1);
  });

  it('the HTTP status decides, not the body: a 500 whose body says 200 is a server error', async () => {
    server.script('/liar', [{ status: 500, body: { type: 'error', status: 200, code: 'ok', message: 'fine' } }]);
    const { instance } = boxClient(server, { retries: 0 });
    const error = await rejection(instance.get('/liar'));
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.status).toBe(500);
    expect(error.boxStatus.kind).toBe('server-error');
  });
});

describe('statuses outside Box table', () => {
  it('follow validateStatus: rejected as BoxApiError by default', async () => {
    server.script('/odd', [{ status: 600, body: 'odd' }]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.get('/odd'));
    expect(error).toBeInstanceOf(BoxApiError);
    expect(error.name).toBe('BoxApiError');
    expect(isBoxClientError(error)).toBe(false);
    expect(isBoxServerError(error)).toBe(false);
    expect(error.boxStatus).toMatchObject({ status: 600, kind: 'unknown', retryable: false });
  });

  it('resolve with kind unknown when validateStatus accepts them', async () => {
    server.script('/odd', [{ status: 600, body: 'odd' }]);
    const { instance } = boxClient(server, {}, { validateStatus: () => true });
    const res = await instance.get('/odd');
    expect(res.boxStatus).toMatchObject({ status: 600, kind: 'unknown' });
  });
});

describe('retry: false', () => {
  it('classifies and converts errors only', async () => {
    server.script('/files/1', [{ status: 503, body: boxError(503, 'unavailable', 'Unavailable') }]);
    const { instance } = boxClient(server, false);
    const error = await rejection(instance.get('/files/1'));
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.attempts).toBe(1);
    // The status is still one Box's default policy would retry.
    expect(error.boxStatus.retryable).toBe(true);
    expect(server.count('/files/1')).toBe(1);
  });
});
