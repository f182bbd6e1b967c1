import axios, { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import { attemptConfig, copyConfig } from '../../../src/call/transport.js';

/** A config as axios 1.16 and later build it: a null prototype, with a hasOwnProperty of its own. */
function nullPrototypeConfig(fields: Record<PropertyKey, unknown>): InternalAxiosRequestConfig {
  const config = Object.create(null) as Record<PropertyKey, unknown>;
  Object.defineProperty(config, 'hasOwnProperty', {
    value: Object.prototype.hasOwnProperty,
    enumerable: false,
    writable: true,
    configurable: true,
  });
  Object.assign(config, fields);
  return config as unknown as InternalAxiosRequestConfig;
}

const MARK = Symbol('a caller\'s mark');
const HIDDEN = Symbol('not enumerable');

describe('copyConfig', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>)['auth'];
  });

  it('copies every enumerable own key, symbols included, and nothing that is not', () => {
    const config = nullPrototypeConfig({ url: '/files/1', method: 'get', timeout: 0, [MARK]: 'kept' });
    Object.defineProperty(config, HIDDEN, { value: 'hidden', enumerable: false });
    const copy = copyConfig(config);
    expect(copy).not.toBe(config);
    expect(Object.keys(copy)).toEqual(['url', 'method', 'timeout']);
    expect((copy as unknown as Record<symbol, unknown>)[MARK]).toBe('kept');
    expect(Object.getOwnPropertySymbols(copy)).toEqual([MARK]);
  });

  it('a null-prototype config stays out of reach of a polluted Object.prototype, and keeps hasOwnProperty', () => {
    const config = nullPrototypeConfig({ url: '/files/1' });
    (Object.prototype as Record<string, unknown>)['auth'] = { username: 'attacker', password: 'polluted' };
    const copy = copyConfig(config);
    expect(copy.auth).toBeUndefined();
    expect('auth' in copy).toBe(false);
    expect(copy.hasOwnProperty('url')).toBe(true);
    expect(copy.hasOwnProperty('auth')).toBe(false);
    expect(Object.keys(copy)).toEqual(['url']);
    // A caller may still give the copy a hasOwnProperty of its own, as on axios's config.
    (copy as unknown as Record<string, unknown>)['hasOwnProperty'] = () => true;
    expect(copyConfig(config).hasOwnProperty('nothing')).toBe(false);
  });

  it('a plain-object config (axios before 1.16) is copied into a plain object', () => {
    const config = { url: '/files/1', headers: new AxiosHeaders() } as InternalAxiosRequestConfig;
    const copy = copyConfig(config);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(copy).toEqual(config);
    expect(copy.headers).toBe(config.headers);
  });

  it('what axios itself builds: every field, the same prototype chain\'s end', async () => {
    let seen: InternalAxiosRequestConfig | undefined;
    const instance = axios.create({
      baseURL: 'https://api.box.com/2.0',
      adapter: async (config) => {
        seen = config;
        return { status: 200, statusText: 'OK', headers: {}, data: '', config };
      },
    });
    await instance.get('/files/1', { params: { fields: 'name' } });
    const config = seen as InternalAxiosRequestConfig;
    const copy = copyConfig(config);
    expect({ ...copy }).toEqual({ ...config });
    let end: object | null = copy;
    while (end !== null && Object.getPrototypeOf(end) !== null) end = Object.getPrototypeOf(end) as object | null;
    let configEnd: object | null = config;
    while (configEnd !== null && Object.getPrototypeOf(configEnd) !== null) configEnd = Object.getPrototypeOf(configEnd) as object | null;
    // Both chains end in Object.prototype (axios before 1.16) or both skip it (1.16 and later).
    expect(end === Object.prototype).toBe(configEnd === Object.prototype);
  });
});

describe('attemptConfig', () => {
  it('a copy that resolves every status, with the deadline\'s cut, leaving the request untouched', () => {
    const validateStatus = (status: number): boolean => status < 300;
    const request = nullPrototypeConfig({ url: '/f', timeout: 5000, validateStatus, headers: new AxiosHeaders() });
    const signal = new AbortController().signal;
    const attempt = attemptConfig(request, { timeout: 120, signal });
    expect(attempt.validateStatus).toBeNull();
    expect(attempt.timeout).toBe(120);
    expect(attempt.signal).toBe(signal);
    expect(attempt.headers).toBe(request.headers);
    expect(request.validateStatus).toBe(validateStatus);
    expect(request.timeout).toBe(5000);
    expect(request.signal).toBeUndefined();
  });
});
