import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { perTest } from './per-test.js';

// A raw TCP server speaking just enough HTTP/1.1 to script what node:http will not do: reset a
// socket at an exact point of a response, repeat a header line, declare a length it never sends.

/** One request as it arrived. */
export interface FaultRequest {
  method: string;
  path: string;
  /** Lower-case names; a repeated request header keeps its last value. */
  headers: Record<string, string>;
  body: string;
  /** 1-based number of the connection it came on, in accept order. */
  connection: number;
}

/** What a scripted fault acts on. */
export interface Exchange {
  request: FaultRequest;
  socket: net.Socket;
  /** Send bytes, then run `then` once the kernel has taken them (before an RST, say). */
  write(data: string | Buffer, then?: () => void): void;
}

export type Fault = (exchange: Exchange) => void;

/** Header lines in order, so that a name may repeat. */
export type HeaderLines = ReadonlyArray<readonly [string, string]>;

export interface FaultServer {
  url: string;
  /** Every request received, in order. */
  log: FaultRequest[];
  /** Connections accepted so far. */
  connections(): number;
  /** Resolves once the server side of a connection (1-based, in accept order) has closed. */
  closed(connection: number): Promise<void>;
  /** Requests received for a path (query ignored). */
  count(path: string): number;
  /** The n-th request of a path gets the n-th fault; the last one repeats. Unscripted paths answer 404. */
  script(path: string, faults: Fault[]): void;
  close(): Promise<void>;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** A status line and header lines, as bytes on the wire. */
export function head(status: number, headers: HeaderLines): string {
  const lines = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `HTTP/1.1 ${status} ${REASONS[status] ?? 'Status'}\r\n${lines}\r\n`;
}

function hasHeader(headers: HeaderLines, name: string): boolean {
  return headers.some(([key]) => key.toLowerCase() === name);
}

/**
 * How the server leaves the connection after a response: open for the next request (keep-alive),
 * closed after saying `connection: close`, or closed without a word, as a load balancer drops an
 * idle connection.
 */
export type After = 'keep-alive' | 'announced-close' | 'silent-close';

/**
 * A whole response with the header lines as given (repeats included) and a content-length
 * unless one is given.
 */
export function respond(
  status: number,
  headers: HeaderLines = [],
  body: string | Buffer = '',
  after: After = 'keep-alive',
): Fault {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const lines: Array<readonly [string, string]> = [...headers];
  if (!hasHeader(lines, 'content-length')) lines.push(['content-length', String(bytes.length)]);
  if (after === 'announced-close') lines.push(['connection', 'close']);
  return ({ socket, write }) => {
    write(Buffer.concat([Buffer.from(head(status, lines)), bytes]), () => {
      if (after !== 'keep-alive') socket.end();
    });
  };
}

/** A JSON response. */
export function json(status: number, value: unknown, headers: HeaderLines = [], after?: After): Fault {
  return respond(status, [['content-type', 'application/json'], ...headers], JSON.stringify(value), after);
}

/** Reset the connection (TCP RST) without a byte of answer. */
export const resetBeforeHeaders: Fault = ({ socket }) => {
  socket.resetAndDestroy();
};

// Long enough for the client to have read what was sent before the RST arrives, short next to
// the test budget. The RST itself does not discard data already received, so this is slack.
const SETTLE_MS = 15;

/**
 * Send the status line and headers promising `contentLength` bytes, then the first `sent` bytes
 * of the body, then reset the connection.
 */
export function resetAfter(status: number, headers: HeaderLines, contentLength: number, sent = ''): Fault {
  return ({ socket, write }) => {
    const lines: HeaderLines = [...headers, ['content-length', String(contentLength)]];
    write(head(status, lines) + sent, () => {
      setTimeout(() => socket.resetAndDestroy(), SETTLE_MS);
    });
  };
}

/**
 * Send the status line and headers promising `contentLength` bytes and the first `sent` of them,
 * then close the connection cleanly (a FIN, no reset): the body simply ends short.
 */
export function closeAfter(status: number, headers: HeaderLines, contentLength: number, sent: string): Fault {
  return ({ socket, write }) => {
    write(head(status, [...headers, ['content-length', String(contentLength)]]) + sent, () => {
      setTimeout(() => socket.end(), SETTLE_MS);
    });
  };
}

/** Send the status line and headers promising a body, then nothing more (the client's timeout ends it). */
export function stallAfterHeaders(status: number, headers: HeaderLines = []): Fault {
  return ({ write }) => {
    write(head(status, [...headers, ['content-length', '1000']]));
  };
}

/**
 * A response of `size` bytes: `prefix` and then `filler` repeated, streamed in 64 KiB chunks that
 * wait for the socket to drain, so neither side holds the whole body at once.
 */
export function streamed(status: number, headers: HeaderLines, size: number, prefix = '', filler = 'x'): Fault {
  return ({ socket }) => {
    const chunkSize = 1 << 16;
    const chunk = Buffer.alloc(chunkSize, filler);
    socket.write(head(status, [...headers, ['content-length', String(size)]]));
    let left = size;
    if (prefix) {
      socket.write(prefix);
      left -= Buffer.byteLength(prefix);
    }
    const pump = (): void => {
      while (left > 0 && !socket.destroyed) {
        const piece = left >= chunkSize ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        if (!socket.write(piece)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
  };
}

interface Parsed {
  request: Omit<FaultRequest, 'connection'>;
  rest: Buffer;
}

/** One request off the front of `buffer`, or undefined when it has not all arrived. */
function parseRequest(buffer: Buffer): Parsed | undefined {
  const end = buffer.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [requestLine = '', ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (headers['transfer-encoding']) throw new Error('fault-server: chunked request bodies are not supported');
  const length = Number(headers['content-length'] ?? 0);
  const bodyStart = end + 4;
  if (buffer.length < bodyStart + length) return undefined;
  const [method = 'GET', url = '/'] = requestLine.split(' ');
  return {
    request: {
      method,
      path: url.split('?')[0] ?? url,
      headers,
      body: buffer.subarray(bodyStart, bodyStart + length).toString('utf8'),
    },
    rest: buffer.subarray(bodyStart + length),
  };
}

export async function startFaultServer(): Promise<FaultServer> {
  const scripts = new Map<string, Fault[]>();
  const counts = new Map<string, number>();
  const log: FaultRequest[] = [];
  const sockets = new Set<net.Socket>();
  const closings: Array<Promise<void>> = [];
  let accepted = 0;

  const server = net.createServer((socket) => {
    accepted += 1;
    const connection = accepted;
    sockets.add(socket);
    closings.push(new Promise((resolve) => socket.once('close', () => resolve())));
    socket.on('close', () => sockets.delete(socket));
    // The client resetting or closing first is part of the game, not a failure of the server.
    socket.on('error', () => {});
    let buffer: Buffer = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      for (let parsed = parseRequest(buffer); parsed; parsed = parseRequest(buffer)) {
        buffer = parsed.rest;
        const request: FaultRequest = { ...parsed.request, connection };
        log.push(request);
        const count = (counts.get(request.path) ?? 0) + 1;
        counts.set(request.path, count);
        const faults = scripts.get(request.path);
        const fault = faults?.[Math.min(count, faults.length) - 1] ?? json(404, { type: 'error', status: 404 });
        fault({
          request,
          socket,
          write: (bytes, then) => {
            if (!socket.destroyed) socket.write(bytes, () => then?.());
          },
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    connections: () => accepted,
    closed: (connection) => closings[connection - 1] ?? Promise.reject(new Error(`no connection ${connection}`)),
    count: (path) => counts.get(path) ?? 0,
    script: (path, faults) => {
      scripts.set(path, faults);
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A fresh fault server for each test of the calling file, closed after it. */
export function useFaultServer(): FaultServer {
  return perTest(startFaultServer, 'the fault server');
}
