import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { perTest } from './per-test.js';

/** One scripted reply. */
export interface Reply {
  status?: number;
  headers?: Record<string, string | string[]>;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  /** Wait before answering. */
  delayMs?: number;
  /** Destroy the socket without answering (the client sees ECONNRESET or "socket hang up"). */
  destroy?: boolean;
  /** Never answer (the client's timeout or abort ends it). */
  hang?: boolean;
  /** Answer once this settles (after `delayMs`, if both). */
  after?: Promise<unknown>;
  /** Send the headers, then the body one character every `trickleMs`. */
  trickleMs?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `performance.now()` when the request had been read. */
  receivedAt: number;
  /** `performance.now()` when its reply was written; undefined until then (or never). */
  answeredAt?: number;
  /** `performance.now()` when the client closed the connection before any reply was written. */
  closedAt?: number;
}

type Script = Reply[] | ((count: number, request: LoggedRequest) => Reply);

export interface BoxServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Every request received, in order. */
  log: LoggedRequest[];
  /** Requests received for a path (query ignored). */
  count(path: string): number;
  /**
   * Script the replies of a path (any method, query ignored): the n-th request gets the n-th
   * reply, and the last reply repeats; or a function of the 1-based count and the request.
   */
  script(path: string, replies: Script): void;
  close(): Promise<void>;
}

/** Box's standard error body for a status and code. */
export function boxError(status: number, code: string, message: string, requestId = `req-${code}`) {
  return {
    type: 'error',
    status,
    code,
    message,
    context_info: {},
    help_url: 'https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/',
    request_id: requestId,
  };
}

/** A scripted Box-like server on 127.0.0.1 with a request log. Unscripted paths answer 404. */
export async function startBoxServer(): Promise<BoxServer> {
  const scripts = new Map<string, Script>();
  const counts = new Map<string, number>();
  const log: LoggedRequest[] = [];
  const pending = new Set<NodeJS.Timeout>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      const path = url.split('?')[0] ?? url;
      const entry: LoggedRequest = {
        method: req.method ?? 'GET',
        path,
        url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: performance.now(),
      };
      log.push(entry);
      res.on('close', () => {
        if (entry.answeredAt === undefined) entry.closedAt ??= performance.now();
      });
      const count = (counts.get(path) ?? 0) + 1;
      counts.set(path, count);
      const script = scripts.get(path);
      const reply: Reply = !script
        ? { status: 404, body: boxError(404, 'not_found', 'Not Found') }
        : typeof script === 'function'
          ? script(count, entry)
          : (script[Math.min(count, script.length) - 1] ?? {});
      const answer = (): void => {
        if (reply.hang) return;
        if (reply.destroy) {
          req.socket.destroy();
          return;
        }
        const body =
          reply.body === undefined
            ? ''
            : typeof reply.body === 'string'
              ? reply.body
              : JSON.stringify(reply.body);
        const headers: Record<string, string | string[]> = {
          ...(typeof reply.body === 'object' ? { 'content-type': 'application/json' } : {}),
          ...reply.headers,
        };
        res.writeHead(reply.status ?? 200, headers);
        entry.answeredAt = performance.now();
        if (reply.trickleMs) {
          let sent = 0;
          const timer = setInterval(() => {
            if (res.destroyed || sent >= body.length) {
              clearInterval(timer);
              pending.delete(timer);
              res.end();
              return;
            }
            res.write(body[sent]);
            sent += 1;
          }, reply.trickleMs);
          pending.add(timer);
          return;
        }
        res.end(body);
      };
      const gated = (): void => {
        if (reply.after) void reply.after.then(answer, answer);
        else answer();
      };
      if (reply.delayMs) {
        const timer = setTimeout(() => {
          pending.delete(timer);
          gated();
        }, reply.delayMs);
        pending.add(timer);
      } else {
        gated();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    count: (path) => counts.get(path) ?? 0,
    script: (path, replies) => {
      scripts.set(path, replies);
    },
    close: async () => {
      for (const timer of pending) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (connecting gives ECONNREFUSED). */
export async function refusedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A 503 with Box's standard body. */
export const unavailable: Reply = { status: 503, body: boxError(503, 'unavailable', 'Unavailable') };
/** A 429 with Box's body, and a Retry-After when given. */
export function tooMany(retryAfter?: string): Reply {
  return {
    status: 429,
    body: boxError(429, 'rate_limit_exceeded', 'Request rate limit exceeded'),
    ...(retryAfter === undefined ? {} : { headers: { 'retry-after': retryAfter } }),
  };
}

/** A plain 200. */
export const ok: Reply = { status: 200, body: { ok: true } };

/** A fresh server for each test of the calling file, closed after it. */
export function useBoxServer(): BoxServer {
  return perTest(startBoxServer, 'the test server');
}
