// How the local Box-like server reads a request and writes an answer, in Box's shapes.

import { randomBytes } from 'node:crypto';

/**
 * One answer. An object body is sent as JSON, a Buffer or a string as it is.
 * @typedef {{ status: number, headers?: Record<string, string>, body?: unknown, note?: string }} Reply
 */

/** Box's standard error body. */
export function boxError(/** @type {number} */ status, /** @type {string} */ code, /** @type {string} */ message, /** @type {object} */ extra = {}) {
  return {
    type: 'error',
    status,
    code,
    message,
    ...extra,
    help_url: 'https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/',
    request_id: randomBytes(8).toString('hex'),
  };
}

/** The OAuth2 error shape Box's token endpoint answers with. */
export function oauthError(/** @type {string} */ error, /** @type {string} */ description) {
  return { status: 400, body: { error, error_description: description }, note: error };
}

/** A 429 as Box sends it: `retry-after` in seconds, Box's code. */
export function rateLimited(/** @type {string} */ retryAfterSeconds) {
  return {
    status: 429,
    headers: { 'retry-after': retryAfterSeconds },
    body: boxError(429, 'rate_limit_exceeded', 'Request rate limit exceeded, please try again later'),
    note: `retry-after: ${retryAfterSeconds}`,
  };
}

export const notFound = () => ({ status: 404, body: boxError(404, 'not_found', 'Not Found'), note: 'not_found' });

/** The whole request body. */
export async function readBody(/** @type {import('node:http').IncomingMessage} */ req) {
  /** @type {Buffer[]} */
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The JSON of a request body, or undefined when it is not JSON. */
export function json(/** @type {Buffer} */ body) {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function send(/** @type {import('node:http').ServerResponse} */ res, /** @type {Reply} */ reply) {
  const raw = reply.body === undefined || typeof reply.body === 'string' || Buffer.isBuffer(reply.body);
  const text = raw ? reply.body ?? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(raw ? {} : { 'content-type': 'application/json' }),
    'box-request-id': randomBytes(10).toString('hex'),
    ...reply.headers,
  });
  res.end(text);
}
