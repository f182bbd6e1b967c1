import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBoxErrorBody, type BoxErrorBody } from '../../../src/box/error-body.js';
import { EMPTY_BOX_BODY as EMPTY } from '../../helpers/fixtures.js';
import { anyValue } from '../../helpers/arbitraries.js';

const MIB = 1 << 20;

/** The documented shape: five fields, each a non-empty string (an object for contextInfo) or undefined. */
function expectBoxFields(fields: BoxErrorBody): void {
  expect(Object.keys(fields).sort()).toEqual(['code', 'contextInfo', 'helpUrl', 'message', 'requestId']);
  for (const key of ['code', 'message', 'requestId', 'helpUrl'] as const) {
    const value = fields[key];
    if (value !== undefined) {
      expect(typeof value).toBe('string');
      expect(value).not.toBe('');
    }
  }
  const { contextInfo } = fields;
  if (contextInfo !== undefined) {
    expect(typeof contextInfo).toBe('object');
    expect(contextInfo).not.toBeNull();
    expect(Array.isArray(contextInfo)).toBe(false);
  }
}

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  const buffer = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  return buffer;
}

/** Every form a body can take on the wire or after axios: text, Buffer, Uint8Array, ArrayBuffer, DataView. */
function encodings(text: string): unknown[] {
  const bytes = new TextEncoder().encode(text);
  return [text, Buffer.from(text, 'utf8'), bytes, arrayBufferOf(bytes), new DataView(arrayBufferOf(bytes))];
}

function elapsedMs(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const text = fc.string({ minLength: 1, unit: 'grapheme' });
const notText = fc.oneof(fc.constant(''), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 }));
const contextInfo = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
// Valid Unicode only: a lone surrogate becomes U+FFFD in UTF-8, so bytes would not round-trip.
const jsonText = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.json({ maxDepth: 3, stringUnit: 'grapheme' }),
  fc
    .record(
      {
        code: fc.oneof(text, notText),
        message: fc.oneof(text, notText),
        error: fc.oneof(text, notText),
        error_description: fc.oneof(text, notText),
        request_id: fc.oneof(text, notText),
        help_url: fc.oneof(fc.webUrl(), notText),
        context_info: fc.oneof(contextInfo, notText),
      },
      { requiredKeys: [] },
    )
    .map((body) => JSON.stringify(body)),
);

describe('parseBoxErrorBody: properties', () => {
  it('never throws on any value and always gives the five fields with their documented types', () => {
    fc.assert(
      fc.property(
        anyValue,
        (data) => {
          expectBoxFields(parseBoxErrorBody(data));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on any string, JSON-like or not', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'grapheme' }),
          jsonText,
          // Cut JSON: the shape of a body truncated by a proxy.
          jsonText.chain((json) => fc.nat(json.length).map((end) => json.slice(0, end))),
        ),
        (data) => {
          expectBoxFields(parseBoxErrorBody(data));
        },
      ),
      { numRuns: 800 },
    );
  });

  it('never throws on random bytes, as a Buffer, a Uint8Array, an ArrayBuffer or a DataView', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.boolean(), (random, braced) => {
        // Half the time the bytes start like a JSON object, so they reach JSON.parse.
        const bytes = braced ? Uint8Array.of(0x7b, ...random) : random;
        for (const data of [Buffer.from(bytes), bytes, arrayBufferOf(bytes), new DataView(arrayBufferOf(bytes))]) {
          expectBoxFields(parseBoxErrorBody(data));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a JSON body gives the same fields as text, padded text, bytes of any kind, or parsed by axios', () => {
    fc.assert(
      fc.property(jsonText, fc.constantFrom('', ' ', '\n', '\r\n\t', '\ufeff'), (json, pad) => {
        const fields = parseBoxErrorBody(json);
        expectBoxFields(fields);
        for (const data of [...encodings(json), ...encodings(`${pad}${json}${pad.replace('\ufeff', '')}`)]) {
          expect(parseBoxErrorBody(data)).toStrictEqual(fields);
        }
        const parsed: unknown = JSON.parse(json);
        // Only an object is a Box body. (A JSON string literal parses to text, which is read as a body in turn.)
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
          expect(parseBoxErrorBody(parsed)).toStrictEqual(fields);
        } else {
          expect(fields).toStrictEqual(EMPTY);
        }
      }),
      { numRuns: 400, examples: [['{"code":"c","error":"e"}', '\ufeff'], ['[{"code":"c"}]', ''], ['"{\\"code\\":\\"c\\"}"', ' ']] },
    );
  });

  it('the standard Box error gives back exactly its fields, context_info by identity', () => {
    fc.assert(
      fc.property(
        fc.record({
          type: fc.constant('error'),
          status: fc.integer({ min: 400, max: 599 }),
          code: text,
          message: text,
          context_info: contextInfo,
          help_url: fc.webUrl(),
          request_id: text,
        }),
        (body) => {
          const expected: BoxErrorBody = {
            code: body.code,
            message: body.message,
            requestId: body.request_id,
            helpUrl: body.help_url,
            contextInfo: body.context_info,
          };
          const fields = parseBoxErrorBody(body);
          expect(fields).toStrictEqual(expected);
          expect(fields.contextInfo).toBe(body.context_info);
          // Over the wire, context_info is what JSON carries of it (-0 arrives as 0).
          const sent = { ...expected, contextInfo: JSON.parse(JSON.stringify(body.context_info)) as unknown };
          for (const data of encodings(JSON.stringify(body))) expect(parseBoxErrorBody(data)).toEqual(sent);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the OAuth2 error gives its error as code and error_description as message', () => {
    fc.assert(
      fc.property(fc.record({ error: text, error_description: text }, { requiredKeys: ['error'] }), (body) => {
        const expected: BoxErrorBody = { ...EMPTY, code: body.error, message: body.error_description };
        for (const data of [body, ...encodings(JSON.stringify(body))]) expect(parseBoxErrorBody(data)).toStrictEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('the slim metadata error gives code, message and request_id', () => {
    fc.assert(
      fc.property(fc.record({ code: text, message: text, request_id: text }), (body) => {
        const expected: BoxErrorBody = { ...EMPTY, code: body.code, message: body.message, requestId: body.request_id };
        for (const data of [body, ...encodings(JSON.stringify(body))]) expect(parseBoxErrorBody(data)).toStrictEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('each field is read on its own: any subset of fields, any junk beside them', () => {
    fc.assert(
      fc.property(
        fc.record(
          { code: text, message: text, error: text, error_description: text, request_id: text, help_url: text, context_info: contextInfo },
          { requiredKeys: [] },
        ),
        fc.dictionary(fc.string().filter((k) => !/^(code|message|error|error_description|request_id|help_url|context_info)$/.test(k)), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
        (body, junk) => {
          const data = { ...junk, ...body };
          expect(parseBoxErrorBody(data)).toStrictEqual({
            // Box's own names win over the OAuth2 ones.
            code: body.code ?? body.error,
            message: body.message ?? body.error_description,
            requestId: body.request_id,
            helpUrl: body.help_url,
            contextInfo: body.context_info,
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('parseBoxErrorBody: huge bodies are cheap', () => {
  // Generous for a loaded 2-core machine under coverage: the real cost is a few ms, a quadratic
  // regression costs far more.
  const LIMIT_MS = 3000;
  const box = JSON.stringify({ code: 'c', message: 'm', request_id: 'r' });

  it('a 5 MB JSON string or buffer is not parsed at all', () => {
    const huge = `{"code":"c","padding":"${'x'.repeat(5 * MIB)}"}`;
    const bytes = Buffer.from(huge);
    for (const data of [huge, bytes, new Uint8Array(bytes), arrayBufferOf(bytes)]) {
      let fields: BoxErrorBody | undefined;
      expect(elapsedMs(() => (fields = parseBoxErrorBody(data)))).toBeLessThan(LIMIT_MS);
      expect(fields).toStrictEqual(EMPTY);
    }
  });

  it('a body just under 1 MiB is parsed, fast', () => {
    const big = `${box.slice(0, -1)},"padding":[${'0,'.repeat((MIB - box.length - 20) / 2)}0]}`;
    expect(big.length).toBeLessThanOrEqual(MIB);
    for (const data of [big, Buffer.from(big)]) {
      let fields: BoxErrorBody | undefined;
      expect(elapsedMs(() => (fields = parseBoxErrorBody(data)))).toBeLessThan(LIMIT_MS);
      expect(fields).toStrictEqual({ ...EMPTY, code: 'c', message: 'm', requestId: 'r' });
    }
  });

  it('JSON nested 10,000 levels of objects, or 300,000 of arrays, is parsed fast without blowing the stack', () => {
    const objects = `${box.slice(0, -1)},"context_info":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    const arrays = `${box.slice(0, -1)},"nested":${'['.repeat(300_000)}${']'.repeat(300_000)}}`;
    const top = { code: 'c', message: 'm', requestId: 'r', helpUrl: undefined };
    for (const [data, nested] of [[objects, true], [Buffer.from(objects), true], [arrays, false]] as const) {
      let fields: BoxErrorBody | undefined;
      expect(elapsedMs(() => (fields = parseBoxErrorBody(data)))).toBeLessThan(LIMIT_MS);
      expect(fields).toMatchObject(top);
      expect(fields!.contextInfo === undefined).toBe(!nested);
      if (nested) expect(Object.keys(fields!.contextInfo!)).toEqual(['a']);
    }
  });

  it('an already parsed object nested 10,000 levels deep is read at its top level only', () => {
    let nested: Record<string, unknown> = {};
    const innermost = nested;
    for (let i = 0; i < 10_000; i += 1) nested = { a: nested };
    innermost['code'] = 'deep';
    const data = { code: 'c', context_info: nested };
    let fields: BoxErrorBody | undefined;
    expect(elapsedMs(() => (fields = parseBoxErrorBody(data)))).toBeLessThan(LIMIT_MS);
    expect(fields).toStrictEqual({ ...EMPTY, code: 'c', contextInfo: nested });
  });
});
