// A Box-like API for the fleet example (and the fleet tests and benchmark): it keeps a per-user
// rate limit of its own, as Box does, answering 429 with a Retry-After above it; can lower that
// limit mid-run, as Box does under load; can answer one 429 on demand; and, in token mode, accepts
// only the access token its token endpoint issued last.
//
//   const server = await startFleetServer({ limit: { max: 40, perMs: 1000 }, lowerTo: { max: 20, afterMs: 3000 } });
//   server.url, server.log, server.limit, server.setLimit(max), server.next429(retryAfterSeconds, worker?),
//   server.expireTokens(), server.close()

import http from 'node:http';

const now = () => performance.timeOrigin + performance.now();

/**
 * @param {{ limit?: { max: number, perMs: number }, lowerTo?: { max: number, afterMs: number }, tokens?: boolean }} [options]
 *   limit: answer 429 above `max` requests in any `perMs` (a sliding window, as Box's limits);
 *   lowerTo: from `afterMs` after the first API request on, keep to `max` instead (`lowered` is then when);
 *   tokens: require `Authorization: Bearer <the token /oauth2/token issued last>`.
 */
export async function startFleetServer({ limit: given, lowerTo, tokens = false } = {}) {
  let limit = given && { ...given };
  /** When the limit was lowered (by `lowerTo` or `setLimit`), if it was. */
  let lowered;
  let firstAt;
  /** Every API request: when it was read, when its sender stamped it (`x-sent-at`), its answer, the max then. */
  const log = [];
  /** When each 429 was written, and the Retry-After it carried. */
  const refusals = [];
  const accepted = [];
  let forced; // { seconds, worker? }: a Retry-After for the next request (of that worker)
  let issued = 0;
  let current;

  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const at = now();
      if (req.url.startsWith('/oauth2/token')) {
        issued += 1;
        current = `fleet-token-${issued}-${Math.random().toString(36).slice(2, 10)}`;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: current, expires_in: 3600, token_type: 'bearer' }));
        return;
      }
      firstAt ??= at;
      if (lowerTo && lowered === undefined && limit && at >= firstAt + lowerTo.afterMs) setLimit(lowerTo.max, firstAt + lowerTo.afterMs);
      const entry = { receivedAt: at, sentAt: Number(req.headers['x-sent-at']) || undefined, worker: req.headers['x-worker'], status: 200, max: limit?.max };
      log.push(entry);
      const reply = (status, headers, body) => {
        entry.status = status;
        // Noted before the answer goes: on a busy machine the client may read it, and pause, before
        // this process runs again.
        if (status === 429) refusals.push({ at: now(), retryAfterMs: Number(headers['retry-after']) * 1000 });
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (tokens && req.headers.authorization !== `Bearer ${current}`) {
        reply(401, {}, { type: 'error', status: 401, code: 'unauthorized', message: 'Unauthorized' });
        return;
      }
      if (forced !== undefined && (forced.worker === undefined || forced.worker === entry.worker)) {
        const { seconds } = forced;
        forced = undefined;
        reply(429, { 'retry-after': String(seconds) }, { type: 'error', status: 429, code: 'rate_limit_exceeded' });
        return;
      }
      if (limit) {
        while (accepted.length > 0 && accepted[0] <= at - limit.perMs) accepted.shift();
        if (accepted.length >= limit.max) {
          const seconds = Math.max(1, Math.ceil((accepted[0] + limit.perMs - at) / 1000));
          reply(429, { 'retry-after': String(seconds) }, { type: 'error', status: 429, code: 'rate_limit_exceeded' });
          return;
        }
        accepted.push(at);
      }
      reply(200, {}, { type: 'file', id: '1' });
    });
  });
  /** Keep to `max` from now (or from `at`) on. */
  function setLimit(max, at = now()) {
    limit = { ...limit, max };
    lowered = at;
  }
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    log,
    refusals,
    /** The limit kept to now. */
    get limit() {
      return limit && { ...limit };
    },
    /** When the limit was lowered, on the shared clock (performance.timeOrigin + performance.now()); undefined until it is. */
    get loweredAt() {
      return lowered;
    },
    setLimit,
    /** How many tokens the token endpoint has issued. */
    issuedTokens: () => issued,
    /** Answer the next API request (of `worker`, when named) with a 429 and this Retry-After (seconds). */
    next429(retryAfterSeconds, worker) {
      forced = { seconds: retryAfterSeconds, worker };
    },
    /** The current token stops working, for every process at once. */
    expireTokens() {
      current = undefined;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
