import { existsSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

// The built plugin in a real browser: Debian's Chromium (installed by .ci/run), driven by
// playwright-core, never a downloaded browser. The page and the API are on two loopback origins,
// so every call is a CORS call, and the browser hides any response header the API does not list
// in Access-Control-Expose-Headers. `npm test` builds dist/ first.
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env['CI']) throw new Error(`CI needs Chromium at ${CHROMIUM} (.ci/run installs it)`);

const root = fileURLToPath(new URL('../..', import.meta.url));

// Bundled for the browser with esbuild, so axios resolves to its browser build (XHR adapter).
const APP = `
import axios from 'axios';
import { attachBoxStatus, isBoxClientError, BOX_CHANNELS } from './dist/index.js';
window.runBox = async (api) => {
  const events = [];
  const box = axios.create({ baseURL: api, headers: { Authorization: 'Bearer browser-token' } });
  attachBoxStatus(box, {
    retry: {
      baseDelayMs: 5, maxDelayMs: 5, jitter: 'none',
      onRetry: (e) => { events.push({ url: e.config.url, reason: e.reason, delayMs: e.delayMs, delaySource: e.delaySource, retryAfterMs: e.retryAfterMs ?? null }); },
    },
  });
  const out = { adapter: typeof XMLHttpRequest };
  const ok = await box.get('/ok');
  out.ok = { kind: ok.boxStatus.kind, attempts: ok.boxStatus.attempts, requestId: ok.boxStatus.requestId ?? null };
  const flaky = await box.get('/flaky');
  out.flaky = { status: flaky.status, attempts: flaky.boxStatus.attempts };
  try { await box.get('/missing'); } catch (e) {
    out.missing = { name: e.name, client: isBoxClientError(e), code: e.boxCode, status: e.status, requestId: e.requestId };
  }
  const exposed = await box.get('/limit-exposed');
  out.exposed = exposed.boxStatus.attempts;
  const hidden = await box.get('/limit-hidden');
  out.hidden = hidden.boxStatus.attempts;
  const asValue = await box.get('/missing', { validateStatus: () => true });
  out.asValue = { status: asValue.status, kind: asValue.boxStatus.kind, waitedMs: typeof asValue.boxStatus.waitedMs };
  // No diagnostics_channel here: the events are named, and nothing is published (nor breaks).
  out.channels = Object.keys(BOX_CHANNELS).length;
  out.process = typeof process;
  out.events = events;
  return out;
};
`;

let api: http.Server;
let site: http.Server;
let browser: Browser | undefined;
let apiUrl = '';
let bundled = '';
let siteUrl = '';
const counts = new Map<string, number>();

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function answer(req: IncomingMessage, res: ServerResponse): void {
  const cors: Record<string, string> = {
    'access-control-allow-origin': siteUrl,
    'access-control-allow-headers': 'authorization, content-type',
    'access-control-allow-methods': 'GET, POST, PUT, DELETE',
  };
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors).end();
    return;
  }
  const path = req.url ?? '/';
  const count = (counts.get(path) ?? 0) + 1;
  counts.set(path, count);
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { ...cors, 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
  const tooMany = { type: 'error', status: 429, code: 'rate_limit_exceeded', message: 'Slow down', request_id: 'r429' };
  switch (path) {
    case '/ok':
      return json(200, { id: '0' }, { 'box-request-id': 'req-ok', 'access-control-expose-headers': 'box-request-id' });
    case '/flaky':
      return count === 1 ? json(503, { type: 'error', status: 503, code: 'unavailable', message: 'Unavailable' }) : json(200, {});
    case '/missing':
      return json(404, { type: 'error', status: 404, code: 'not_found', message: 'Not Found', request_id: 'r404' });
    case '/limit-exposed':
      return count === 1
        ? json(429, tooMany, { 'retry-after': '0.2', 'access-control-expose-headers': 'retry-after' })
        : json(200, {});
    case '/limit-hidden':
      return count === 1 ? json(429, tooMany, { 'retry-after': '0.2' }) : json(200, {});
    default:
      return json(404, {});
  }
}

beforeAll(async () => {
  if (!available) return;
  const bundle = await build({
    stdin: { contents: APP, resolveDir: root, loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  bundled = script;
  api = http.createServer(answer);
  site = http.createServer((req, res) => {
    if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/app.js"></script>');
  });
  apiUrl = await listen(api);
  siteUrl = await listen(site);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless=new', '--no-sandbox'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  api?.closeAllConnections();
  site?.closeAllConnections();
  await Promise.all([api, site].map((server) => server && new Promise((resolve) => server.close(resolve))));
});

it.skipIf(!available)(
  'in Chromium, across origins: classification, a 503 retried, a 4xx as BoxClientError, Retry-After only when exposed',
  async () => {
    // The events reach node:diagnostics_channel through process.getBuiltinModule, never an import.
    expect(bundled).not.toMatch(/\bfrom\s*["']node:|\b(?:require|import)\(\s*["']node:/);
    const page = await (browser as Browser).newPage();
    await page.goto(siteUrl);
    await page.waitForFunction(() => 'runBox' in window);
    const out = await page.evaluate((url) => (window as unknown as { runBox(api: string): Promise<unknown> }).runBox(url), apiUrl);
    expect(out).toEqual({
      adapter: 'function',
      ok: { kind: 'success', attempts: 1, requestId: 'req-ok' },
      flaky: { status: 200, attempts: 2 },
      missing: { name: 'BoxClientError', client: true, code: 'not_found', status: 404, requestId: 'r404' },
      exposed: 2,
      hidden: 2,
      asValue: { status: 404, kind: 'client-error', waitedMs: 'number' },
      channels: 5,
      process: 'undefined',
      events: [
        { url: '/flaky', reason: 'status 503', delayMs: 5, delaySource: 'backoff', retryAfterMs: null },
        // Exposed: the browser lets the plugin read it, and it is waited exactly.
        { url: '/limit-exposed', reason: 'status 429', delayMs: 200, delaySource: 'retry-after', retryAfterMs: 200 },
        // Hidden: the header is invisible to JavaScript; the computed backoff is used instead.
        { url: '/limit-hidden', reason: 'status 429', delayMs: 5, delaySource: 'backoff', retryAfterMs: null },
      ],
    });
    await page.close();
  },
  60_000,
);
