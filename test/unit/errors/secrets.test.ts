import { AxiosHeaders } from 'axios';
import { describe, expect, it } from 'vitest';
import { collectSecrets, redactUrl, redactedRequestUrl, scrub, scrubDeep, scrubOptional } from '../../../src/errors/secrets.js';

const R = '[REDACTED]';

describe('redactUrl', () => {
  it.each<[string, string]>([
    ['access_token', 'https://api.box.com/2.0/files/1?access_token=abc123def'],
    ['token', 'https://api.box.com/oauth2/revoke?token=abc123def'],
    ['refresh_token', 'https://api.box.com/oauth2/token?refresh_token=abc123def'],
    ['client_secret', 'https://api.box.com/oauth2/token?client_secret=abc123def'],
    ['shared_link_password', 'https://api.box.com/2.0/shared_items?shared_link_password=abc123def'],
    ['password', 'https://api.box.com/2.0/x?password=abc123def'],
    ['api_key', 'https://api.box.com/2.0/x?api_key=abc123def'],
    ['apikey', 'https://api.box.com/2.0/x?apikey=abc123def'],
    ['signature', 'https://dl.boxcloud.com/d/1?signature=abc123def'],
    ['ACCESS_TOKEN (any case)', 'https://api.box.com/2.0/files/1?ACCESS_TOKEN=abc123def'],
  ])('redacts the value of %s', (_label, url) => {
    expect(redactUrl(url)).toBe(url.replace('abc123def', R));
  });

  it('redacts every sensitive pair and keeps the others in place', () => {
    expect(
      redactUrl('https://api.box.com/2.0/folders/0/items?fields=id,name&access_token=tok1&limit=100&client_secret=sec2&offset=0'),
    ).toBe(`https://api.box.com/2.0/folders/0/items?fields=id,name&access_token=${R}&limit=100&client_secret=${R}&offset=0`);
  });

  it('keeps non-sensitive keys untouched', () => {
    const url = 'https://api.box.com/2.0/folders/0/items?fields=id,name&limit=100&offset=0&marker=abc&sort=name&direction=ASC';
    expect(redactUrl(url)).toBe(url);
  });

  it('handles ; separators and empty values', () => {
    expect(redactUrl('/x?a=1;token=secret9;b=2')).toBe(`/x?a=1;token=${R};b=2`);
    expect(redactUrl('/x?access_token=&b=2')).toBe(`/x?access_token=${R}&b=2`);
  });

  it('recognises URL-encoded keys and keeps them encoded', () => {
    expect(redactUrl('/x?access%5Ftoken=abc123def&a=1')).toBe(`/x?access%5Ftoken=${R}&a=1`);
    expect(redactUrl('/x?client%5fsecret=abc123def')).toBe(`/x?client%5fsecret=${R}`);
    expect(redactUrl('/x?%74oken=abc123def')).toBe(`/x?%74oken=${R}`);
  });

  it('keeps a key that is not valid percent-encoding as it is (no throw)', () => {
    expect(redactUrl('/x?%E0%A4%A=1&token=abc123def')).toBe(`/x?%E0%A4%A=1&token=${R}`);
    expect(redactUrl('/x?%token=abc123def')).toBe(`/x?%token=${R}`);
  });

  it('keeps the fragment after a redacted query', () => {
    expect(redactUrl('https://api.box.com/2.0/files/1?access_token=abc123def#section')).toBe(
      `https://api.box.com/2.0/files/1?access_token=${R}#section`,
    );
    expect(redactUrl('https://api.box.com/2.0/files/1?fields=name#token')).toBe(
      'https://api.box.com/2.0/files/1?fields=name#token',
    );
  });

  // Regression: a pair once started only after ?, & or ;, so a credential in a fragment (the
  // OAuth implicit-flow shape `#access_token=...`) reached error.toJSON().url.
  it('redacts a credential at the start of the fragment', () => {
    expect(redactUrl('https://app.example.com/callback#access_token=FRAGSECRET1&token_type=bearer')).toBe(
      `https://app.example.com/callback#access_token=${R}&token_type=${R}`,
    );
  });

  it('redacts user:password@ userinfo, and a bare user@', () => {
    expect(redactUrl('https://user:hunter22@api.box.com/2.0/files/1')).toBe(`https://${R}@api.box.com/2.0/files/1`);
    expect(redactUrl('https://client@api.box.com/2.0')).toBe(`https://${R}@api.box.com/2.0`);
    expect(redactUrl('HTTP://u:p@host/x?token=abc123def')).toBe(`HTTP://${R}@host/x?token=${R}`);
  });

  it('does not take an @ in the path or query for userinfo', () => {
    expect(redactUrl('https://api.box.com/2.0/users?filter_term=a@b.com')).toBe(
      'https://api.box.com/2.0/users?filter_term=a@b.com',
    );
    expect(redactUrl('/users/a@b.com')).toBe('/users/a@b.com');
  });

  it('works on relative URLs', () => {
    expect(redactUrl('/files/1?access_token=abc123def')).toBe(`/files/1?access_token=${R}`);
    expect(redactUrl('files/1?fields=name')).toBe('files/1?fields=name');
    expect(redactUrl('?token=abc123def')).toBe(`?token=${R}`);
    expect(redactUrl('')).toBe('');
  });
});

describe('redactedRequestUrl', () => {
  it.each<[string, string, string]>([
    ['https://api.box.com/2.0', '/files/1', 'https://api.box.com/2.0/files/1'],
    ['https://api.box.com/2.0', 'files/1', 'https://api.box.com/2.0/files/1'],
    ['https://api.box.com/2.0/', 'files/1', 'https://api.box.com/2.0/files/1'],
    ['https://api.box.com/2.0/', '/files/1', 'https://api.box.com/2.0/files/1'],
    ['https://api.box.com/2.0///', '/files/1', 'https://api.box.com/2.0/files/1'],
    // Protocol-relative is absolute to axios (isAbsoluteURL), so the base is not joined.
    ['https://api.box.com/2.0', '//other.example/files/1?token=abcdefgh', '//other.example/files/1?token=[REDACTED]'],
    // No url: axios sends the base as it is (its combineURLs adds no slash).
    ['https://api.box.com/2.0', '', 'https://api.box.com/2.0'],
  ])('joins %j and %j', (baseURL, url, expected) => {
    expect(redactedRequestUrl({ baseURL, url })).toBe(expected);
  });

  it('redacts the joined URL, base included', () => {
    expect(redactedRequestUrl({ baseURL: 'https://api.box.com/2.0', url: '/files/1?access_token=QUERYSECRET99' })).toBe(
      `https://api.box.com/2.0/files/1?access_token=${R}`,
    );
    expect(redactedRequestUrl({ baseURL: 'https://u:pw123456@api.box.com/2.0', url: '/files/1' })).toBe(
      `https://${R}@api.box.com/2.0/files/1`,
    );
  });

  it('an absolute url ignores the base', () => {
    expect(
      redactedRequestUrl({
        baseURL: 'https://api.box.com/2.0',
        url: 'https://upload.box.com/api/2.0/files/content?access_token=abc123def',
      }),
    ).toBe(`https://upload.box.com/api/2.0/files/content?access_token=${R}`);
    expect(redactedRequestUrl({ baseURL: 'https://api.box.com/2.0', url: 'HTTP://example.com/x' })).toBe(
      'HTTP://example.com/x',
    );
  });

  it('without a base: the url alone', () => {
    expect(redactedRequestUrl({ url: '/files/1?token=abc123def' })).toBe(`/files/1?token=${R}`);
  });

  it('without a url: the base alone, or undefined', () => {
    expect(redactedRequestUrl({ baseURL: 'https://api.box.com/2.0?access_token=abc123def' })).toBe(
      `https://api.box.com/2.0?access_token=${R}`,
    );
    expect(redactedRequestUrl({})).toBeUndefined();
    expect(redactedRequestUrl(undefined)).toBeUndefined();
  });

  it('ignores params (only base and url are joined)', () => {
    expect(redactedRequestUrl({ baseURL: 'https://api.box.com/2.0', url: '/files/1', params: { access_token: 'x' } })).toBe(
      'https://api.box.com/2.0/files/1',
    );
  });
});

describe('collectSecrets', () => {
  it('Authorization bearer: the whole header and the token, from AxiosHeaders', () => {
    expect(collectSecrets({ headers: new AxiosHeaders({ Authorization: 'Bearer SECRET-TOKEN-123' }) })).toEqual([
      'Bearer SECRET-TOKEN-123',
      'SECRET-TOKEN-123',
    ]);
  });

  it.each<[string, Record<string, string>]>([
    ['Authorization', { Authorization: 'Bearer SECRET-TOKEN-123' }],
    ['authorization', { authorization: 'Bearer SECRET-TOKEN-123' }],
    ['AUTHORIZATION', { AUTHORIZATION: 'Bearer SECRET-TOKEN-123' }],
  ])('Authorization bearer from a plain object with the key %s', (_label, headers) => {
    expect(collectSecrets({ headers })).toEqual(['Bearer SECRET-TOKEN-123', 'SECRET-TOKEN-123']);
  });

  it('an Authorization without a scheme is one secret; extra spaces are trimmed from the token', () => {
    expect(collectSecrets({ headers: { Authorization: 'RAWTOKEN999' } })).toEqual(['RAWTOKEN999']);
    expect(collectSecrets({ headers: { Authorization: 'Bearer   SPACED-TOKEN ' } })).toEqual([
      'Bearer   SPACED-TOKEN ',
      'SPACED-TOKEN',
    ]);
  });

  it('the BoxApi shared-link header, in any case, whole and each of its values', () => {
    const boxApi = 'shared_link=https://app.box.com/s/abcdef&shared_link_password=letmein1';
    const collected = [boxApi, 'https://app.box.com/s/abcdef', 'https://app.box.com/s/abcdef', 'letmein1', 'letmein1'];
    expect(collectSecrets({ headers: new AxiosHeaders({ BoxApi: boxApi }) })).toEqual(collected);
    expect(collectSecrets({ headers: { boxapi: boxApi } })).toEqual(collected);
  });

  it('a basic-auth password (not the username), and the header axios builds from the pair', () => {
    // Buffer's base64 of the UTF-8 pair, as Node's http module sends it for `auth`.
    const basic = (pair: string): string => Buffer.from(pair).toString('base64');
    expect(collectSecrets({ auth: { username: 'client-id-1', password: 'hunter22' } })).toEqual([
      'hunter22',
      basic('client-id-1:hunter22'),
    ]);
    expect(collectSecrets({ auth: { username: 'zoë', password: 'pässwörd-1' } })).toEqual([
      'pässwörd-1',
      basic('zoë:pässwörd-1'),
    ]);
    expect(collectSecrets({ auth: { username: 'service-account', password: '' } })).toEqual([basic('service-account:')]);
  });

  it('credential-like query values of url and baseURL, raw and decoded', () => {
    expect(collectSecrets({ url: '/files/1?access_token=QUERYSECRET99&fields=name' })).toEqual([
      'QUERYSECRET99',
      'QUERYSECRET99',
    ]);
    expect(collectSecrets({ baseURL: 'https://api.box.com/2.0?client_secret=sec%2Fret99' })).toEqual([
      'sec%2Fret99',
      'sec/ret99',
    ]);
    expect(collectSecrets({ url: '/x?access%5Ftoken=ENCODEDKEY1' })).toEqual(['ENCODEDKEY1', 'ENCODEDKEY1']);
  });

  it('credential-like string params, not other keys', () => {
    expect(
      collectSecrets({
        params: { access_token: 'PARAMSECRET1', fields: 'name,size,owner', limit: 1000 },
      }),
    ).toEqual(['PARAMSECRET1']);
  });

  it('drops secrets shorter than 6 characters', () => {
    expect(
      collectSecrets({
        headers: { Authorization: 'Bearer abc' },
        auth: { username: 'u', password: 'pw' },
        url: '/x?token=12345&access_token=',
        params: { token: 'tiny' },
      }),
    ).toEqual(['Bearer abc', 'dTpwdw==']);
    expect(collectSecrets({ auth: { username: 'u', password: '123456' } })).toEqual(['123456', 'dToxMjM0NTY=']);
    expect(collectSecrets({ auth: {} })).toEqual([]);
  });

  it('collects every source, in order', () => {
    expect(
      collectSecrets({
        headers: new AxiosHeaders({ Authorization: 'Bearer SECRET-TOKEN-123', BoxApi: 'shared_link=https://app.box.com/s/x1' }),
        auth: { username: 'user', password: 'basicpass1' },
        url: '/files/1?access_token=QUERYSECRET99',
        baseURL: 'https://api.box.com/2.0?token=BASESECRET77',
        params: { refresh_token: 'REFRESH-SECRET-1' },
      }),
    ).toEqual([
      'Bearer SECRET-TOKEN-123',
      'SECRET-TOKEN-123',
      'shared_link=https://app.box.com/s/x1',
      'https://app.box.com/s/x1',
      'https://app.box.com/s/x1',
      'basicpass1',
      'dXNlcjpiYXNpY3Bhc3Mx',
      'QUERYSECRET99',
      'QUERYSECRET99',
      'BASESECRET77',
      'BASESECRET77',
      'REFRESH-SECRET-1',
    ]);
  });

  it('nothing to collect', () => {
    expect(collectSecrets(undefined)).toEqual([]);
    expect(collectSecrets({})).toEqual([]);
    expect(collectSecrets({ headers: { Accept: 'application/json' }, url: '/files/1?fields=name' })).toEqual([]);
    expect(collectSecrets({ headers: { Authorization: '' } })).toEqual([]);
    expect(collectSecrets({ headers: null, params: null })).toEqual([]);
  });
});

describe('scrub and scrubOptional', () => {
  const secrets = ['Bearer SECRET-TOKEN-123', 'SECRET-TOKEN-123', 'QUERYSECRET99'];

  it('replaces every occurrence of every secret', () => {
    expect(scrub('auth Bearer SECRET-TOKEN-123 then SECRET-TOKEN-123 and QUERYSECRET99 twice QUERYSECRET99', secrets)).toBe(
      `auth ${R} then ${R} and ${R} twice ${R}`,
    );
  });

  it('leaves text without secrets unchanged', () => {
    expect(scrub('Item with the same name already exists', secrets)).toBe('Item with the same name already exists');
    expect(scrub('', secrets)).toBe('');
    expect(scrub('anything SECRET-TOKEN-123', [])).toBe('anything SECRET-TOKEN-123');
  });

  it('treats secrets literally (no regex or replacement patterns)', () => {
    expect(scrub('x a.b*c$&d y a.b*c$&d', ['a.b*c$&d'])).toBe(`x ${R} y ${R}`);
    expect(scrub('axbxc', ['a.b'])).toBe('axbxc');
  });

  it('scrubOptional passes undefined through and scrubs strings', () => {
    expect(scrubOptional(undefined, secrets)).toBeUndefined();
    expect(scrubOptional('token QUERYSECRET99', secrets)).toBe(`token ${R}`);
    expect(scrubOptional('', secrets)).toBe('');
  });
});

describe('redaction edge cases', () => {
  it('a password holding an unencoded @ is redacted whole', () => {
    expect(redactUrl('https://user:p@ss@host.example/x')).toBe('https://[REDACTED]@host.example/x');
  });

  it('form and object bodies give their credentials to the scrubber', () => {
    const form = 'grant_type=refresh_token&refresh_token=REFRESH-123456&client_secret=SECRET-654321';
    expect(collectSecrets({ data: form, headers: new AxiosHeaders() })).toEqual([
      'REFRESH-123456',
      'REFRESH-123456',
      'SECRET-654321',
      'SECRET-654321',
    ]);
    expect(collectSecrets({ data: { client_secret: 'SECRET-654321', name: 'x' } })).toEqual(['SECRET-654321']);
  });

  it('scrubDeep copies and scrubs nested strings, and stops at a bounded depth', () => {
    const input = { a: ['x SECRET-1 y', { b: 'SECRET-1' }], n: 3 };
    expect(scrubDeep(input, ['SECRET-1'])).toEqual({ a: ['x [REDACTED] y', { b: '[REDACTED]' }], n: 3 });
    expect(input.a[0]).toBe('x SECRET-1 y');
    let deep: unknown = 'SECRET-1';
    for (let i = 0; i < 20; i += 1) deep = { deeper: deep };
    expect(JSON.stringify(scrubDeep(deep, ['SECRET-1']))).not.toContain('SECRET-1');
    expect(scrubDeep(input, [])).toBe(input);
  });
});
