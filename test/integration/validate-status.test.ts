// The caller's own validateStatus has the last word on a final status: what it accepts resolves as
// a response (with boxStatus) instead of rejecting, once the retry policy has had its retries.
import { Readable } from 'node:stream';
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { BoxClientError, BoxServerError, attachBoxStatus, createBoxAuth } from '../../src/index.js';
import { boxError, tooMany, unavailable, useBoxServer } from '../helpers/box-server.js';
import { boxClient, rejection } from '../helpers/client.js';

const server = useBoxServer();
const notFound = { status: 404, body: boxError(404, 'not_found', 'Not Found', 'req-404') };

describe('a 4xx as a value', () => {
  it('validateStatus: () => true on one request gives the 404 back, classified, with its request id', async () => {
    server.script('/files/1', [notFound]);
    const { instance, events } = boxClient(server);
    const res = await instance.get('/files/1', { validateStatus: () => true });
    expect(res.status).toBe(404);
    // Parsed for the caller by axios, as any response.
    expect(res.data).toMatchObject({ code: 'not_found', request_id: 'req-404' });
    expect(res.boxStatus).toMatchObject({
      status: 404,
      kind: 'client-error',
      retryable: false,
      attempts: 1,
      requestId: 'req-404',
    });
    expect(events).toEqual([]);
    // The request's own setting: the next request of the instance still rejects.
    expect(await rejection(instance.get('/files/1'))).toBeInstanceOf(BoxClientError);
  });

  it('a validateStatus that accepts 404 alone resolves the 404 and still rejects a 409', async () => {
    server.script('/files/1', [notFound]);
    server.script('/folders', [{ status: 409, body: boxError(409, 'item_name_in_use', 'Item with the same name already exists') }]);
    const validateStatus = (status: number): boolean => status < 300 || status === 404;
    const { instance } = boxClient(server, {}, { validateStatus });
    expect((await instance.get('/files/1')).boxStatus).toMatchObject({ status: 404, kind: 'client-error' });
    const error = await rejection(instance.post('/folders', { name: 'x' }));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error.boxCode).toBe('item_name_in_use');
  });

  it("axios's own default validateStatus (an instance that sets none) keeps rejecting every 4xx and 5xx", async () => {
    server.script('/files/1', [notFound]);
    server.script('/down', [{ status: 501, body: boxError(501, 'not_implemented', 'Nope') }]);
    const { instance } = boxClient(server);
    expect(instance.defaults.validateStatus).toBe(axios.defaults.validateStatus);
    expect(await rejection(instance.get('/files/1'))).toBeInstanceOf(BoxClientError);
    expect(await rejection(instance.get('/down'))).toBeInstanceOf(BoxServerError);
  });

  it('validateStatus: null (axios: every status resolves) resolves a 4xx too', async () => {
    server.script('/files/1', [notFound]);
    const { instance } = boxClient(server);
    const res = await instance.get('/files/1', { validateStatus: null });
    expect(res.status).toBe(404);
    expect(res.boxStatus?.kind).toBe('client-error');
  });
});

describe('the retry policy goes first', () => {
  it('a 503 is retried as ever, and the last one resolves when validateStatus accepts it', async () => {
    server.script('/files/2', [unavailable]);
    const { instance, events } = boxClient(server, { retries: 2 });
    const res = await instance.get('/files/2', { validateStatus: () => true });
    expect(res.status).toBe(503);
    expect(res.boxStatus).toMatchObject({ status: 503, kind: 'server-error', retryable: true, attempts: 3 });
    expect(events.map((event) => event.reason)).toEqual(['status 503', 'status 503']);
    expect(server.count('/files/2')).toBe(3);
  });

  it('a 503 then a 200: the 200 resolves, as without validateStatus', async () => {
    server.script('/files/3', [unavailable, { status: 200, body: { id: '3' } }]);
    const { instance } = boxClient(server);
    const res = await instance.get('/files/3', { validateStatus: () => true });
    expect(res.status).toBe(200);
    expect(res.boxStatus).toMatchObject({ kind: 'success', attempts: 2 });
  });

  it('a 429 is retried after its Retry-After, and the last one resolves carrying retryAfterMs', async () => {
    server.script('/search', [tooMany('0.002')]);
    const { instance, events } = boxClient(server, { retries: 1 });
    const res = await instance.get('/search', { validateStatus: () => true });
    expect(res.status).toBe(429);
    expect(res.boxStatus).toMatchObject({ status: 429, retryable: true, attempts: 2, retryAfterMs: 2 });
    expect(events.map((event) => event.delaySource)).toEqual(['retry-after']);
  });

  it('a POST answered 503 is not retried (Box may have acted on it) and resolves, saying why', async () => {
    server.script('/folders', [unavailable]);
    const { instance } = boxClient(server);
    const res = await instance.post('/folders', { name: 'x' }, { validateStatus: () => true });
    expect(res.status).toBe(503);
    expect(res.boxStatus?.attempts).toBe(1);
    expect(res.boxStatus?.notRetriedReason).toMatch(/^POST is not idempotent/);
  });

  it('a one-shot stream answered 503 resolves with the reason it was not retried', async () => {
    server.script('/upload', [unavailable]);
    const { instance } = boxClient(server);
    const res = await instance.put('/upload', Readable.from([Buffer.from('bytes')]), { validateStatus: () => true });
    expect(res.boxStatus).toMatchObject({ status: 503, attempts: 1, notRetriedReason: 'the request body is a one-shot stream' });
  });

  it('a 401 with managed credentials is refreshed and re-sent first; a second 401 resolves as a value', async () => {
    let minted = 0;
    const auth = createBoxAuth({
      origins: [server.url],
      initialToken: 'token-0-abcdef',
      refresh: async () => `token-${(minted += 1)}-abcdef`,
    });
    server.script('/users/me', [{ status: 401, body: boxError(401, 'unauthorized', 'Unauthorized') }]);
    const instance = axios.create({ baseURL: server.url });
    attachBoxStatus(instance, { auth, retry: { baseDelayMs: 1, jitter: 'none' } });
    const res = await instance.get('/users/me', { validateStatus: () => true });
    expect(res.status).toBe(401);
    expect(res.boxStatus?.attempts).toBe(2);
    expect(minted).toBe(1);
    expect(server.log.map((request) => request.headers.authorization)).toEqual(['Bearer token-0-abcdef', 'Bearer token-1-abcdef']);
  });
});
