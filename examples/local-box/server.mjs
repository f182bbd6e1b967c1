// The local Box-like server the recipes run against (`npm run example <name>`): three origins on
// 127.0.0.1, random ports, nothing sent to the network.
//
//   api     stands in for https://api.box.com      (/2.0/..., the token endpoint /oauth2/token)
//   upload  stands in for https://upload.box.com   (/api/2.0/files/content)
//   dl      stands in for https://dl.boxcloud.com  (where a download is redirected)
//
// It answers in Box's shapes (error bodies, paging, uploads, the token endpoint's grants) and
// plays a few of Box's habits so that the recipes show what the plugin does about them: one 429
// on the second page of a folder and on the first search, a 202 "not ready yet" on downloads,
// and, when a recipe asks for it, an upload that is stored and then answered 503. It asks for
// waits of a tenth of a second (Box asks in whole seconds) so that every recipe runs in about one.
//
//   const box = await startLocalBox({ credentials, flags });
//   box.urls, box.log (every request and its answer), await box.close()

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { apiRoutes } from './api.mjs';
import { boxError, readBody, send } from './replies.mjs';
import { createTokenEndpoint } from './token-endpoint.mjs';
import { createContent } from './content.mjs';

/**
 * @typedef {object} LocalBoxCredentials
 * @property {string} developerToken  an access token the server accepts from the start
 * @property {string} clientId
 * @property {string} clientSecret
 * @property {string} enterpriseId
 * @property {string} refreshToken    the OAuth 2.0 refresh token the server accepts first
 * @property {string} publicKeyId     the JWT app's key id
 * @property {import('node:crypto').KeyLike} publicKey  verifies the JWT assertions
 */

/**
 * @param {{ credentials: LocalBoxCredentials, flags?: readonly string[] }} options
 *   flags: `upload-503-after-write` (the first upload is stored, then answered 503, as Box may).
 */
export async function startLocalBox({ credentials, flags = [] }) {
  /** @type {{ origin: string, method: string, path: string, status: number, note?: string }[]} */
  const log = [];
  const listeners = { api: http.createServer(), upload: http.createServer(), dl: http.createServer() };
  await Promise.all(Object.values(listeners).map((server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))));
  const origin = (/** @type {http.Server} */ server) => `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
  const urls = {
    api: `${origin(listeners.api)}/2.0`,
    upload: `${origin(listeners.upload)}/api/2.0`,
    dl: origin(listeners.dl),
    token: `${origin(listeners.api)}/oauth2/token`,
  };

  const accessTokens = new Set([credentials.developerToken]);
  const issue = () => {
    const token = `local-${randomBytes(12).toString('hex')}`;
    accessTokens.add(token);
    return token;
  };
  const tokenEndpoint = createTokenEndpoint({ credentials, tokenUrl: urls.token, issue });
  const content = createContent({ flags: new Set(flags), dlOrigin: urls.dl, uploadUrl: urls.upload });
  const routes = apiRoutes(content);

  /**
   * @param {'api' | 'upload' | 'dl'} name
   * @param {(req: http.IncomingMessage, path: string, body: Buffer) => import('./replies.mjs').Reply | Promise<import('./replies.mjs').Reply>} handle
   */
  const serve = (name, handle) =>
    listeners[name].on('request', async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://local');
      const body = await readBody(req);
      const reply = await handle(req, url.pathname, body);
      send(res, reply);
      log.push({ origin: name, method: req.method ?? 'GET', path: url.pathname, status: reply.status, ...(reply.note ? { note: reply.note } : {}) });
    });

  /** Box checks the bearer token on every request but the token endpoint's. */
  const authorized = (/** @type {http.IncomingMessage} */ req) => {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    return match !== null && accessTokens.has(match[1] ?? '');
  };
  const unauthorized = () => ({
    status: 401,
    headers: { 'www-authenticate': 'Bearer realm="Service", error="invalid_token"' },
    body: boxError(401, 'unauthorized', 'Unauthorized'),
  });

  serve('api', (req, path, body) => {
    if (path === '/oauth2/token' && req.method === 'POST') return tokenEndpoint(body);
    if (!authorized(req)) return unauthorized();
    return routes.api(req, path, body);
  });
  serve('upload', (req, path, body) => (authorized(req) ? content.upload(req, path, body) : unauthorized()));
  serve('dl', (req, path) => content.download(req, path));

  return {
    urls,
    log,
    async close() {
      await Promise.all(
        Object.values(listeners).map((server) => {
          server.closeAllConnections();
          return new Promise((resolve) => server.close(() => resolve(undefined)));
        }),
      );
    },
  };
}
