// With managed credentials, a 401 from an origin outside auth.origins says so: no token was sent
// there, which a bare 401 leaves to guessing (a CCG grant pointed at a test host, say).
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { BoxClientError, attachBoxStatus, boxClientCredentialsGrant, createBoxAuth } from '../../src/index.js';
import { boxError, startBoxServer, useBoxServer, type BoxServer } from '../helpers/box-server.js';
import { rejection } from '../helpers/client.js';
import { perTest } from '../helpers/per-test.js';

const api = useBoxServer();
const tokens = perTest<BoxServer>(startBoxServer, 'the token endpoint');
const unauthorized = { status: 401, body: boxError(401, 'unauthorized', 'Unauthorized', 'req-401') };
const FAST = { baseDelayMs: 1, jitter: 'none' } as const;

describe('a 401 from an origin the BoxAuth does not serve', () => {
  it("a CCG tokenUrl on a test host, origins left at Box's: the 401 names the origin and the origins", async () => {
    tokens.script('/oauth2/token', [{ status: 200, body: { access_token: 'ccg-token-0123456789', expires_in: 3600 } }]);
    api.script('/folders/0', [unauthorized]);
    const auth = createBoxAuth({
      refresh: boxClientCredentialsGrant({
        clientId: 'client-id-1',
        clientSecret: 'client-secret-1',
        subjectType: 'enterprise',
        subjectId: '1',
        tokenUrl: `${tokens.url}/oauth2/token`,
      }),
    });
    const instance = axios.create({ baseURL: api.url });
    attachBoxStatus(instance, { auth, retry: FAST });
    const error = await rejection(instance.get('/folders/0'));
    expect(error).toBeInstanceOf(BoxClientError);
    expect(error.message).toBe(
      `Box API 401 unauthorized: Unauthorized (request req-401); no token was sent: ${api.url} is not one of ` +
        "createBoxAuth's origins (https://api.box.com, https://upload.box.com)",
    );
    expect(String(error.stack).split('\n')[0]).toBe(`BoxClientError: ${error.message}`);
    expect(error.toJSON().message).toBe(error.message);
    // Nothing asked for a token, and nothing carried one.
    expect(tokens.count('/oauth2/token')).toBe(0);
    expect(api.log[0]?.headers.authorization).toBeUndefined();
  });

  it('a 401 from a served origin, with the token sent, says nothing of origins', async () => {
    api.script('/folders/0', [unauthorized]);
    const auth = createBoxAuth({ origins: [api.url], initialToken: 'token-0-abcdef', refresh: async () => 'token-1-abcdef' });
    const instance = axios.create({ baseURL: api.url });
    attachBoxStatus(instance, { auth, retry: FAST });
    const error = await rejection(instance.get('/folders/0'));
    expect(error.status).toBe(401);
    expect(error.attempts).toBe(2);
    expect(error.message).not.toContain('origins');
  });

  it('with boxAuth: false the caller chose to send no token: no hint', async () => {
    api.script('/folders/0', [unauthorized]);
    const auth = createBoxAuth({ refresh: async () => 'token-1-abcdef' });
    const instance = axios.create({ baseURL: api.url });
    attachBoxStatus(instance, { auth, retry: FAST });
    const error = await rejection(instance.get('/folders/0', { boxAuth: false }));
    expect(error.message).toBe('Box API 401 unauthorized: Unauthorized (request req-401)');
  });

  it('without auth, and for other statuses from an unserved origin: no hint', async () => {
    api.script('/folders/0', [unauthorized]);
    api.script('/files/1', [{ status: 404, body: boxError(404, 'not_found', 'Not Found', 'req-404') }]);
    const plain = axios.create({ baseURL: api.url });
    attachBoxStatus(plain, { retry: FAST });
    expect((await rejection(plain.get('/folders/0'))).message).toBe('Box API 401 unauthorized: Unauthorized (request req-401)');
    const withAuth = axios.create({ baseURL: api.url });
    attachBoxStatus(withAuth, { auth: createBoxAuth({ refresh: async () => 'token-1-abcdef' }), retry: FAST });
    expect((await rejection(withAuth.get('/files/1'))).message).toBe('Box API 404 not_found: Not Found (request req-404)');
  });

  it('a 401 resolved as a value by validateStatus is left as it is', async () => {
    api.script('/folders/0', [unauthorized]);
    const instance = axios.create({ baseURL: api.url });
    attachBoxStatus(instance, { auth: createBoxAuth({ refresh: async () => 'token-1-abcdef' }), retry: FAST });
    const res = await instance.get('/folders/0', { validateStatus: () => true });
    expect(res.status).toBe(401);
    expect(res.boxStatus?.kind).toBe('client-error');
  });
});
