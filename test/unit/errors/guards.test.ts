import { AxiosError } from 'axios';
import { describe, expect, it } from 'vitest';
import { BoxApiError, BoxClientError, BoxRateLimitError, BoxServerError } from '../../../src/errors/box-error-classes.js';
import { isBoxApiError, isBoxClientError, isBoxRateLimitError, isBoxServerError } from '../../../src/errors/guards.js';
import { fakeResponse } from '../../helpers/errors.js';

describe('guards', () => {
  const BRAND = Symbol.for('axios-box-status.error');
  const api = new BoxApiError({ response: fakeResponse(600, {}) });
  const client = new BoxClientError({ response: fakeResponse(404, {}) });
  const rateLimit = new BoxRateLimitError({ response: fakeResponse(429, {}) });
  const server = new BoxServerError({ response: fakeResponse(500, {}) });

  it.each<[string, unknown, [boolean, boolean, boolean, boolean]]>([
    ['BoxApiError', api, [true, false, false, false]],
    ['BoxClientError', client, [true, true, false, false]],
    ['BoxRateLimitError', rateLimit, [true, true, true, false]],
    ['BoxServerError', server, [true, false, false, true]],
    ['a plain AxiosError', new AxiosError('x', 'ERR_BAD_REQUEST'), [false, false, false, false]],
    ['an Error', new Error('x'), [false, false, false, false]],
    ['null', null, [false, false, false, false]],
    ['undefined', undefined, [false, false, false, false]],
    ['a string', 'BoxApiError', [false, false, false, false]],
    ['a number', 429, [false, false, false, false]],
    ['an empty object', {}, [false, false, false, false]],
    ['a look-alike without the brand', { name: 'BoxClientError', isAxiosError: true, boxCode: 'x' }, [false, false, false, false]],
    ['an object branded api (another copy)', { [BRAND]: 'api' }, [true, false, false, false]],
    ['an object branded client (another copy)', { [BRAND]: 'client' }, [true, true, false, false]],
    ['an object branded rate-limit (another copy)', { [BRAND]: 'rate-limit' }, [true, true, true, false]],
    ['an object branded server (another copy)', { [BRAND]: 'server' }, [true, false, false, true]],
    ['an object with an unknown brand', { [BRAND]: 'bogus' }, [false, false, false, false]],
    ['an object with a look-alike local symbol', { [Symbol('axios-box-status.error')]: 'api' }, [false, false, false, false]],
    ['an object with the brand as a string key', { 'axios-box-status.error': 'api' }, [false, false, false, false]],
  ])('%s', (_label, value, [isApi, isClient, isRateLimit, isServer]) => {
    expect(isBoxApiError(value)).toBe(isApi);
    expect(isBoxClientError(value)).toBe(isClient);
    expect(isBoxRateLimitError(value)).toBe(isRateLimit);
    expect(isBoxServerError(value)).toBe(isServer);
  });

  it('another copy of the classes (brand on its prototype) is recognised', () => {
    class OtherCopyServerError extends Error {}
    Object.defineProperty(OtherCopyServerError.prototype, BRAND, { value: 'server' });
    const foreign = new OtherCopyServerError('x');
    expect(foreign).not.toBeInstanceOf(BoxServerError);
    expect(isBoxApiError(foreign)).toBe(true);
    expect(isBoxServerError(foreign)).toBe(true);
    expect(isBoxClientError(foreign)).toBe(false);
  });

  it('the brand is on the prototype, not an own enumerable field', () => {
    expect(Object.getOwnPropertySymbols(client)).not.toContain(BRAND);
    expect((BoxClientError.prototype as unknown as Record<symbol, unknown>)[BRAND]).toBe('client');
  });
});
