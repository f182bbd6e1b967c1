import { describe, expect, it } from 'vitest';
import { createBoxAuth } from '../../../src/auth/create-box-auth.js';
import { createMemoryStore } from '../../../src/store/memory-store.js';
import { resolveOptions } from '../../../src/options/attach-options.js';

const refresh = async (): Promise<string> => 'fresh-token-000000';

describe('createBoxAuth: options', () => {
  it('the defaults', () => {
    const auth = createBoxAuth({ refresh });
    expect(auth.origins).toEqual(['https://api.box.com', 'https://upload.box.com']);
    expect(Object.isFrozen(auth.origins)).toBe(true);
  });

  it('http: origins on a loopback host are taken (a local server, a sidecar)', () => {
    const auth = createBoxAuth({ refresh, origins: ['http://127.0.0.1:8080', 'http://[::1]:9000/x', 'http://localhost:3000', 'HTTP://LOCALHOST'] });
    expect(auth.origins).toEqual(['http://127.0.0.1:8080', 'http://[::1]:9000', 'http://localhost:3000', 'http://localhost']);
  });

  it('a store with a key; refreshCooldownMs from 0 to 60000', () => {
    expect(() => createBoxAuth({ refresh, store: createMemoryStore(), key: 'user-42', refreshCooldownMs: 0 })).not.toThrow();
    expect(() => createBoxAuth({ refresh, refreshCooldownMs: 60_000 })).not.toThrow();
  });

  it('origins are normalised to scheme, host and port', () => {
    const auth = createBoxAuth({ refresh, origins: ['https://api.box.com/2.0/', 'http://127.0.0.1:8080/x', 'HTTPS://Upload.Box.com'] });
    expect(auth.origins).toEqual(['https://api.box.com', 'http://127.0.0.1:8080', 'https://upload.box.com']);
  });

  it.each<[string, unknown, string]>([
    ['options', 'token', 'createBoxAuth must be an object, received "token"'],
    ['no refresh', {}, 'createBoxAuth.refresh must be a function, received undefined'],
    ['refresh', { refresh: 'token' }, 'createBoxAuth.refresh must be a function, received "token"'],
    ['initialToken', { refresh, initialToken: '' }, 'createBoxAuth.initialToken must be an access token (a non-empty string) or { accessToken, expiresAt? | expiresIn? }, received ""'],
    ['initialToken object', { refresh, initialToken: { token: 'x' } }, 'createBoxAuth.initialToken must be an access token (a non-empty string) or { accessToken, expiresAt? | expiresIn? }, received an object'],
    ['initialToken.expiresAt', { refresh, initialToken: { accessToken: 'x', expiresAt: '2026' } }, 'createBoxAuth.initialToken.expiresAt must be epoch milliseconds, received "2026"'],
    ['initialToken.expiresIn', { refresh, initialToken: { accessToken: 'x', expiresIn: -1 } }, 'createBoxAuth.initialToken.expiresIn must be a number of seconds from 0, received -1'],
    ['origins', { refresh, origins: 'https://api.box.com' }, 'createBoxAuth.origins must be a non-empty array of origins, received "https://api.box.com"'],
    ['empty origins', { refresh, origins: [] }, 'createBoxAuth.origins must be a non-empty array of origins, received an array (0 items)'],
    ['an origin', { refresh, origins: ['https://api.box.com', 'api.box.com'] }, 'createBoxAuth.origins[1] must be an https: origin such as https://api.box.com (http: only on 127.0.0.1, [::1] or localhost), received "api.box.com"'],
    ['a non-http origin', { refresh, origins: ['ftp://api.box.com'] }, 'createBoxAuth.origins[0] must be an https: origin such as https://api.box.com (http: only on 127.0.0.1, [::1] or localhost), received "ftp://api.box.com"'],
    ['refreshBeforeExpiryMs', { refresh, refreshBeforeExpiryMs: -1 }, 'createBoxAuth.refreshBeforeExpiryMs must be a number of milliseconds from 0 to 2147483647, received -1'],
    ['refreshTimeoutMs', { refresh, refreshTimeoutMs: 0 }, 'createBoxAuth.refreshTimeoutMs must be a number of milliseconds from 1 to 2147483647, received 0'],
    ['onRefresh', { refresh, onRefresh: true }, 'createBoxAuth.onRefresh must be a function, received true'],
    ['refreshCooldownMs below 0', { refresh, refreshCooldownMs: -1 }, 'createBoxAuth.refreshCooldownMs must be a number of milliseconds from 0 to 60000, received -1'],
    ['refreshCooldownMs above 60000', { refresh, refreshCooldownMs: 60_001 }, 'createBoxAuth.refreshCooldownMs must be a number of milliseconds from 0 to 60000, received 60001'],
    ['a store without a key', { refresh, store: createMemoryStore() }, 'createBoxAuth.key must be set whenever store is: whose token it is (each Box user or app its own key), received undefined'],
    ['an empty key', { refresh, store: createMemoryStore(), key: '' }, 'createBoxAuth.key must be a non-empty string, received ""'],
    ['an http: origin off this machine', { refresh, origins: ['http://api.box.com'] }, 'createBoxAuth.origins[0] must be an https: origin such as https://api.box.com (http: only on 127.0.0.1, [::1] or localhost), received "http://api.box.com"'],
    ['an http: origin on a private address', { refresh, origins: ['https://api.box.com', 'http://10.0.0.5:8080'] }, 'createBoxAuth.origins[1] must be an https: origin such as https://api.box.com (http: only on 127.0.0.1, [::1] or localhost), received "http://10.0.0.5:8080"'],
    ['an http: origin whose name only starts like localhost', { refresh, origins: ['http://localhost.evil.example'] }, 'createBoxAuth.origins[0] must be an https: origin such as https://api.box.com (http: only on 127.0.0.1, [::1] or localhost), received "http://localhost.evil.example"'],
    ['an unknown option', { refresh, timeoutMs: 5 }, 'unknown option createBoxAuth.timeoutMs (known: refresh, initialToken, origins, refreshBeforeExpiryMs, refreshTimeoutMs, refreshCooldownMs, onRefresh, store, key)'],
  ])('%s: a TypeError that names it', (_label, options, message) => {
    expect(() => createBoxAuth(options as never)).toThrow(new TypeError(`axios-box-status: ${message}`));
  });

  it('undefined keeps a default, and the caller\'s objects are not changed', () => {
    const origins = ['https://api.box.com/'];
    const options = Object.freeze({ refresh, origins: Object.freeze(origins), refreshTimeoutMs: undefined });
    expect(createBoxAuth(options).origins).toEqual(['https://api.box.com']);
    expect(origins).toEqual(['https://api.box.com/']);
  });
});

describe('createBoxAuth: tokens', () => {
  it('an initial string token is used as it is; an expiresIn one is made absolute', async () => {
    expect(await createBoxAuth({ refresh, initialToken: 'initial-token-00' }).token()).toBe('initial-token-00');
    const lasting = createBoxAuth({ refresh, initialToken: { accessToken: 'lasting-token-00', expiresIn: 3600 } });
    expect(await lasting.token()).toBe('lasting-token-00');
    // A 60 s token is due for refresh at half its life, 30 s from now: it serves as it is.
    const short = createBoxAuth({ refresh, initialToken: { accessToken: 'short-token-0000', expiresIn: 60 } });
    expect(await short.token()).toBe('short-token-0000');
    // Expired: the call waits for the refresh.
    const expired = createBoxAuth({ refresh, initialToken: { accessToken: 'expired-token-00', expiresIn: 0 } });
    expect(await expired.token()).toBe('fresh-token-000000');
  });

  it('token() rejects with the refresh\'s BoxAuthRefreshError when called directly', async () => {
    const auth = createBoxAuth({
      refresh: async () => {
        throw new Error('down');
      },
    });
    await expect(auth.token()).rejects.toMatchObject({ name: 'BoxAuthRefreshError', reason: 'missing' });
  });
});

describe('attachBoxStatus({ auth })', () => {
  it('takes a BoxAuth made by createBoxAuth', () => {
    const auth = createBoxAuth({ refresh });
    expect(resolveOptions({ auth }).auth).toBe(auth);
  });

  it.each<[string, unknown, string]>([
    ['a token', 'token', '"token"'],
    ['a refresh function', refresh, 'a function'],
    // Shaped like a BoxAuth, but the call loop needs the per-call helper createBoxAuth gives.
    ['an object shaped like a BoxAuth', { token: refresh, invalidate() {}, renew: refresh, origins: [] }, 'an object'],
    ['null', null, 'null'],
  ])('refuses %s with a TypeError that names it', (_label, auth, described) => {
    expect(() => resolveOptions({ auth })).toThrow(
      new TypeError(`axios-box-status: auth must be a BoxAuth made by createBoxAuth(), received ${described}`),
    );
  });
});
