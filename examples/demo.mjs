// axios-box-status demo: `npm run demo` (builds first, then runs this file).
//
// Starts a small Box-like HTTP server on 127.0.0.1 (a random free port; nothing goes out to the
// network), sends a handful of realistic Box API calls through an axios instance with the plugin
// attached, and prints what was sent, every wait before a retry, and how each call ended.
// Set NO_COLOR=1 for plain output.

import { createHash } from 'node:crypto';
import http from 'node:http';
import axios from 'axios';
import {
  attachBoxStatus,
  boxClientCredentialsGrant,
  boxRefreshTokenGrant,
  createBoxAuth,
  isBoxApiError,
  isBoxClientError,
  isBoxServerError,
} from 'axios-box-status';

// ---------------------------------------------------------------------------------------------
// Output helpers (colour only on a terminal, and never when NO_COLOR is set)

const useColour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code) => (text) => (useColour ? `\x1b[${code}m${text}\x1b[0m` : String(text));
const bold = paint('1');
const dim = paint('2');
const red = paint('31');
const green = paint('32');
const yellow = paint('33');
const cyan = paint('36');

const say = (line = '') => console.log(line);
const ms = (value) => `${Math.round(value)} ms`;
let failures = 0;

function check(ok, what) {
  if (!ok) {
    failures += 1;
    say(`   ${red('!! unexpected:')} ${what}`);
  }
}

// ---------------------------------------------------------------------------------------------
// A tiny Box-like server

const TOKEN = 'Bearer demo-access-token-5f2c9a1e';
const hits = new Map(); // "METHOD /path" -> requests received
let served = 0;
// Access tokens the server accepts now: the demo's fixed one, and those its token endpoint issues.
const validTokens = new Set([TOKEN]);
let issuedTokens = 0;

/** Box-looking ids, the same on every run. */
const boxId = (seed) => createHash('sha1').update(String(seed)).digest('hex').slice(0, 16);

/** Box's standard error body. */
function boxError(status, code, message, extra = {}) {
  return {
    type: 'error',
    status,
    code,
    message,
    ...extra,
    help_url: 'https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/',
    request_id: boxId(`body-${served}`),
  };
}

/** Per route: what to answer to the nth request (1-based). */
const routes = {
  'GET /2.0/folders/0': () => [200, {}, { type: 'folder', id: '0', name: 'All Files', item_collection: { total_count: 2 } }],
  'GET /2.0/files/123': (n) =>
    n <= 2
      ? [503, {}, boxError(503, 'unavailable', 'Unavailable')]
      : [200, {}, { type: 'file', id: '123', name: 'Budget 2026.xlsx', size: 48213 }],
  'GET /2.0/search': (n) =>
    n === 1
      ? [429, { 'retry-after': '0.2' }, boxError(429, 'rate_limit_exceeded', 'Request rate limit exceeded, please try again later')]
      : [200, {}, { total_count: 1, entries: [{ type: 'file', id: '123', name: 'Budget 2026.xlsx' }] }],
  'POST /2.0/folders': () => [
    409,
    {},
    boxError(409, 'item_name_in_use', 'Item with the same name already exists', {
      context_info: {
        conflicts: [{ type: 'folder', id: '987654321', sequence_id: '0', etag: '0', name: 'Reports' }],
      },
    }),
  ],
  'POST /2.0/files/content': () => [503, {}, boxError(503, 'unavailable', 'Unavailable')],
  'GET /2.0/files/123/content': (n) =>
    n === 1 ? [202, { 'retry-after': '0.1' }, ''] : [200, { 'content-type': 'application/octet-stream' }, 'PK\u0003\u0004 pretend spreadsheet bytes'],
  'GET /2.0/users/me': () => [200, {}, { type: 'user', id: '33', name: 'Demo Service Account' }],
  // Box's token endpoint, Client Credentials Grant: a new access token that lasts an hour.
  'POST /oauth2/token': () => {
    issuedTokens += 1;
    const token = `demo-ccg-token-${issuedTokens}-${boxId(`token-${issuedTokens}`).slice(0, 8)}`;
    validTokens.add(`Bearer ${token}`);
    return [200, {}, { access_token: token, expires_in: 3600, token_type: 'bearer', restricted_to: [] }];
  },
  // A token endpoint that refuses a refresh token (expired, revoked): Box's OAuth2 error shape.
  'POST /oauth2/refused': () => [400, {}, { error: 'invalid_grant', error_description: 'Refresh token has expired' }],
};

const server = http.createServer((req, res) => {
  const path = new URL(req.url, 'http://box.local').pathname;
  const key = `${req.method} ${path}`;
  const n = (hits.get(key) ?? 0) + 1;
  hits.set(key, n);
  served += 1;
  req.resume(); // read and drop any request body

  let [status, headers, body] = routes[key]
    ? routes[key](n)
    : [404, {}, boxError(404, 'not_found', 'Not Found')];
  // Box checks the token on every request, retries included (the token endpoint takes none).
  if (!path.startsWith('/oauth2/') && !validTokens.has(req.headers.authorization)) {
    [status, headers, body] = [401, {}, boxError(401, 'unauthorized', 'Unauthorized')];
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? {} : { 'content-type': 'application/json' };
  res.writeHead(status, { ...type, 'box-request-id': boxId(`header-${served}`), ...headers });
  res.end(text);

  const note = typeof body === 'object' && body.code ? ` ${body.code}` : '';
  const after = headers['retry-after'] ? `, retry-after: ${headers['retry-after']}` : '';
  say(dim(`     server: ${key} #${n} -> ${status}${note}${after}`));
});

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseURL = `http://127.0.0.1:${server.address().port}`;

// ---------------------------------------------------------------------------------------------
// The client: a plain axios instance with the plugin attached

const box = axios.create({
  baseURL,
  headers: { Authorization: TOKEN },
  // No keep-alive: no idle socket keeps the process running after the demo.
  httpAgent: new http.Agent({ keepAlive: false }),
});

attachBoxStatus(box, {
  retry: {
    baseDelayMs: 100, // small waits so the demo takes about a second (default 1000)
    onRetry(event) {
      say(
        `   ${yellow('~ wait')} ${ms(event.delayMs)} (${event.delaySource}), then attempt ${event.attempt}` +
          dim(`   reason: ${event.reason}`),
      );
    },
  },
});

function showResponse(res, extra) {
  const s = res.boxStatus;
  // On a success the request id is the box-request-id header (success bodies are not parsed).
  say(
    `   ${green('= ok')} res.boxStatus: ${s.status} ${s.kind}, attempts ${s.attempts}, requestId ${s.requestId}` +
      (s.retryAfterMs !== undefined ? `, retryAfterMs ${s.retryAfterMs}` : ''),
  );
  if (extra) say(`     ${extra}`);
}

function showError(err) {
  if (!isBoxApiError(err)) {
    say(`   ${red('= error')} ${err.name}: ${err.message}`);
    return;
  }
  say(`   ${red('= error')} ${bold(err.name)}  boxCode ${err.boxCode}, attempts ${err.attempts}, requestId ${err.requestId}`);
  say(`     message: ${err.message}`);
}

async function scenario(label, method, path, run) {
  say();
  say(bold(label));
  say(`   ${cyan('-> sent')} ${method} ${path}`);
  const started = performance.now();
  await run();
  say(dim(`     (${ms(performance.now() - started)})`));
}

say(bold('axios-box-status demo'));
say(dim(`Box-like server at ${baseURL} (local only). Policy: retries 4, baseDelayMs 100, jitter 'full'.`));

// a) A plain read.
await scenario('a) Read a folder', 'GET', '/2.0/folders/0', async () => {
  const res = await box.get('/2.0/folders/0');
  showResponse(res, `folder "${res.data.name}", ${res.data.item_collection.total_count} items`);
  check(res.boxStatus.attempts === 1 && res.boxStatus.kind === 'success', 'a single successful attempt');
});

// b) A GET is idempotent: a 503 is retried with backoff.
await scenario('b) A flaky read: Box answers 503 twice, then 200', 'GET', '/2.0/files/123', async () => {
  const res = await box.get('/2.0/files/123');
  showResponse(res, `file "${res.data.name}"`);
  check(res.boxStatus.attempts === 3, 'three attempts');
});

// c) A 429 is waited out for exactly its Retry-After (decimal seconds accepted).
await scenario('c) Rate limited: 429 with retry-after: 0.2, then 200', 'GET', '/2.0/search?query=budget', async () => {
  const res = await box.get('/2.0/search', { params: { query: 'budget' } });
  showResponse(res, `${res.data.total_count} result`);
  check(res.boxStatus.attempts === 2, 'two attempts');
});

// d) A 4xx rejects with a typed error; branch on Box's own code.
let conflictError;
await scenario('d) Create a folder whose name is taken: 409', 'POST', '/2.0/folders', async () => {
  try {
    await box.post('/2.0/folders', { name: 'Reports', parent: { id: '0' } });
    check(false, 'the call should have been rejected');
  } catch (err) {
    showError(err);
    if (isBoxClientError(err) && err.boxCode === 'item_name_in_use') {
      const existing = err.contextInfo?.conflicts?.[0];
      say(`     handled: "${existing?.name}" already exists as folder ${existing?.id}; using it instead`);
      say(dim(`     helpUrl: ${err.helpUrl}`));
      conflictError = err;
    } else {
      check(false, 'a BoxClientError with boxCode item_name_in_use');
    }
  }
});

// e) A POST that meets a 503 may have been carried out by Box: it is not retried.
await scenario('e) Upload (a POST) that meets a 503', 'POST', '/2.0/files/content', async () => {
  const form = new FormData();
  form.append('attributes', JSON.stringify({ name: 'notes.txt', parent: { id: '0' } }));
  form.append('file', new Blob(['meeting notes\n']), 'notes.txt');
  try {
    await box.post('/2.0/files/content', form);
    check(false, 'the call should have been rejected');
  } catch (err) {
    showError(err);
    const seen = hits.get('POST /2.0/files/content');
    say(`     the server saw exactly ${seen} request${seen === 1 ? '' : 's'}: Box may have stored the file, so no blind retry`);
    check(isBoxServerError(err) && seen === 1 && err.attempts === 1, 'one request, BoxServerError');
  }
});

// f) A download that is not ready yet: 202 + Retry-After is polled.
await scenario('f) Download not ready yet: 202 with retry-after: 0.1, then 200', 'GET', '/2.0/files/123/content', async () => {
  const res = await box.get('/2.0/files/123/content', { responseType: 'arraybuffer' });
  showResponse(res, `received ${res.data.byteLength} bytes`);
  check(res.boxStatus.status === 200 && res.boxStatus.attempts === 2, 'polled once, then 200');
});

// g) A managed token that expires mid-run: every call meets a 401, one refresh serves them all.
let refreshes = 0;
const managed = axios.create({ baseURL, httpAgent: new http.Agent({ keepAlive: false }) });
const auth = createBoxAuth({
  origins: [baseURL],
  refresh: boxClientCredentialsGrant({
    clientId: 'demo-client-id',
    clientSecret: 'demo-client-secret-7d1e',
    subjectType: 'enterprise',
    subjectId: '1234567',
    tokenUrl: `${baseURL}/oauth2/token`,
  }),
  onRefresh(event) {
    refreshes += 1;
    say(`   ${yellow('~ refresh')} reason ${event.reason}, ${event.ok ? 'a new token' : 'failed'} in ${ms(event.durationMs)}`);
  },
});
attachBoxStatus(managed, { auth, retry: { baseDelayMs: 100 } });
await scenario('g) A token expires mid-run: 5 calls at once meet a 401', 'GET', '/2.0/users/me (x5)', async () => {
  await managed.get('/2.0/users/me'); // the first call fetches a token (reason missing)
  const first = await auth.token();
  validTokens.delete(`Bearer ${first}`); // ... which Box then stops accepting
  say(dim('     (the token Box accepted a moment ago is now expired)'));
  const results = await Promise.all(Array.from({ length: 5 }, () => managed.get('/2.0/users/me')));
  const second = await auth.token();
  say(`   ${green('= ok')} 5 calls answered 200, attempts ${results.map((res) => res.boxStatus.attempts).join(', ')}`);
  say(`     refreshed ${refreshes - 1} time for 5 calls (reason unauthorized); each re-sent once with the new token`);
  check(refreshes === 2 && second !== first, 'one refresh for the first call, one for the five 401s');
  check(results.every((res) => res.status === 200 && res.boxStatus.attempts === 2), 'each call re-sent once');
});

// h) A token endpoint that fails: the 20 calls waiting on the refresh share its one failure, and
// for a cooldown after it no call touches the endpoint again.
const failing = axios.create({ baseURL, httpAgent: new http.Agent({ keepAlive: false }) });
const refusing = createBoxAuth({
  origins: [baseURL],
  initialToken: 'demo-expired-token-0c4e',
  refresh: boxRefreshTokenGrant({
    clientId: 'demo-client-id',
    clientSecret: 'demo-client-secret-7d1e',
    refreshToken: 'demo-spent-refresh-token-91ab',
    tokenUrl: `${baseURL}/oauth2/refused`,
  }),
  onRefresh(event) {
    say(`   ${yellow('~ refresh')} reason ${event.reason}, ${event.ok ? 'a new token' : 'failed'} in ${ms(event.durationMs)}`);
  },
});
attachBoxStatus(failing, { auth: refusing });
await scenario('h) The token endpoint fails (400 invalid_grant): 20 calls at once meet a 401', 'GET', '/2.0/users/me (x20)', async () => {
  const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => failing.get('/2.0/users/me')));
  const errors = outcomes.map((outcome) => outcome.reason).filter(Boolean);
  const tokenRequests = () => hits.get('POST /oauth2/refused') ?? 0;
  say(`   ${red('= error')} ${errors.length} x ${errors[0]?.name}: ${errors[0]?.message}`);
  say(`     the token endpoint saw ${tokenRequests()} request for 20 calls: one refresh, its one outcome for all`);
  check(errors.length === 20 && tokenRequests() === 1, 'one token request, 20 BoxAuthRefreshErrors');
  try {
    await failing.get('/2.0/users/me');
    check(false, 'the call should have been rejected');
  } catch (err) {
    say(`   ${red('= error')} the next call at once: ${err.message}`);
  }
  say(`     the token endpoint still saw ${tokenRequests()} request: no refresh starts during the cooldown (1 s, doubling with each failure in a row, up to 60 s)`);
  check(tokenRequests() === 1, 'no token request during the cooldown');
});

// Credentials stay out of what gets logged.
say();
say(bold('Credentials'));
if (conflictError) {
  const json = JSON.stringify(conflictError);
  const secret = TOKEN.slice('Bearer '.length);
  const leaked = json.includes(secret) || conflictError.message.includes(secret);
  say(`   JSON.stringify(error) is ${json.length} chars; contains the bearer token: ${leaked ? red('yes') : green('no')}`);
  say(dim(`   its fields: ${Object.keys(JSON.parse(json)).join(', ')}`));
  say(`   error.config.headers.Authorization is still set, so instance.request(error.config) can re-send: ${Boolean(conflictError.config.headers.Authorization)}`);
  check(!leaked, 'no token in JSON.stringify(error) or the message');
}

say();
say(dim(`${served} requests served.`));
if (failures > 0) {
  say(red(`${failures} check(s) failed.`));
  process.exitCode = 1;
} else {
  say(green('All calls behaved as described.'));
}

server.closeAllConnections();
server.close();
