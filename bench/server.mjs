// Box-like HTTP server for the benchmark (bench/run.mjs forks it; not meant to be run by hand).
//
// It runs in its own process so that the server's work does not compete with the clients under
// test for the same event loop (and, on a multi-core machine, for the same core). run.mjs drives
// it over the IPC channel:
//   { id, cmd: 'reset', seed, log, failRate, retryAfter } -> clears counters and the log, reseeds
//                                                              the PRNG of /flaky, re-arms /limit
//   { id, cmd: 'stats' }                                   -> { count, byPath }
//   { id, cmd: 'log' }                                     -> [{ path, sentAt, recvAt }, ...]
//   { id, cmd: 'close' }                                   -> closes and exits
// Each reply is { id, result } (or { id, error }). Once listening it sends { type: 'ready', port }.
//
// Paths (the query string is ignored):
//   /ok      200 with a small Box file object
//   /outage  always 503 with a Box error body
//   /flaky   503 with probability failRate per attempt, from a seeded PRNG
//   /limit   the first request after a reset is a 429 with Retry-After; every other one a 200

import http from 'node:http';

// A run that logs far more than any scenario needs is a bug in run.mjs; cap it rather than
// let the server grow without bound.
const LOG_CAP = 100_000;

/** mulberry32: a tiny 32-bit PRNG, so /flaky fails the same attempts for every client. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const state = {
  count: 0,
  byPath: Object.create(null),
  logging: false,
  log: [],
  random: seededRandom(1),
  failRate: 0.1,
  retryAfter: '0.5',
  limitAnswered: false,
  requestSeq: 0,
};

function reset({ seed = 1, log = false, failRate = 0.1, retryAfter = '0.5' } = {}) {
  state.count = 0;
  state.byPath = Object.create(null);
  state.logging = Boolean(log);
  state.log = [];
  state.random = seededRandom(seed);
  state.failRate = failRate;
  state.retryAfter = String(retryAfter);
  state.limitAnswered = false;
}

const FILE_BODY = JSON.stringify({ type: 'file', id: '12345', etag: '1' });

function boxError(status, code, message, requestId) {
  return JSON.stringify({ type: 'error', status, code, message, request_id: requestId });
}

function send(res, status, body, requestId, extraHeaders) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'box-request-id': requestId,
    ...extraHeaders,
  });
  res.end(body);
}

function handle(req, res) {
  // Taken first, so the log shows when the request arrived rather than when it was answered.
  const recvAt = performance.timeOrigin + performance.now();
  const query = req.url.indexOf('?');
  const path = query === -1 ? req.url : req.url.slice(0, query);
  state.count += 1;
  state.byPath[path] = (state.byPath[path] ?? 0) + 1;
  if (state.logging && state.log.length < LOG_CAP) {
    const sentAt = Number(req.headers['x-bench-sent-at']);
    state.log.push({ path, sentAt: Number.isFinite(sentAt) ? sentAt : null, recvAt });
  }
  const requestId = `bench${(state.requestSeq += 1).toString(36)}`;

  switch (path) {
    case '/ok':
      return send(res, 200, FILE_BODY, requestId);
    case '/outage':
      return send(res, 503, boxError(503, 'unavailable', 'Unavailable', requestId), requestId);
    case '/flaky':
      return state.random() < state.failRate
        ? send(res, 503, boxError(503, 'unavailable', 'Unavailable', requestId), requestId)
        : send(res, 200, FILE_BODY, requestId);
    case '/limit':
      if (!state.limitAnswered) {
        state.limitAnswered = true;
        const body = boxError(429, 'rate_limit_exceeded', 'Request rate limit exceeded, please try again later', requestId);
        return send(res, 429, body, requestId, { 'retry-after': state.retryAfter });
      }
      return send(res, 200, FILE_BODY, requestId);
    default:
      return send(res, 404, boxError(404, 'not_found', 'Not Found', requestId), requestId);
  }
}

const server = http.createServer(handle);
// Scenario 2 runs in process for a while; the shared keep-alive sockets must survive that idle
// time, or the next scenario races the server closing them (ECONNRESET on a reused socket).
server.keepAliveTimeout = 120_000;

function close() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}

process.on('message', (msg) => {
  if (!msg || typeof msg !== 'object') return;
  try {
    let result;
    switch (msg.cmd) {
      case 'reset':
        reset(msg);
        result = true;
        break;
      case 'stats':
        result = { count: state.count, byPath: { ...state.byPath } };
        break;
      case 'log':
        result = state.log;
        break;
      case 'close':
        process.send({ id: msg.id, result: true }, close);
        return;
      default:
        throw new Error(`unknown command ${msg.cmd}`);
    }
    process.send({ id: msg.id, result });
  } catch (error) {
    process.send({ id: msg.id, error: String(error?.stack ?? error) });
  }
});

// The parent died or let go of us: never linger as an orphan holding a port.
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.address().port });
});
