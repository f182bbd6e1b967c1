import { inspect } from 'node:util';
import { AxiosError } from 'axios';
import { describe, expect, it } from 'vitest';
import { redactThrown, scrubErrorChain } from '../../../src/errors/scrub-thrown.js';
import { scrubDeep } from '../../../src/errors/secrets.js';

const SECRET = 'secret-value-123456';

describe('redactThrown: bounded, whatever it is handed', () => {
  it('an object of 20,000 nodes holding the secret deep inside: a scrubbed copy, made in bounded time', () => {
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i += 1) wide[`k${i}`] = { value: i === 19_999 ? SECRET : 'x' };
    const started = performance.now();
    const shown = redactThrown(wide, [SECRET]);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(JSON.stringify(shown)).not.toContain(SECRET);
  });

  it('a value that holds itself, and a class instance among its fields', () => {
    class Vault {
      key = SECRET;
    }
    const looped: Record<string, unknown> = { vault: new Vault(), note: `uses ${SECRET}` };
    looped['self'] = looped;
    const shown = redactThrown(looped, [SECRET]) as Record<string, unknown>;
    expect(shown['vault']).toBe('[Vault]');
    expect(shown['note']).toBe('uses [REDACTED]');
    expect(shown['self']).toBe('[Circular]');
    expect(inspect(shown, { depth: Infinity })).not.toContain(SECRET);
  });

  it('a value without the secret is handed back as it is; a string is scrubbed', () => {
    const plain = { a: 1, b: ['x'] };
    expect(redactThrown(plain, [SECRET])).toBe(plain);
    expect(redactThrown(`x ${SECRET}`, [SECRET])).toBe('x [REDACTED]');
    expect(redactThrown(42, [SECRET])).toBe(42);
  });

  it('an error whose fields cannot be changed, or whose getter throws, is left as it is where it must be', () => {
    const frozen = Object.freeze(Object.assign(new Error('frozen'), { detail: { token: SECRET } }));
    expect(() => redactThrown(frozen, [SECRET])).not.toThrow();
    const error = new Error('getter');
    Object.defineProperty(error, 'boom', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    expect(() => redactThrown(error, [SECRET])).not.toThrow();
  });

  it('an error that cannot be scrubbed in place is shown by a scrubbed copy: its name, message, fields and cause', () => {
    class VaultError extends Error {
      override name = 'VaultError';
    }
    const cause = new Error(`below ${SECRET}`);
    const frozen = Object.freeze(Object.assign(new VaultError(`frozen ${SECRET}`, { cause }), { status: 403, detail: { token: SECRET }, when: new Date(0) }));
    const shown = redactThrown(frozen, [SECRET]) as Error & Record<string, unknown>;
    expect(shown).not.toBe(frozen);
    expect(shown).toBeInstanceOf(Error);
    expect([shown.name, shown.message, shown['status'], shown['detail'], shown['when']]).toEqual(['VaultError', 'frozen [REDACTED]', 403, { token: '[REDACTED]' }, '[Date]']);
    // Its cause could be scrubbed in place: the copy holds it as it is.
    expect(shown.cause).toBe(cause);
    expect(cause.message).toBe('below [REDACTED]');
    expect(inspect(shown, { depth: Infinity, showHidden: true })).not.toContain(SECRET);
    // A name or message that cannot be read at all: a plain Error, the fields that can be read kept.
    const unreadable = Object.freeze(
      Object.defineProperties(new Error(), {
        name: { get: () => { throw new Error('no'); } },
        detail: { value: SECRET, enumerable: true },
      }),
    );
    expect(JSON.stringify(redactThrown(unreadable, [SECRET]))).toBe('{"detail":"[REDACTED]"}');
  });

  it('a frozen axios error, whose toJSON and inspection cannot be redacted in place: a copy without its config', () => {
    const config = { url: 'https://api.box.com/2.0/files/1', headers: { Authorization: `Bearer ${SECRET}` } } as never;
    const frozen = Object.freeze(new AxiosError('Request failed with status code 503', 'ERR_BAD_RESPONSE', config));
    const shown = redactThrown(frozen, [SECRET]) as Record<string, unknown>;
    expect(shown).not.toBe(frozen);
    expect(shown['config']).toBeUndefined();
    expect(shown['code']).toBe('ERR_BAD_RESPONSE');
    for (const text of [JSON.stringify(shown), inspect(shown, { depth: Infinity, showHidden: true })]) expect(text).not.toContain(SECRET);
  });

  it('an error nested past the walk\'s depth is cut from its parent rather than shown', () => {
    let deep = new Error(SECRET);
    for (let level = 0; level < 40; level += 1) deep = new Error(`level ${level}`, { cause: deep });
    const shown = redactThrown(deep, [SECRET]);
    expect(inspect(shown, { depth: Infinity })).not.toContain(SECRET);
    expect(inspect(shown, { depth: Infinity })).toContain('[REDACTED: nested too deep]');
  });

  it('an error with a class instance field is shown by the class name; the field stays readable', () => {
    class Response {
      body = `echo ${SECRET}`;
    }
    const error = Object.assign(new Error('HTTP 401'), { response: new Response(), code: 'E401' });
    const cycle = Object.assign(new Error('again'), { cause: error });
    Object.defineProperty(error, 'cause', { value: cycle, configurable: true, writable: true });
    scrubErrorChain(error, [SECRET]);
    expect(error.response.body).toBe(`echo ${SECRET}`);
    for (const shown of [inspect(error, { depth: Infinity, showHidden: true }), JSON.stringify(error), JSON.stringify({ ...error })]) {
      expect(shown).not.toContain(SECRET);
    }
    expect(inspect(error)).toContain('[Response]');
    expect(inspect(error, { depth: Infinity })).toContain('[Circular Error]');
    expect(Object.keys(error)).toEqual(['code']);
    // Where util.inspect is not Node's (another runtime), the fields are shown as JSON.
    const custom = (error as unknown as Record<symbol, (depth: number, options: object) => string>)[Symbol.for('nodejs.util.inspect.custom')];
    const shown = custom?.call(error, 2, {}) as string;
    expect(shown).toContain('"response":"[Response]"');
    expect(shown).not.toContain(SECRET);
  });
});

describe('scrubDeep', () => {
  it('a value shared ten times at each of 16 levels (10^16 paths) is copied in bounded time', () => {
    let shared: unknown = SECRET;
    for (let level = 0; level < 16; level += 1) shared = Array.from({ length: 10 }, () => shared);
    const started = performance.now();
    const copy = scrubDeep(shared, [SECRET]);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(JSON.stringify(copy)).not.toContain(SECRET);
  });

  it('copies Maps and Sets with their strings scrubbed, keeps an Error, names an instance of any other class', () => {
    const error = new Error('kept');
    const copy = scrubDeep({ m: new Map([[SECRET, SECRET]]), s: new Set([SECRET]), e: error, d: new Date(0) }, [SECRET]) as Record<string, unknown>;
    expect([...(copy['m'] as Map<string, string>)]).toEqual([['[REDACTED]', '[REDACTED]']]);
    expect([...(copy['s'] as Set<string>)]).toEqual(['[REDACTED]']);
    expect(copy['e']).toBe(error);
    expect(copy['d']).toBe('[Date]');
  });
});
