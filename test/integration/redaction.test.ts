import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { boxError, refusedPort, useBoxServer } from '../helpers/box-server.js';
import { TOKEN, boxClient, rejection } from '../helpers/client.js';

const server = useBoxServer();

const QUERY_TOKEN = 'query-secret-token-987654';

function expectNoSecrets(error: any): void {
  const texts = [error.message, JSON.stringify(error), JSON.stringify(error.toJSON())];
  for (const text of texts) {
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(QUERY_TOKEN);
  }
}

describe('credentials never appear in errors', () => {
  it('4xx: message, JSON.stringify and toJSON are clean; the URL is redacted', async () => {
    server.script('/files/1', [{ status: 401, body: boxError(401, 'unauthorized', 'Unauthorized') }]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.get(`/files/1?access_token=${QUERY_TOKEN}&fields=name`));
    expectNoSecrets(error);
    const json = error.toJSON();
    expect(json).toMatchObject({ name: 'BoxClientError', status: 401, boxCode: 'unauthorized', method: 'GET' });
    expect(json.url).toBe(`${server.url}/files/1?access_token=[REDACTED]&fields=name`);
    expect(json).not.toHaveProperty('config');
    // The caller can still re-send it by hand.
    expect(error.config.headers.Authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('a token echoed by the server is scrubbed from message and fields', async () => {
    server.script('/echo', [{ status: 400, body: boxError(400, 'bad_request', `Bad header Bearer ${TOKEN}`) }]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.get('/echo'));
    expectNoSecrets(error);
    expect(error.boxMessage).toBe('Bad header [REDACTED]');
  });

  it('a token set by onRetry is redacted too, and error.config carries it for a re-send', async () => {
    const FRESH = 'fresh-token-set-in-onretry-42';
    server.script('/echo', (_n, request) => ({
      status: 503,
      body: boxError(503, 'unavailable', `echo ${String(request.headers.authorization)}`),
    }));
    const { instance } = boxClient(server, {
      retries: 1,
      onRetry: (event) => {
        event.config.headers.set('Authorization', `Bearer ${FRESH}`);
      },
    });
    const error = await rejection(instance.get('/echo'));
    expect(server.log.map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${FRESH}`]);
    expect(error.message).toBe('Box API 503 unavailable: echo [REDACTED] (request req-unavailable) after 2 attempts');
    expect(JSON.stringify(error)).not.toContain(FRESH);
    expect(error.config.headers.Authorization).toBe(`Bearer ${FRESH}`);
  });

  it('5xx exhausted', async () => {
    server.script('/x', [{ status: 500, body: boxError(500, 'internal_server_error', 'Oops') }]);
    const { instance } = boxClient(server, { retries: 1 });
    const error = await rejection(instance.get(`/x?token=${QUERY_TOKEN}`));
    expectNoSecrets(error);
    expect(inspect(error.toJSON(), { depth: 6 })).not.toContain(TOKEN);
  });

  it('network errors: axios’s toJSON (which dumps headers) is replaced', async () => {
    const port = await refusedPort();
    const { instance } = boxClient(server, { retries: 0 }, { baseURL: `http://127.0.0.1:${port}` });
    const error = await rejection(instance.post('/oauth2/token', `refresh_token=${QUERY_TOKEN}&client_secret=${QUERY_TOKEN}`));
    expect(error.code).toBe('ECONNREFUSED');
    expectNoSecrets(error);
    expect(error.toJSON()).toMatchObject({ code: 'ECONNREFUSED', boxAttempts: 1, method: 'POST' });
  });
});
