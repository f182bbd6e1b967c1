import { describe, expect, it } from 'vitest';
import { bodyRequestId, parseBoxErrorBody, type BoxErrorBody } from '../../../src/box/error-body.js';
import { EMPTY_BOX_BODY as EMPTY, STANDARD_409 } from '../../helpers/fixtures.js';

const MIB = 1 << 20;

const STANDARD_FIELDS: BoxErrorBody = {
  code: 'item_name_in_use',
  message: 'Item with the same name already exists',
  requestId: 'abc123',
  helpUrl: 'http://developers.box.com/docs/#errors',
  contextInfo: { conflicts: { type: 'file', id: '12345', name: 'report.pdf' } },
};
const JSON_TEXT = JSON.stringify(STANDARD_409);

function arrayBufferOf(text: string): ArrayBuffer {
  const bytes = new TextEncoder().encode(text);
  const buffer = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  return buffer;
}

describe('parseBoxErrorBody: the standard Box error body', () => {
  it('from a parsed object', () => {
    const fields = parseBoxErrorBody(STANDARD_409);
    expect(fields).toStrictEqual(STANDARD_FIELDS);
    expect(fields.contextInfo).toBe(STANDARD_409.context_info);
  });

  it.each<[string, unknown]>([
    ['a JSON string', JSON_TEXT],
    ['a JSON string with whitespace around', `\n  ${JSON_TEXT}\r\n `],
    ['a pretty-printed JSON string', JSON.stringify(STANDARD_409, null, 2)],
    ['a Buffer', Buffer.from(JSON_TEXT, 'utf8')],
    ['a Uint8Array', new TextEncoder().encode(JSON_TEXT)],
    ['an ArrayBuffer', arrayBufferOf(JSON_TEXT)],
    ['a DataView', new DataView(arrayBufferOf(JSON_TEXT))],
  ])('from %s', (_label, data) => {
    expect(parseBoxErrorBody(data)).toStrictEqual(STANDARD_FIELDS);
  });

  it('decodes UTF-8 bytes', () => {
    const body = { code: 'bad_request', message: 'Nom « déjà pris » 名前' };
    expect(parseBoxErrorBody(Buffer.from(JSON.stringify(body), 'utf8'))).toStrictEqual({
      ...EMPTY,
      code: 'bad_request',
      message: 'Nom « déjà pris » 名前',
    });
  });

  it('the HTTP status is not read from the body', () => {
    expect(Object.keys(parseBoxErrorBody({ ...STANDARD_409, status: 200 })).sort()).toEqual(
      ['code', 'contextInfo', 'helpUrl', 'message', 'requestId'],
    );
  });
});

describe('parseBoxErrorBody: other Box shapes', () => {
  it('OAuth2: error and error_description', () => {
    const body = { error: 'invalid_grant', error_description: "Auth code doesn't exist or is invalid for the client" };
    const expected = { ...EMPTY, code: 'invalid_grant', message: "Auth code doesn't exist or is invalid for the client" };
    expect(parseBoxErrorBody(body)).toStrictEqual(expected);
    expect(parseBoxErrorBody(JSON.stringify(body))).toStrictEqual(expected);
  });

  it('OAuth2 without a description', () => {
    expect(parseBoxErrorBody({ error: 'invalid_client' })).toStrictEqual({ ...EMPTY, code: 'invalid_client' });
  });

  it('code and message win over error and error_description', () => {
    expect(parseBoxErrorBody({ code: 'c', message: 'm', error: 'e', error_description: 'd' })).toStrictEqual({
      ...EMPTY,
      code: 'c',
      message: 'm',
    });
  });

  it('error and error_description fill in for empty or non-string code and message', () => {
    expect(parseBoxErrorBody({ code: '', message: 5, error: 'e', error_description: 'd' })).toStrictEqual({
      ...EMPTY,
      code: 'e',
      message: 'd',
    });
  });

  it('the slim metadata shape: code, message, request_id', () => {
    const body = { code: 'instance_not_found', message: 'Instance not found.', request_id: 'r-slim-1' };
    const expected = { ...EMPTY, code: 'instance_not_found', message: 'Instance not found.', requestId: 'r-slim-1' };
    expect(parseBoxErrorBody(body)).toStrictEqual(expected);
    expect(parseBoxErrorBody(JSON.stringify(body))).toStrictEqual(expected);
  });
});

describe('parseBoxErrorBody: anything else gives every field undefined', () => {
  it.each<[string, unknown]>([
    ['an HTML page', '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'],
    ['broken JSON', '{"code": "item_name_in_use", "message": '],
    ['JSON with a trailing comma', '{"code": "x",}'],
    ['a JSON array string', '[{"code":"item_name_in_use","message":"m"}]'],
    ['a JSON string literal', '"item_name_in_use"'],
    ['a JSON number', '409'],
    ['JSON null', 'null'],
    ['an empty string', ''],
    ['whitespace', '   '],
    ['plain text', 'Service Unavailable'],
    ['an array', [{ code: 'item_name_in_use', message: 'm' }]],
    ['an empty object', {}],
    ['null', null],
    ['undefined', undefined],
    ['a number', 409],
    ['NaN', Number.NaN],
    ['true', true],
    ['a bigint', 1n],
    ['a symbol', Symbol('x')],
    ['a function', () => ({ code: 'x' })],
    ['HTML bytes', Buffer.from('<html>oops</html>')],
    ['empty bytes', new Uint8Array(0)],
    ['broken JSON bytes', new TextEncoder().encode('{"code":')],
    ['invalid UTF-8 bytes', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
  ])('%s', (_label, data) => {
    expect(parseBoxErrorBody(data)).toStrictEqual(EMPTY);
  });

  it('non-string fields are undefined, and context_info must be an object', () => {
    expect(
      parseBoxErrorBody({ code: 5, message: ['m'], request_id: 7, help_url: { href: 'x' }, context_info: 'conflicts' }),
    ).toStrictEqual(EMPTY);
    expect(parseBoxErrorBody({ code: null, message: true, request_id: '', help_url: '' })).toStrictEqual(EMPTY);
  });

  it.each<[string, unknown]>([
    ['a string', 'conflicts'],
    ['an array', [{ id: '1' }]],
    ['null', null],
    ['a number', 1],
  ])('context_info that is %s is undefined', (_label, contextInfo) => {
    expect(parseBoxErrorBody({ code: 'c', context_info: contextInfo }).contextInfo).toBeUndefined();
  });

  it('a string over 1 MiB is not parsed; one of exactly 1 MiB is', () => {
    const atLimit = JSON_TEXT + ' '.repeat(MIB - JSON_TEXT.length);
    expect(atLimit.length).toBe(MIB);
    expect(parseBoxErrorBody(atLimit)).toStrictEqual(STANDARD_FIELDS);
    expect(parseBoxErrorBody(`${atLimit} `)).toStrictEqual(EMPTY);
  });

  it('bytes over 1 MiB are not parsed; exactly 1 MiB are', () => {
    const atLimit = JSON_TEXT + ' '.repeat(MIB - JSON_TEXT.length);
    expect(parseBoxErrorBody(Buffer.from(atLimit))).toStrictEqual(STANDARD_FIELDS);
    expect(parseBoxErrorBody(Buffer.from(`${atLimit} `))).toStrictEqual(EMPTY);
  });

  it('an object with a throwing getter gives EMPTY and does not throw', () => {
    const hostile = { message: 'm' };
    Object.defineProperty(hostile, 'code', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(() => parseBoxErrorBody(hostile)).not.toThrow();
    expect(parseBoxErrorBody(hostile)).toStrictEqual(EMPTY);
  });

  it('a revoked Proxy gives EMPTY and does not throw', () => {
    const { proxy, revoke } = Proxy.revocable({ code: 'c' }, {});
    revoke();
    expect(() => parseBoxErrorBody(proxy)).not.toThrow();
    expect(parseBoxErrorBody(proxy)).toStrictEqual(EMPTY);
  });

  it('a Proxy whose get trap throws gives EMPTY', () => {
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    expect(parseBoxErrorBody(proxy)).toStrictEqual(EMPTY);
  });
});

describe('bodyRequestId', () => {
  it('reads request_id of a parsed body', () => {
    expect(bodyRequestId({ request_id: 'abc123' })).toBe('abc123');
    expect(bodyRequestId(STANDARD_409)).toBe('abc123');
  });

  it.each<[string, unknown]>([
    ['an empty request_id', { request_id: '' }],
    ['a numeric request_id', { request_id: 123 }],
    ['no request_id', { code: 'c' }],
    ['a JSON string (bodies are not parsed here)', '{"request_id":"abc123"}'],
    ['bytes', Buffer.from('{"request_id":"abc123"}')],
    ['an array', [{ request_id: 'abc123' }]],
    ['null', null],
    ['undefined', undefined],
    ['a number', 5],
  ])('is undefined for %s', (_label, data) => {
    expect(bodyRequestId(data)).toBeUndefined();
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
