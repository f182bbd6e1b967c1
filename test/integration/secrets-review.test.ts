import { inspect } from 'node:util';
import axios, { AxiosError, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, it } from 'vitest';
import { deadlineError } from '../../src/deadline.js';
import { settlePlainError as finishPlainError } from '../../src/settle.js';
import { attachBoxStatus, BoxClientError, BoxServerError } from '../../src/index.js';
import { boxError, unavailable, useBoxServer } from '../helpers/box-server.js';
import { TOKEN, boxClient, rejection } from '../helpers/client.js';

// Paths the first secrets suite did not reach: the cause behind a Box error, a URL axios cannot
// parse (whose text axios and Node copy into the error), and a server echoing part of the BoxApi
// header.

const server = useBoxServer();

const QUERY_TOKEN = 'query-secret-token-987654';
const PARAM_TOKEN = 'param-secret-token-135790';
const FRESH = 'fresh-token-set-in-onretry-42';
const LINK_PASSWORD = 'shared-link-password-2468';
const SECRETS = [TOKEN, QUERY_TOKEN, PARAM_TOKEN, FRESH, LINK_PASSWORD];

/** What a log line of the value could show: its text, its JSON, and Node's inspection. */
function renderings(value: any): Record<string, string> {
  return {
    message: String(value?.message),
    stack: String(value?.stack),
    string: String(value),
    'JSON.stringify': String(JSON.stringify(value)),
    'util.inspect depth 6': inspect(value, { depth: 6 }),
    'util.inspect showHidden': inspect(value, { depth: 6, showHidden: true }),
  };
}

/** Every secret shown by any rendering of the error or of an error on its cause chain. */
function shownSecrets(error: unknown): string[] {
  const shown: string[] = [];
  let current: any = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth += 1) {
    for (const [how, text] of Object.entries(renderings(current))) {
      for (const secret of SECRETS) if (text.includes(secret)) shown.push(`${'cause.'.repeat(depth)}${how}: ${secret}`);
    }
    current = current.cause;
  }
  return shown;
}

const withQuery = (path: string): string => `${path}?access_token=${QUERY_TOKEN}`;
const params = { access_token: PARAM_TOKEN };

describe('the cause of a Box error is redacted as the error is', () => {
  it('a 4xx: its cause (axios\'s own rejection) shows no credential, and still carries the response', async () => {
    server.script('/files/1', [{ status: 404, body: boxError(404, 'not_found', 'Not found') }]);
    const error = await rejection(boxClient(server).instance.get(withQuery('/files/1'), { params }));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error.cause).toBeInstanceOf(AxiosError);
    expect(error.cause.response.status).toBe(404);
    expect(shownSecrets(error)).toEqual([]);
    expect(inspect(error.cause)).toContain('access_token=[REDACTED]');
  });

  it('an exhausted 5xx whose retry got a fresh token from onRetry: the engine\'s rejection shows neither token', async () => {
    server.script('/files/1', [unavailable]);
    const { instance } = boxClient(server, {
      retries: 1,
      onRetry: (event) => {
        event.config.headers.set('Authorization', `Bearer ${FRESH}`);
      },
    });
    const error = await rejection(instance.get(withQuery('/files/1'), { params }));
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.attempts).toBe(2);
    expect(server.log.map((request) => request.headers.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${FRESH}`]);
    expect(shownSecrets(error)).toEqual([]);
  });

  it('a 4xx through the fetch adapter', async () => {
    server.script('/files/1', [{ status: 403, body: boxError(403, 'forbidden', 'Forbidden') }]);
    const error = await rejection(boxClient(server, {}, { adapter: 'fetch' }).instance.get(withQuery('/files/1'), { params }));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(shownSecrets(error)).toEqual([]);
  });

  it('a deadline error whose cause is the attempt\'s own timeout', () => {
    const config = {
      url: withQuery('/files/1'),
      params,
      headers: axios.AxiosHeaders.from({ Authorization: `Bearer ${TOKEN}` }),
    } as unknown as InternalAxiosRequestConfig;
    const timeout = new AxiosError('timeout of 50ms exceeded', 'ECONNABORTED', config);
    const error = finishPlainError(deadlineError(config, 'deadlineMs (50 ms) ran out', timeout), config, 1, 'deadline');
    expect((error as Error).cause).toBe(timeout);
    expect(shownSecrets(error)).toEqual([]);
  });
});

describe('a URL axios cannot parse does not carry its credentials into the error', () => {
  // No baseURL: a relative URL, as when the base URL's setting is missing.
  const unparsable = (adapter: 'http' | 'fetch') => {
    const instance = axios.create({ adapter, headers: { Authorization: `Bearer ${TOKEN}` } });
    attachBoxStatus(instance);
    return rejection(instance.get(withQuery('/files/1'), { params }));
  };

  it('the http adapter (Node\'s TypeError keeps the URL as `input`)', async () => {
    const error = await unparsable('http');
    expect(error.code).toBe('ERR_INVALID_URL');
    expect(shownSecrets(error)).toEqual([]);
  });

  it('the fetch adapter (undici puts the URL in the message, axios the message in its own)', async () => {
    const error = await unparsable('fetch');
    expect(error).toBeInstanceOf(AxiosError);
    expect(error.message).toMatch(/^Failed to parse URL from \/files\/1\?access_token=\[REDACTED\]/);
    expect(shownSecrets(error)).toEqual([]);
  });
});

describe('an axios error that carries axios\'s own toJSON as its own property', () => {
  // axios 1.7's AxiosError.from copies every property of the error it wraps, the toJSON of its
  // prototype included: its fetch adapter rejects a timeout so. This adapter wraps the real
  // http adapter's rejection the same way.
  const http = axios.getAdapter('http');
  const wrapLikeAxios17 = (config: InternalAxiosRequestConfig) =>
    http(config).catch((error: AxiosError) => {
      const wrapper = new AxiosError(error.message, error.code, error.config, error.request, error.response);
      throw Object.assign(wrapper, { toJSON: AxiosError.prototype.toJSON, cause: error });
    });

  it('a timeout: JSON.stringify and util.inspect show no credential', async () => {
    server.script('/files/1', [{ hang: true }]);
    const { instance } = boxClient(server, { retries: 0 }, { adapter: wrapLikeAxios17, timeout: 30 });
    const error = await rejection(instance.get(withQuery('/files/1'), { params }));
    expect(error.code).toBe('ECONNABORTED');
    expect(Object.keys(error.toJSON()).sort()).toEqual(
      ['boxAttempts', 'boxNotRetriedReason', 'code', 'message', 'method', 'name', 'stack', 'status', 'url'],
    );
    expect(shownSecrets(error)).toEqual([]);
  });
});

describe('the BoxApi header', () => {
  it('a shared link password the server echoes on its own is scrubbed, not only the whole header', async () => {
    const link = 'https://app.box.com/s/abcdef1234567890';
    server.script('/shared_items', [
      { status: 403, body: boxError(403, 'forbidden', `Wrong shared_link_password=${LINK_PASSWORD} for ${link}`) },
    ]);
    const error = await rejection(
      boxClient(server).instance.get('/shared_items', {
        headers: { BoxApi: `shared_link=${link}&shared_link_password=${LINK_PASSWORD}` },
      }),
    );
    expect(error.boxMessage).toBe('Wrong shared_link_password=[REDACTED] for [REDACTED]');
    expect(shownSecrets(error)).toEqual([]);
  });
});
