import { once } from 'node:events';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import axios, { type AxiosResponse } from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import { BoxClientError, BoxServerError } from '../../src/index.js';
import { peekErrorBody } from '../../src/box/streamed-error-body.js';
import { boxClient, rejection } from '../helpers/client.js';
import { json, resetAfter, respond, stallAfterHeaders, streamed, useFaultServer } from '../helpers/fault-server.js';
import { timed } from '../helpers/time.js';

// A download (`GET /files/:id/content`) asks for a stream (Node) or a Blob (browser). When Box
// answers it with an error, Box's code and message are in that body, which nobody has read.

const server = useFaultServer();

const NOT_FOUND = {
  type: 'error',
  status: 404,
  code: 'not_found',
  message: 'Could not find the specified resource',
  request_id: 'body-req-9',
  help_url: 'https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/',
  context_info: { errors: [{ reason: 'invalid_parameter', name: 'file_id' }] },
};
const UNAVAILABLE = { type: 'error', status: 503, code: 'unavailable', message: 'Unavailable', request_id: 'body-req-5' };

async function textOf(data: unknown): Promise<string> {
  if (data instanceof Blob) return data.text();
  return new Response(data as ReadableStream | Readable as never).text();
}

/** Resolves on 'close' only: a destroyed download may emit 'error' (aborted) before it. */
const closed = (stream: Readable): Promise<void> => new Promise((resolve) => stream.once('close', () => resolve()));

async function nodeText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function expectNotFoundFields(error: any): void {
  expect(error).toBeInstanceOf(BoxClientError);
  expect(error.boxCode).toBe('not_found');
  expect(error.boxMessage).toBe('Could not find the specified resource');
  expect(error.requestId).toBe('body-req-9');
  expect(error.helpUrl).toBe(NOT_FOUND.help_url);
  expect(error.contextInfo).toEqual(NOT_FOUND.context_info);
  expect(error.message).toBe('Box API 404 not_found: Could not find the specified resource (request body-req-9)');
}

describe('an error answered to a download carries Box fields read from its body', () => {
  it('http adapter, responseType stream: the fields, and the caller still reads every byte', async () => {
    server.script('/files/1/content', [json(404, NOT_FOUND, [['box-request-id', 'header-req']])]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.get('/files/1/content', { responseType: 'stream' }));
    expectNotFoundFields(error);
    const data = error.response.data;
    expect(data).toBeInstanceOf(Readable);
    expect(JSON.parse(await nodeText(data))).toEqual(NOT_FOUND);
  });

  it('a gzip-encoded error body is read decoded', async () => {
    server.script('/files/1/content', [
      respond(404, [['content-type', 'application/json'], ['content-encoding', 'gzip']], gzipSync(JSON.stringify(NOT_FOUND))),
    ]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.get('/files/1/content', { responseType: 'stream' }));
    expectNotFoundFields(error);
    expect(JSON.parse(await nodeText(error.response.data))).toEqual(NOT_FOUND);
  });

  it.each([
    ['stream', 'a web stream the caller can still read whole', ReadableStream],
    ['blob', 'the Blob is read, not consumed', Blob],
  ] as const)('fetch adapter, responseType %s: %s', async (responseType, _what, kind) => {
    server.script('/files/1/content', [json(404, NOT_FOUND)]);
    const { instance } = boxClient(server, {}, { adapter: 'fetch' });
    const error = await rejection(instance.get('/files/1/content', { responseType }));
    expectNotFoundFields(error);
    expect(error.response.data).toBeInstanceOf(kind);
    expect(JSON.parse(await textOf(error.response.data))).toEqual(NOT_FOUND);
  });

  it('a 5xx retried until exhausted: the last body is read, the ones retried past are not held', async () => {
    server.script('/files/1/content', [json(503, UNAVAILABLE)]);
    const { instance } = boxClient(server, { retries: 1 });
    const error = await rejection(instance.get('/files/1/content', { responseType: 'stream' }));
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.boxCode).toBe('unavailable');
    expect(error.requestId).toBe('body-req-5');
    expect(error.attempts).toBe(2);
    expect(server.count('/files/1/content')).toBe(2);
  });

  it('a body larger than 64 KiB is no Box error: fields undefined, and the caller reads all of it', async () => {
    const size = 300_000;
    server.script('/files/1/content', [streamed(404, [['content-type', 'text/html']], size, '<html>', 'x')]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.get('/files/1/content', { responseType: 'stream' }));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error.boxCode).toBeUndefined();
    expect(error.message).toBe('Box API 404: Not Found');
    const text = await nodeText(error.response.data);
    expect(text).toHaveLength(size);
    expect(text.startsWith('<html>xxx')).toBe(true);
  });

  it('a body that stalls after the headers holds the error no longer than the deadline', async () => {
    server.script('/files/1/content', [stallAfterHeaders(404, [['content-type', 'application/json']])]);
    const { instance } = boxClient(server, { deadlineMs: 150 });
    const [error, took] = await timed(rejection(instance.get('/files/1/content', { responseType: 'stream' })));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error.boxCode).toBeUndefined();
    // Not the 1 s a body may take without a deadline: the deadline's abort breaks the body off.
    expect(took).toBeLessThan(150 + 200);
    error.response.data.destroy();
  });

  it('a success stays the very stream axios gave: nothing is read from it', async () => {
    server.script('/files/1/content', [respond(200, [['content-type', 'application/octet-stream']], 'file bytes')]);
    const { instance } = boxClient(server);
    const response = await instance.get('/files/1/content', { responseType: 'stream' });
    expect(response.data.constructor.name).toBe('IncomingMessage');
    expect(await nodeText(response.data)).toBe('file bytes');
  });

  it('without process.getBuiltinModule (Node before 20.16) the stream is left whole, and the fields undefined', async () => {
    server.script('/files/1/content', [json(404, NOT_FOUND)]);
    const { instance } = boxClient(server);
    const saved = process.getBuiltinModule;
    (process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
    let error: any;
    try {
      error = await rejection(instance.get('/files/1/content', { responseType: 'stream' }));
    } finally {
      process.getBuiltinModule = saved;
    }
    expect(error.boxCode).toBeUndefined();
    expect(error.response.data.constructor.name).toBe('IncomingMessage');
    expect(JSON.parse(await nodeText(error.response.data))).toEqual(NOT_FOUND);
  });
});

describe('peekErrorBody: a slow or broken body neither holds the error nor loses a byte', () => {
  let opened: Readable[] = [];
  afterEach(() => {
    for (const stream of opened) stream.destroy();
    opened = [];
  });

  async function streamedResponse(path: string): Promise<AxiosResponse> {
    const response = await axios.get(`${server.url}${path}`, { responseType: 'stream', validateStatus: null });
    opened.push(response.data as Readable);
    return response;
  }

  it('a body that stalls after the headers: gives up after the wait, the stream still open', async () => {
    server.script('/stall', [stallAfterHeaders(404, [['content-type', 'application/json']])]);
    const response = await streamedResponse('/stall');
    const [text, took] = await timed(peekErrorBody(response, 40)!);
    expect(text).toBeUndefined();
    expect(took).toBeGreaterThanOrEqual(35);
    expect(took).toBeLessThan(1000);
    expect((response.data as Readable).destroyed).toBe(false);
  });

  it('a body reset mid-way: no text, and the copy fails where the original did', async () => {
    server.script('/reset', [resetAfter(404, [['content-type', 'application/json']], 500, '{"type":"error","code":"not_')]);
    const response = await streamedResponse('/reset');
    expect(await peekErrorBody(response, 1000)).toBeUndefined();
    const copy = response.data as Readable;
    const chunks: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of copy) chunks.push(String(chunk));
      })(),
    ).rejects.toThrow();
    expect(chunks.join('')).toBe('{"type":"error","code":"not_');
  });

  it('destroying the copy of a body left partly unread destroys the original', async () => {
    server.script('/big', [streamed(404, [['content-type', 'text/html']], 1_000_000)]);
    const response = await streamedResponse('/big');
    const original = response.data as Readable;
    expect(await peekErrorBody(response, 1000)).toBeUndefined();
    const copy = response.data as Readable;
    expect(copy).not.toBe(original);
    // Reading a little starts the replay; destroying then ends both.
    await once(copy, 'readable');
    copy.read();
    copy.destroy();
    await closed(original);
    expect(original.destroyed).toBe(true);
  });

  it('destroying the copy before reading a byte of it destroys the original too', async () => {
    server.script('/big', [streamed(404, [['content-type', 'text/html']], 1_000_000)]);
    const response = await streamedResponse('/big');
    const original = response.data as Readable;
    await peekErrorBody(response, 1000);
    (response.data as Readable).destroy();
    await closed(original);
    expect(original.destroyed).toBe(true);
  });

  it('a copy read to its end leaves nothing open', async () => {
    server.script('/small', [json(404, NOT_FOUND)]);
    const response = await streamedResponse('/small');
    const original = response.data as Readable;
    expect(JSON.parse((await peekErrorBody(response, 1000)) as string)).toEqual(NOT_FOUND);
    expect(JSON.parse(await nodeText(response.data as Readable))).toEqual(NOT_FOUND);
    expect(original.readableEnded).toBe(true);
  });
});

describe('a body that cannot be read', () => {
  it('a Blob whose text() rejects: the Box error, with the fields undefined', async () => {
    const unreadable = { size: 10, text: () => Promise.reject(new Error('blob gone')) };
    const { instance } = boxClient(server, {}, {
      adapter: async (config) => ({ status: 404, statusText: 'Not Found', headers: {}, config, data: unreadable }),
    });
    const error = await rejection(instance.get('/files/1/content', { responseType: 'blob' }));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error.boxCode).toBeUndefined();
    expect(error.message).toBe('Box API 404: Not Found');
    expect(error.response.data).toBe(unreadable);
  });
});
