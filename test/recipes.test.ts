import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { boxError, useBoxServer, type BoxServer, type LoggedRequest, type Reply } from './helpers/box-server.js';

// The recipes in examples/, run as a user runs them (node, the built package by its own name)
// against a local Box-like server whose base URL they take from BOX_API_BASE_URL. `npm test`
// builds first.
const server = useBoxServer();
const ACCESS_TOKEN = 'ccg-access-token-5e6f7a8b9c';
const CLIENT_SECRET = 'recipe-client-secret-0d1e2f';
const DEVELOPER_TOKEN = 'developer-token-3c4d5e6f7a';

/** Run examples/<name>.mjs against the server; its stdout. */
async function runExample(name: string, args: string[] = []): Promise<string> {
  const file = fileURLToPath(new URL(`../examples/${name}.mjs`, import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [file, ...args], {
    env: {
      ...process.env,
      BOX_API_BASE_URL: server.url,
      BOX_CLIENT_ID: 'recipe-client-id',
      BOX_CLIENT_SECRET: CLIENT_SECRET,
      BOX_ENTERPRISE_ID: '4242',
      BOX_DEVELOPER_TOKEN: DEVELOPER_TOKEN,
    },
    timeout: 30_000,
  });
  return stdout;
}

const authorized = (request: LoggedRequest, reply: Reply): Reply =>
  request.headers.authorization === `Bearer ${ACCESS_TOKEN}` ? reply : { status: 401, body: boxError(401, 'unauthorized', 'Unauthorized') };

/**
 * What the logging and metrics recipes meet: a token endpoint (CCG), a folder answered 503 once, a
 * burst of searches whose first is answered 429, and a file that is gone.
 */
function scriptTheApp(box: BoxServer): void {
  box.script('/oauth2/token', [{ status: 200, body: { access_token: ACCESS_TOKEN, expires_in: 3600, token_type: 'bearer' } }]);
  box.script('/folders/0', (count, request) =>
    authorized(request, count === 1 ? { status: 503, headers: { 'retry-after': '0.01' }, body: boxError(503, 'unavailable', 'Unavailable') } : { body: { type: 'folder', id: '0', name: 'All Files' } }),
  );
  box.script('/search', (count, request) =>
    authorized(
      request,
      count === 1
        ? { status: 429, headers: { 'retry-after': '0.05' }, body: boxError(429, 'rate_limit_exceeded', 'Request rate limit exceeded') }
        : { body: { entries: [], total_count: 0 } },
    ),
  );
  box.script('/files/404404', (_count, request) => authorized(request, { status: 404, body: boxError(404, 'not_found', 'Not Found', 'req-gone') }));
}

describe('examples/not-found-as-value.mjs', () => {
  it('a missing file is an answer, not an error; a present one gives its name', async () => {
    server.script('/files/12345', [{ status: 404, body: boxError(404, 'not_found', 'Not Found', 'req-nf-1') }]);
    server.script('/files/67890', [{ body: { type: 'file', id: '67890', name: 'report.pdf' } }]);
    const stdout = await runExample('not-found-as-value', ['12345', '67890']);
    expect(stdout.trim().split('\n')).toEqual(['file 12345: does not exist (Box request req-nf-1)', 'file 67890: report.pdf']);
    expect(server.log.every((request) => request.headers.authorization === `Bearer ${DEVELOPER_TOKEN}`)).toBe(true);
    expect(server.log.map((request) => request.url)).toEqual(['/files/12345?fields=name', '/files/67890?fields=name']);
  }, 40_000);
});

describe('examples/logging-pino.mjs', () => {
  it('logs the refresh, each retry, the pause, the waits and the give-up as JSON lines, with no credential', async () => {
    scriptTheApp(server);
    const stdout = await runExample('logging-pino');
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.every((line) => line['name'] === 'box')).toBe(true);
    const messages = lines.map((line) => String(line['msg']));
    expect(lines).toContainEqual(expect.objectContaining({ reason: 'missing', ok: true, msg: expect.stringMatching(/^token refreshed \(missing\) in \d+ ms$/) }));
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        method: 'GET',
        url: `${server.url}/folders/0`,
        attempt: 2,
        status: 503,
        delayMs: 10,
        delaySource: 'retry-after',
        msg: `retrying GET ${server.url}/folders/0 in 10 ms (status 503)`,
      }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ scope: 'default', ms: 50, status: 429, msg: 'Box answered 429: default pauses 50 ms' }));
    expect(lines).toContainEqual(expect.objectContaining({ attempt: 2, status: 429, delaySource: 'retry-after' }));
    // Eight searches at once under Box's 6 a second: some wait for a slot.
    expect(lines.filter((line) => line['holder'] === 'rate-limit').length).toBeGreaterThanOrEqual(1);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 50, attempts: 1, reason: 'not retryable', status: 404, msg: `gave up on GET ${server.url}/files/404404 after 1 attempts: not retryable` }),
    );
    const listed = lines.find((line) => line['msg'] === 'root folder listed');
    expect(listed).toMatchObject({ attempts: 2 });
    expect(listed?.['waitedMs']).toBeGreaterThanOrEqual(9);
    expect(messages).toContain('searches done');
    expect(messages).toContain('no such file');
    for (const secret of [ACCESS_TOKEN, CLIENT_SECRET]) expect(stdout).not.toContain(secret);
    expect(server.count('/oauth2/token')).toBe(1);
  }, 40_000);
});

describe('examples/metrics-otel.mjs', () => {
  interface Point {
    metric: string;
    attributes: Record<string, unknown>;
    value: number | { count: number; sum: number };
  }

  it('counts retries by status, waits by holder, pauses, refreshes and give-ups with the OpenTelemetry SDK', async () => {
    scriptTheApp(server);
    const stdout = await runExample('metrics-otel');
    const points = stdout.trim().split('\n').map((line) => JSON.parse(line) as Point);
    const value = (metric: string, attributes: Record<string, unknown>): Point['value'] | undefined =>
      points.find((point) => point.metric === metric && JSON.stringify(point.attributes) === JSON.stringify(attributes))?.value;
    expect(value('box.retries', { status: '503', source: 'retry-after' })).toBe(1);
    expect(value('box.retries', { status: '429', source: 'retry-after' })).toBe(1);
    expect(value('box.pauses', { status: '429' })).toBe(1);
    expect(value('box.token.refreshes', { reason: 'missing', ok: true })).toBe(1);
    expect(value('box.token.refresh.duration', { reason: 'missing' })).toMatchObject({ count: 1 });
    expect(value('box.give_ups', { reason: 'not retryable' })).toBe(1);
    const slotWaits = value('box.wait', { holder: 'rate-limit' }) as { count: number; sum: number } | undefined;
    expect(slotWaits?.count).toBeGreaterThanOrEqual(1);
    expect(slotWaits?.sum).toBeGreaterThan(0);
    for (const secret of [ACCESS_TOKEN, CLIENT_SECRET]) expect(stdout).not.toContain(secret);
  }, 40_000);
});
