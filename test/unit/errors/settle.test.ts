import { AxiosError, AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, it } from 'vitest';
import type { BoxPlainErrorFields } from '../../../src/index.js';
import { settlePlainError } from '../../../src/errors/settle.js';

import { QUERY_SECRET, REDACTED_URL, TOKEN, fakeConfig, serialisedForms } from '../../helpers/errors.js';

describe('settlePlainError', () => {
  const otherConfig = (): InternalAxiosRequestConfig => ({ ...fakeConfig(), method: 'post' });

  /**
   * A timeout error whose stack V8 has already formatted, as for every error that went through
   * AxiosError.from or axios's request() (V8 formats `stack` on first read, with the message of
   * that moment).
   */
  function timeoutError(message = 'timeout of 100ms exceeded'): AxiosError & BoxPlainErrorFields {
    const error = new AxiosError(message, 'ECONNABORTED', { headers: new AxiosHeaders(), url: '/engine' });
    expect(String(error.stack).split('\n')[0]).toBe(`AxiosError: ${message}`);
    return error;
  }

  it('sets attempts and the reason, in message and stack, and the request config', () => {
    const error = timeoutError();
    const config = otherConfig();
    const reason = 'POST is not idempotent and Box may have acted on it (boxRetry: { idempotent: true } opts in)';
    const out = settlePlainError(error, config, 3, reason);
    expect(out).toBe(error);
    expect(error.config).toBe(config);
    expect(error.boxAttempts).toBe(3);
    expect(error.boxNotRetriedReason).toBe(reason);
    expect(error.message).toBe(`timeout of 100ms exceeded (after 3 attempts; not retried: ${reason})`);
    expect(String(error.stack).split('\n')[0]).toBe(`AxiosError: ${error.message}`);
  });

  it.each<[number, string | undefined, string]>([
    [1, undefined, 'timeout of 100ms exceeded'],
    [2, undefined, 'timeout of 100ms exceeded (after 2 attempts)'],
    [1, 'the request body is a one-shot stream', 'timeout of 100ms exceeded (not retried: the request body is a one-shot stream)'],
  ])('attempts %i, reason %j', (attempts, reason, message) => {
    const error = timeoutError();
    settlePlainError(error, otherConfig(), attempts, reason);
    expect(error.message).toBe(message);
    expect(String(error.stack).split('\n')[0]).toBe(`AxiosError: ${message}`);
    expect(error.boxAttempts).toBe(attempts);
    expect(error.boxNotRetriedReason).toBe(reason);
  });

  // Regression: V8 formats `stack` lazily, on first read, with the message of that moment. The
  // http adapter's timeout error reaches settlePlainError with its stack never read; changing
  // the message first once made the notes appear twice in the stack.
  it('a fresh error (stack never read) gets the notes once in its stack', () => {
    const error = new AxiosError('timeout of 100ms exceeded', 'ECONNABORTED');
    settlePlainError(error, otherConfig(), 2, 'reason');
    expect(error.message).toBe('timeout of 100ms exceeded (after 2 attempts; not retried: reason)');
    expect(String(error.stack).split('\n')[0]).toBe(
      'AxiosError: timeout of 100ms exceeded (after 2 attempts; not retried: reason)',
    );
  });

  it('keeps $& and $1 in the message and the stack literally', () => {
    const error = timeoutError('bad $& thing $1 $$');
    settlePlainError(error, otherConfig(), 2, 'reason $&');
    expect(error.message).toBe('bad $& thing $1 $$ (after 2 attempts; not retried: reason $&)');
    expect(String(error.stack).split('\n')[0]).toBe('AxiosError: bad $& thing $1 $$ (after 2 attempts; not retried: reason $&)');
  });

  it('copes with an error whose stack is not a string', () => {
    const error = new AxiosError('socket hang up', 'ECONNRESET');
    Object.defineProperty(error, 'stack', { value: undefined, writable: true, configurable: true });
    expect(settlePlainError(error, otherConfig(), 2, undefined)).toBe(error);
    expect(error.message).toBe('socket hang up (after 2 attempts)');
    expect(error.stack).toBeUndefined();
  });

  it('returns non-axios errors unchanged', () => {
    const plain = new Error('boom');
    expect(settlePlainError(plain, otherConfig(), 3, 'r')).toBe(plain);
    expect(plain.message).toBe('boom');
    expect('boxAttempts' in plain).toBe(false);
    expect(Object.getOwnPropertyNames(plain).sort()).toEqual(['message', 'stack']);

    const lookAlike = { isAxiosError: true, message: 'm' };
    expect(settlePlainError(lookAlike, otherConfig(), 3, 'r')).toBe(lookAlike);
    expect(lookAlike).toStrictEqual({ isAxiosError: true, message: 'm' });

    expect(settlePlainError('boom', otherConfig(), 3, 'r')).toBe('boom');
    expect(settlePlainError(undefined, otherConfig(), 3, 'r')).toBeUndefined();
    expect(settlePlainError(null, otherConfig(), 3, 'r')).toBeNull();
  });

  it('toJSON: redacted, without config or headers', () => {
    const error = timeoutError();
    settlePlainError(error, otherConfig(), 3, 'reason');
    const json = error.toJSON();
    expect(json).toStrictEqual({
      name: 'AxiosError',
      message: 'timeout of 100ms exceeded (after 3 attempts; not retried: reason)',
      code: 'ECONNABORTED',
      status: undefined,
      method: 'POST',
      url: REDACTED_URL,
      boxAttempts: 3,
      boxNotRetriedReason: 'reason',
      stack: error.stack,
    });
    for (const text of serialisedForms(error)) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(QUERY_SECRET);
      expect(text).not.toContain('"config"');
      expect(text).not.toContain('"headers"');
    }
  });

  it('toJSON is not enumerable and does not change the message', () => {
    const error = timeoutError();
    settlePlainError(error, otherConfig(), 1, undefined);
    expect(Object.getOwnPropertyDescriptor(error, 'toJSON')?.enumerable).toBe(false);
    expect(error.toJSON()).toMatchObject({ message: 'timeout of 100ms exceeded', boxAttempts: 1 });
  });
});
