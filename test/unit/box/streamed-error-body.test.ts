import { Readable } from 'node:stream';
import type { AxiosResponse } from 'axios';
import { describe, expect, it } from 'vitest';
import { peekErrorBody } from '../../../src/box/streamed-error-body.js';

// Bodies made in process (no socket); the socket cases are in test/integration/streamed-errors.

const responseOf = (data: unknown): AxiosResponse => ({ data }) as AxiosResponse;

async function drain(stream: Readable): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

describe('peekErrorBody', () => {
  it('is undefined at once for a body that is no stream or Blob', () => {
    for (const data of [undefined, null, '{"code":"x"}', { code: 'x' }, new Uint8Array([123]), 42]) {
      expect(peekErrorBody(responseOf(data))).toBeUndefined();
    }
  });

  it('reads a stream of strings, and the copy keeps its object mode and chunks', async () => {
    const response = responseOf(Readable.from(['{"code":', '"not_found"}']));
    expect(await peekErrorBody(response)).toBe('{"code":"not_found"}');
    const copy = response.data as Readable;
    expect(copy.readableObjectMode).toBe(true);
    expect(await drain(copy)).toEqual(['{"code":', '"not_found"}']);
  });

  it('a stream of objects has no text, and the copy replays the objects', async () => {
    const response = responseOf(Readable.from([{ a: 1 }, { b: 2 }]));
    expect(await peekErrorBody(response)).toBeUndefined();
    expect(await drain(response.data as Readable)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('a multi-byte character split across chunks is decoded whole', async () => {
    const bytes = Buffer.from('{"message":"déjà vu"}');
    const response = responseOf(Readable.from([bytes.subarray(0, 14), bytes.subarray(14)], { objectMode: false }));
    expect(await peekErrorBody(response)).toBe('{"message":"déjà vu"}');
  });

  it('leaves a locked web stream to the reader that holds it', () => {
    const stream = new ReadableStream();
    stream.getReader();
    const response = responseOf(stream);
    expect(peekErrorBody(response)).toBeUndefined();
    expect(response.data).toBe(stream);
  });

  it('a web stream over 64 KiB: no text, its branch cancelled, the caller reads every byte', async () => {
    const big = new Uint8Array(100_000).fill(120);
    const response = responseOf(new Blob([big]).stream());
    expect(await peekErrorBody(response)).toBeUndefined();
    expect((await new Response(response.data as ReadableStream).arrayBuffer()).byteLength).toBe(100_000);
  });

  it('a Blob over 64 KiB is not read', () => {
    let read = false;
    const blob = { size: 65_537, text: () => ((read = true), Promise.resolve('')) };
    expect(peekErrorBody(responseOf(blob))).toBeUndefined();
    expect(read).toBe(false);
  });
});
