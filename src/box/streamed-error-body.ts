import type { AxiosResponse } from 'axios';

// A Box error body is well under a kilobyte: a streamed body larger than this is no Box error,
// and what is left of it stays unread, for the caller.
const PEEK_MAX_BYTES = 64 * 1024;
/** How long an error waits for its streamed body. It comes with the headers; a stall must not hold the error. */
const PEEK_WAIT_MS = 1000;

const TIME_UP = Symbol('time up');

type Next = () => Promise<IteratorResult<unknown>>;

/** What was read of a body: its chunks, and its text when the whole body came within the limits. */
interface Head {
  chunks: unknown[];
  text?: string;
  /** The read still pending when time ran out: the replay picks it up. */
  pending?: Promise<IteratorResult<unknown>>;
  /** The stream failed while it was read: the replay fails the same way. */
  failure?: { error: unknown };
}

interface NodeStream extends AsyncIterable<unknown> {
  pipe: unknown;
  readableObjectMode?: boolean;
}

interface WebStream {
  locked: boolean;
  tee(): [WebStream, WebStream];
  getReader(): { read: Next; cancel(): Promise<void> };
}

interface BlobLike {
  size: number;
  text(): Promise<string>;
}

/**
 * The text of an error body nobody has read yet, a download's (`responseType: 'stream'` or
 * `'blob'`) that Box answered with an error: its Box fields are in it. Undefined at once when the
 * body is no such thing; else a promise of the text read within {@link PEEK_MAX_BYTES} and
 * `waitMs`, undefined when it is larger, slower or failed. A stream is read through a copy (a web
 * stream's tee; a Node stream replayed into a new one, set as `response.data`), so the caller can
 * still read every byte; a Blob is not consumed.
 */
export function peekErrorBody(response: AxiosResponse, waitMs = PEEK_WAIT_MS): Promise<string | undefined> | undefined {
  const data = response.data as Partial<NodeStream & WebStream & BlobLike> | null;
  if (typeof data !== 'object' || data === null) return undefined;
  if (typeof data.getReader === 'function') {
    const web = data as WebStream;
    if (web.locked) return undefined;
    const [mine, theirs] = web.tee();
    response.data = theirs;
    const reader = mine.getReader();
    return readHead(() => reader.read(), waitMs).then((head) => {
      // Only this branch: the caller's keeps the rest.
      if (head.text === undefined) reader.cancel().catch(() => {});
      return head.text;
    });
  }
  if (typeof data.pipe === 'function' && typeof data[Symbol.asyncIterator] === 'function') {
    const node = data as NodeStream;
    const Readable = nodeReadable();
    // Without a way to hand the caller an equal stream, reading it would take it from them.
    if (!Readable) return undefined;
    const iterator = node[Symbol.asyncIterator]();
    return readHead(() => iterator.next(), waitMs).then((head) => {
      const copy = Readable.from(replay(head, iterator), { objectMode: node.readableObjectMode === true });
      // The caller destroying the copy, read or not, releases the original and its socket.
      copy.once('close', () => void iterator.return?.());
      response.data = copy;
      return head.text;
    });
  }
  if (typeof data.text === 'function' && typeof data.size === 'number') {
    return data.size <= PEEK_MAX_BYTES ? data.text() : undefined;
  }
  return undefined;
}

async function readHead(next: Next, waitMs: number): Promise<Head> {
  const chunks: unknown[] = [];
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeUp = new Promise<typeof TIME_UP>((resolve) => {
    timer = setTimeout(resolve, waitMs, TIME_UP);
  });
  try {
    while (bytes <= PEEK_MAX_BYTES) {
      const pending = next();
      const result = await Promise.race([pending, timeUp]);
      if (result === TIME_UP) return { chunks, pending };
      if (result.done) return { chunks, text: text + decoder.decode() };
      const chunk = result.value;
      chunks.push(chunk);
      if (typeof chunk === 'string') {
        text += chunk;
        bytes += chunk.length;
      } else if (chunk instanceof Uint8Array) {
        text += decoder.decode(chunk, { stream: true });
        bytes += chunk.byteLength;
      } else {
        return { chunks };
      }
    }
    return { chunks };
  } catch (error) {
    return { chunks, failure: { error } };
  } finally {
    clearTimeout(timer);
  }
}

/** The bytes already read, then the rest of the original stream, failing where it failed. */
async function* replay(head: Head, iterator: AsyncIterator<unknown>): AsyncGenerator<unknown> {
  yield* head.chunks;
  if (head.failure) throw head.failure.error;
  if (head.text !== undefined) return;
  let result = await (head.pending ?? iterator.next());
  while (!result.done) {
    yield result.value;
    result = await iterator.next();
  }
}

interface ReadableClass {
  from(iterable: AsyncIterable<unknown>, options: { objectMode: boolean }): { once(event: 'close', listener: () => void): unknown };
}

/**
 * Node's Readable, looked up at run time: a Node stream only exists in Node, and a static
 * import would break the browser build. Node before 20.16 has no getBuiltinModule; there a
 * streamed error keeps its stream whole and its Box fields undefined.
 */
function nodeReadable(): ReadableClass | undefined {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return (runtime?.getBuiltinModule?.('node:stream') as { Readable?: ReadableClass } | undefined)?.Readable;
}
