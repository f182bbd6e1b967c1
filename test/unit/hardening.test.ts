// Cases found in review of the first implementation: each failed before its fix.
import { AxiosHeaders } from 'axios';
import { describe, expect, it } from 'vitest';
import { bodyRequestId } from '../../src/error-body.js';
import { collectSecrets, redactUrl, scrubDeep } from '../../src/secrets.js';
import { parseRetryAfter } from '../../src/retry-after.js';

const NOW = Date.UTC(1994, 10, 6, 8, 49, 37);

describe('parseRetryAfter reads only real HTTP dates', () => {
  it.each(['Sun, 2', 'Sun, 2099', 'Monday', 'Sun, 06 Nov', 'Sun Nov 6 1994', 'Fri, 99 Foo 1994 08:49:37 GMT'])(
    '%j is garbage, not a date',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );

  it.each([
    ['Sun, 06 Nov 1994 08:49:47 GMT', 10_000],
    ['Sun, 6 Nov 1994 08:49:47 GMT', 10_000],
    ['Sunday, 06-Nov-94 08:49:47 GMT', 10_000],
    ['Sun Nov  6 08:49:47 1994', 10_000],
    ['Sun, 06 Nov 1994 09:49:47 +0100', 10_000],
  ])('%j is a date', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it('a tiny positive number of seconds still waits 1 ms; zero waits none', () => {
    expect(parseRetryAfter(1e-7)).toBe(1);
    expect(parseRetryAfter(0)).toBe(0);
    expect(parseRetryAfter(2.007)).toBe(2007);
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

it('bodyRequestId never throws on hostile data', () => {
  const hostile = Object.defineProperty({}, 'request_id', {
    get() {
      throw new Error('boom');
    },
  });
  expect(bodyRequestId(hostile)).toBeUndefined();
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  expect(bodyRequestId(proxy)).toBeUndefined();
});
