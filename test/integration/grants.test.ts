// Box's token grants against a local token endpoint, on their own and under createBoxAuth.
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import {
  BoxClientError,
  attachBoxStatus,
  boxClientCredentialsGrant,
  boxRefreshTokenGrant,
  createBoxAuth,
  isBoxAuthRefreshError,
  type BoxTokenPair,
} from '../../src/index.js';
import { ok, type LoggedRequest, type Reply } from '../helpers/box-server.js';
import { rejection } from '../helpers/client.js';
import { shownSecrets } from '../helpers/renderings.js';
import { useTokenWorld } from '../helpers/token-world.js';

const world = useTokenWorld();

const CLIENT_ID = 'client-id-abc123';
const CLIENT_SECRET = 'client-secret-s3cr3t-42';

const form = (request: LoggedRequest | undefined): Record<string, string> =>
  Object.fromEntries(new URLSearchParams(request?.body ?? ''));

/** Box's token endpoint: a new valid access token for each request, as `issue` makes the reply. */
function tokenEndpoint(issue: (fields: Record<string, string>, accessToken: string) => Reply): void {
  world.tokens.script('/oauth2/token', (_count, request) => issue(form(request), world.mint()));
}

describe('boxClientCredentialsGrant', () => {
  const grantOptions = () => ({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    subjectType: 'enterprise' as const,
    subjectId: '987654',
    tokenUrl: `${world.tokens.url}/oauth2/token`,
  });

  it('posts the CCG form fields and yields a token with its expiry', async () => {
    tokenEndpoint((_fields, accessToken) => ({
      status: 200,
      body: { access_token: accessToken, expires_in: 4169, restricted_to: [], token_type: 'bearer' },
    }));
    const refresh = boxClientCredentialsGrant(grantOptions());
    const token = await refresh({ reason: 'missing', signal: new AbortController().signal });
    expect(token).toEqual({ accessToken: expect.stringMatching(/^token-1-/), expiresIn: 4169 });
    const [request] = world.tokens.log;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(form(request)).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      box_subject_type: 'enterprise',
      box_subject_id: '987654',
    });
  });

  it('under createBoxAuth: the first call fetches a token, later calls reuse it', async () => {
    tokenEndpoint((_fields, accessToken) => ({ status: 200, body: { access_token: accessToken, expires_in: 3600 } }));
    world.script('/users/me', [ok]);
    const instance = axios.create({ baseURL: world.api.url });
    attachBoxStatus(instance, {
      auth: createBoxAuth({ origins: [world.api.url], refresh: boxClientCredentialsGrant(grantOptions()) }),
    });
    await Promise.all([instance.get('/users/me'), instance.get('/users/me'), instance.get('/users/me')]);
    await instance.get('/users/me');
    expect(world.tokens.log).toHaveLength(1);
    expect(world.api.log).toHaveLength(4);
  });

  it('a 429 from the token endpoint is waited out and retried', async () => {
    world.tokens.script('/oauth2/token', (count) =>
      count === 1
        ? { status: 429, headers: { 'retry-after': '0.02' }, body: { error: 'too_many_requests' } }
        : { status: 200, body: { access_token: world.mint(), expires_in: 3600 } },
    );
    const refresh = boxClientCredentialsGrant(grantOptions());
    await expect(refresh({ reason: 'missing', signal: new AbortController().signal })).resolves.toMatchObject({
      expiresIn: 3600,
    });
    expect(world.tokens.log).toHaveLength(2);
  });

  it('an answer without an access_token is a clear error', async () => {
    world.tokens.script('/oauth2/token', [{ status: 200, body: { token_type: 'bearer' } }]);
    const refresh = boxClientCredentialsGrant(grantOptions());
    const error = await rejection(refresh({ reason: 'missing', signal: new AbortController().signal }));
    expect(error.message).toBe(`axios-box-status: the token endpoint ${world.tokens.url}/oauth2/token answered without an access_token`);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no options', {}, 'axios-box-status: boxClientCredentialsGrant.clientId must be set, received undefined'],
    ['an empty secret', { clientId: 'i', clientSecret: '' }, 'axios-box-status: boxClientCredentialsGrant.clientSecret must be a non-empty string, received ""'],
    ['a wrong subject type', { subjectType: 'group' }, `axios-box-status: boxClientCredentialsGrant.subjectType must be one of 'enterprise', 'user', received "group"`],
    ['a token URL that is no URL', { tokenUrl: 'token endpoint' }, 'axios-box-status: boxClientCredentialsGrant.tokenUrl must be an https: URL (http: only on 127.0.0.1, [::1] or localhost), received "token endpoint"'],
    ['a token URL in clear off this machine', { tokenUrl: 'http://api.box.com/oauth2/token' }, 'axios-box-status: boxClientCredentialsGrant.tokenUrl must be an https: URL (http: only on 127.0.0.1, [::1] or localhost), received "http://api.box.com/oauth2/token"'],
    ['an unknown option', { scope: 'root' }, 'axios-box-status: unknown option boxClientCredentialsGrant.scope (known: clientId, clientSecret, tokenUrl, subjectType, subjectId)'],
  ])('%s: a TypeError that names it', (_label, overrides, message) => {
    const options = _label === 'no options' ? {} : { ...grantOptions(), ...overrides };
    expect(() => boxClientCredentialsGrant(options as never)).toThrow(new TypeError(message));
  });
});

describe('boxRefreshTokenGrant', () => {
  const grantOptions = (extra: Record<string, unknown> = {}) => ({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    refreshToken: 'refresh-token-0-aaaa',
    tokenUrl: `${world.tokens.url}/oauth2/token`,
    ...extra,
  });
  /** Box's refresh: single use, each answer a new refresh token. */
  const rotating = () => {
    let issued = 0;
    const spent = new Set<string>();
    tokenEndpoint((fields, accessToken) => {
      if (spent.has(fields['refresh_token'] ?? '') || !fields['refresh_token']?.startsWith('refresh-token-')) {
        return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid refresh token' } };
      }
      spent.add(fields['refresh_token']);
      issued += 1;
      return { status: 200, body: { access_token: accessToken, expires_in: 3600, refresh_token: `refresh-token-${issued}-bbbb` } };
    });
  };

  it('rotates the single-use refresh token and hands each new pair to onTokens', async () => {
    rotating();
    const pairs: BoxTokenPair[] = [];
    const refresh = boxRefreshTokenGrant(grantOptions({ onTokens: (pair: BoxTokenPair) => void pairs.push(pair) }));
    const signal = new AbortController().signal;
    await refresh({ reason: 'missing', signal });
    await refresh({ reason: 'expiring', signal });
    expect(world.tokens.log.map((request) => form(request))).toEqual([
      { grant_type: 'refresh_token', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, refresh_token: 'refresh-token-0-aaaa' },
      { grant_type: 'refresh_token', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, refresh_token: 'refresh-token-1-bbbb' },
    ]);
    expect(pairs.map((pair) => pair.refreshToken)).toEqual(['refresh-token-1-bbbb', 'refresh-token-2-bbbb']);
    expect(pairs[0]?.accessToken).toMatch(/^token-1-/);
    expect(pairs[0]?.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
  });

  it('an answer without expires_in is taken to last an hour, and without refresh_token keeps the old one', async () => {
    tokenEndpoint((_fields, accessToken) => ({ status: 200, body: { access_token: accessToken } }));
    const pairs: BoxTokenPair[] = [];
    const refresh = boxRefreshTokenGrant(grantOptions({ onTokens: (pair: BoxTokenPair) => void pairs.push(pair) }));
    const before = Date.now();
    const token = await refresh({ reason: 'missing', signal: new AbortController().signal });
    expect((token as { expiresAt: number }).expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(pairs[0]?.refreshToken).toBe('refresh-token-0-aaaa');
  });

  it('an answer slower than refreshTimeoutMs still arrives: the rotated refresh token is kept, and never spent twice', async () => {
    let issued = 0;
    const spent = new Set<string>();
    tokenEndpoint((fields, accessToken) => {
      if (spent.has(fields['refresh_token'] ?? '')) return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid refresh token' } };
      spent.add(fields['refresh_token'] ?? '');
      issued += 1;
      return {
        status: 200,
        delayMs: issued === 1 ? 120 : 0,
        body: { access_token: accessToken, expires_in: 3600, refresh_token: `refresh-token-${issued}-bbbb` },
      };
    });
    const persisted: string[] = [];
    const auth = createBoxAuth({
      origins: [world.api.url],
      refreshTimeoutMs: 60,
      refresh: boxRefreshTokenGrant(grantOptions({ onTokens: (pair: BoxTokenPair) => void persisted.push(pair.refreshToken) })),
    });
    await expect(auth.token()).rejects.toMatchObject({ name: 'BoxAuthRefreshError', timedOutAfterMs: 60 });
    await new Promise((resolve) => setTimeout(resolve, 120));
    // Box's late answer made its token current: no new refresh.
    expect(await auth.token()).toMatch(/^token-1-/);
    expect(persisted).toEqual(['refresh-token-1-bbbb']);
    auth.invalidate();
    expect(await auth.token()).toMatch(/^token-2-/);
    expect(world.tokens.log.map((request) => form(request)['refresh_token'])).toEqual(['refresh-token-0-aaaa', 'refresh-token-1-bbbb']);
  });

  it('two BoxAuths sharing a grant: one\'s timeout does not cancel the other\'s refresh', async () => {
    world.tokens.script('/oauth2/token', (count) => ({
      status: 200,
      delayMs: 100,
      body: { access_token: world.mint(), expires_in: 3600, refresh_token: `refresh-token-${count}-bbbb` },
    }));
    const refresh = boxRefreshTokenGrant(grantOptions());
    const impatient = createBoxAuth({ origins: [world.api.url], refresh, refreshTimeoutMs: 30 });
    const patient = createBoxAuth({ origins: [world.api.url], refresh, refreshTimeoutMs: 5000 });
    const [a, b] = await Promise.allSettled([impatient.token(), patient.token()]);
    expect(a.status).toBe('rejected');
    expect(b).toMatchObject({ status: 'fulfilled', value: expect.stringMatching(/^token-1-/) });
    expect(world.tokens.log).toHaveLength(1);
  });

  it('an onTokens that fails quoting the new tokens: none shows in the refresh error', async () => {
    rotating();
    const auth = createBoxAuth({
      origins: [world.api.url],
      refresh: boxRefreshTokenGrant(
        grantOptions({
          onTokens: (pair: BoxTokenPair) => {
            throw new Error(`duplicate key value: Key (access_token)=(${pair.accessToken}), refresh ${pair.refreshToken}`);
          },
        }),
      ),
    });
    const error = await rejection(auth.token());
    expect(isBoxAuthRefreshError(error)).toBe(true);
    expect(error.message).toContain('duplicate key value');
    expect(shownSecrets(error, ['refresh-token-1-bbbb', CLIENT_SECRET])).toEqual([]);
    expect(error.message).not.toMatch(/token-1-/);
  });

  it('overlapping refreshes share one request: the refresh token is never spent twice', async () => {
    rotating();
    const refresh = boxRefreshTokenGrant(grantOptions());
    const signal = new AbortController().signal;
    const [one, two] = await Promise.all([refresh({ reason: 'missing', signal }), refresh({ reason: 'missing', signal })]);
    expect(one).toEqual(two);
    expect(world.tokens.log).toHaveLength(1);
  });

  it('invalid_grant: the calls reject with BoxAuthRefreshError whose cause is the OAuth2 error, and no secret shows', async () => {
    tokenEndpoint(() => ({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Refresh token has expired' },
    }));
    world.script('/files/1', [ok]);
    const instance = axios.create({ baseURL: world.api.url });
    attachBoxStatus(instance, {
      auth: createBoxAuth({ origins: [world.api.url], refresh: boxRefreshTokenGrant(grantOptions()), initialToken: 'stale-token-000000' }),
    });
    const error = await rejection(instance.get('/files/1'));
    expect(isBoxAuthRefreshError(error)).toBe(true);
    expect(error.reason).toBe('unauthorized');
    expect(error.cause).toBeInstanceOf(BoxClientError);
    expect(error.cause).toMatchObject({ status: 400, boxCode: 'invalid_grant', boxMessage: 'Refresh token has expired' });
    expect(error.message).toBe(
      'Box token refresh (reason unauthorized) failed: Box API 400 invalid_grant: Refresh token has expired',
    );
    expect(shownSecrets(error, [CLIENT_SECRET, 'refresh-token-0-aaaa', 'stale-token-000000'])).toEqual([]);
    // The token endpoint's own error, form body and all, is redacted as well.
    expect(shownSecrets(error.cause, [CLIENT_SECRET, 'refresh-token-0-aaaa'])).toEqual([]);
    expect(world.api.log).toHaveLength(1);
  });

  it('when onTokens throws, the refresh fails with its error, and the next one uses the new refresh token', async () => {
    rotating();
    let persist = false;
    const refresh = boxRefreshTokenGrant(
      grantOptions({
        onTokens: () => {
          if (!persist) throw new Error('the database is down');
        },
      }),
    );
    const signal = new AbortController().signal;
    await expect(refresh({ reason: 'missing', signal })).rejects.toThrow('the database is down');
    persist = true;
    await refresh({ reason: 'missing', signal });
    expect(world.tokens.log.map((request) => form(request)['refresh_token'])).toEqual([
      'refresh-token-0-aaaa',
      'refresh-token-1-bbbb',
    ]);
  });

  it.each<[string, Record<string, unknown> | string, string]>([
    ['no refresh token', { refreshToken: undefined }, 'axios-box-status: boxRefreshTokenGrant.refreshToken must be set, received undefined'],
    ['onTokens not a function', { onTokens: 'save' }, 'axios-box-status: boxRefreshTokenGrant.onTokens must be a function, received "save"'],
    ['options not an object', 'refresh-token', 'axios-box-status: boxRefreshTokenGrant must be an object, received "refresh-token"'],
  ])('%s: a TypeError that names it', (_label, overrides, message) => {
    const options = typeof overrides === 'string' ? overrides : grantOptions(overrides);
    expect(() => boxRefreshTokenGrant(options as never)).toThrow(new TypeError(message));
  });
});
