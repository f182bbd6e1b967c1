import { AxiosError, AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, it } from 'vitest';
import { BoxClientError, BoxServerError } from '../../../src/errors/box-error-classes.js';
import { settlePlainError as finishPlainError } from '../../../src/errors/settle.js';
import { STANDARD_409 } from '../../helpers/fixtures.js';
import {
  CLASSES,
  QUERY_SECRET,
  REDACTED_URL,
  TOKEN,
  fakeConfig,
  fakeResponse,
  serialisedForms,
} from '../../helpers/errors.js';

describe('redaction', () => {
  it.each(CLASSES)('%s: no credential in message, stack, JSON.stringify or toJSON', (_name, Class, status) => {
    const error = new Class({ response: fakeResponse(status, STANDARD_409, { 'box-request-id': 'hdr-1' }, 'Status') });
    for (const text of serialisedForms(error)) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('Bearer SECRET');
      expect(text).not.toContain(QUERY_SECRET);
    }
  });

  it('a server that echoes the credentials gets them scrubbed in message and boxMessage', () => {
    const error = new BoxClientError({
      response: fakeResponse(401, {
        code: 'unauthorized',
        message: `Invalid token Bearer ${TOKEN} (also ${TOKEN}) for ${QUERY_SECRET}`,
        request_id: 'abc123',
      }),
    });
    expect(error.boxMessage).toBe('Invalid token [REDACTED] (also [REDACTED]) for [REDACTED]');
    expect(error.message).toBe(
      'Box API 401 unauthorized: Invalid token [REDACTED] (also [REDACTED]) for [REDACTED] (request abc123)',
    );
    for (const text of serialisedForms(error)) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(QUERY_SECRET);
    }
  });

  it('an echoed credential in the code or in statusText is scrubbed', () => {
    const inCode = new BoxClientError({ response: fakeResponse(400, { code: `bad_${TOKEN}` }) });
    expect(inCode.boxCode).toBe('bad_[REDACTED]');
    expect(inCode.message).toBe('Box API 400 bad_[REDACTED]: client error');
    const inStatusText = new BoxServerError({ response: fakeResponse(502, '', {}, `Bad ${QUERY_SECRET}`) });
    expect(inStatusText.message).toBe('Box API 502: Bad [REDACTED]');
  });

  // Regression: only code and message were once scrubbed. A server that echoes the token in
  // context_info (Box's 400 bad_request lists the offending parameters there), help_url or
  // request_id must not put it in JSON.stringify(error) or error.toJSON().
  it('an echoed credential in context_info is kept out of JSON.stringify and toJSON', () => {
    const error = new BoxClientError({
      response: fakeResponse(400, {
        code: 'bad_request',
        message: 'Bad request',
        context_info: { errors: [{ reason: 'invalid_parameter', name: 'token', message: `Invalid value '${TOKEN}'.` }] },
      }),
    });
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(JSON.stringify(error.toJSON())).not.toContain(TOKEN);
  });

  it('toJSON: redacted url, upper-case method, Box fields, no config, headers or body', () => {
    const error = new BoxClientError({
      response: fakeResponse(409, STANDARD_409, { 'box-request-id': 'hdr-1' }),
      attempts: 2,
      retryable: false,
      notRetriedReason: 'reason',
    });
    const json = error.toJSON();
    expect(json).toStrictEqual({
      name: 'BoxClientError',
      message:
        'Box API 409 item_name_in_use: Item with the same name already exists (request abc123) after 2 attempts; not retried: reason',
      code: 'ERR_BAD_REQUEST',
      status: 409,
      method: 'GET',
      url: REDACTED_URL,
      boxCode: 'item_name_in_use',
      boxMessage: 'Item with the same name already exists',
      requestId: 'abc123',
      helpUrl: 'http://developers.box.com/docs/#errors',
      contextInfo: { conflicts: { type: 'file', id: '12345', name: 'report.pdf' } },
      retryAfterMs: undefined,
      attempts: 2,
      notRetriedReason: 'reason',
      boxStatus: {
        status: 409,
        kind: 'client-error',
        retryable: false,
        attempts: 2,
        requestId: 'abc123',
        retryAfterMs: undefined,
        notRetriedReason: 'reason',
        waitedMs: 0,
        durationMs: 0,
      },
      stack: error.stack,
    });
    expect(JSON.parse(JSON.stringify(error))).toStrictEqual(JSON.parse(JSON.stringify(json)));
  });

  it('toJSON without method or url', () => {
    const response = { ...fakeResponse(500, ''), config: { headers: new AxiosHeaders() } } as AxiosResponse;
    const json = new BoxServerError({ response }).toJSON();
    expect(json.method).toBeUndefined();
    expect(json.url).toBeUndefined();
  });
});

describe('util.inspect', () => {
  const INSPECT = Symbol.for('nodejs.util.inspect.custom');
  type Inspectable = { [INSPECT]: (depth: number, options: object, inspect?: unknown) => string };
  const timeoutError = (): AxiosError => new AxiosError('timeout of 100ms exceeded', 'ECONNABORTED');
  const otherConfig = (): InternalAxiosRequestConfig => ({ ...fakeConfig(), method: 'post' });

  it('without Node’s inspect function (another runtime), falls back to JSON for the fields', () => {
    const error = new BoxClientError({ response: fakeResponse(409, STANDARD_409) }) as unknown as Inspectable & Error;
    const shown = error[INSPECT](2, {});
    expect(shown.startsWith(`${error.stack} {`)).toBe(true);
    expect(JSON.parse(shown.slice(String(error.stack).length + 1))).toMatchObject({
      boxCode: 'item_name_in_use',
      url: REDACTED_URL,
    });
    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toContain(QUERY_SECRET);
  });

  it('without a stack, starts with the name and message', () => {
    const error = timeoutError();
    finishPlainError(error, otherConfig(), 2, undefined);
    Object.defineProperty(error, 'stack', { value: undefined });
    const shown = (error as unknown as Inspectable)[INSPECT](2, {});
    expect(shown).toMatch(/^AxiosError: timeout of 100ms exceeded \(after 2 attempts\) \{"code":"ECONNABORTED"/);
  });

  it('is not enumerable, so it adds nothing to JSON or to a spread copy', () => {
    const error = timeoutError();
    finishPlainError(error, otherConfig(), 1, undefined);
    expect(Object.getOwnPropertyDescriptor(error, INSPECT)?.enumerable).toBe(false);
    expect(Object.getOwnPropertySymbols({ ...error })).toEqual([]);
  });
});
