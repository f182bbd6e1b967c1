import { AxiosError } from 'axios';
import { describe, expect, it } from 'vitest';
import { hiddenCause, innerCode } from '../../../src/errors/transport-cause.js';

const coded = (message: string, code?: string, cause?: unknown): Error =>
  Object.assign(new Error(message), code === undefined ? {} : { code }, cause === undefined ? {} : { cause });

describe('innerCode', () => {
  it("an error's own code, when it says something", () => {
    const error = coded('connect ECONNREFUSED', 'ECONNREFUSED');
    expect(innerCode(error)).toEqual({ code: 'ECONNREFUSED', source: error });
  });

  it("ERR_NETWORK or no code: the first code on the cause chain, up to three deep", () => {
    const refused = coded('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED');
    const network = new AxiosError('Network Error', 'ERR_NETWORK');
    network.cause = coded('fetch failed', undefined, refused);
    expect(innerCode(network)).toEqual({ code: 'ECONNREFUSED', source: refused });
    const terminated = coded('terminated', undefined, coded('other side closed', 'UND_ERR_SOCKET'));
    expect(innerCode(terminated).code).toBe('UND_ERR_SOCKET');
    const deep = coded('a', undefined, coded('b', undefined, coded('c', undefined, coded('d', undefined, coded('e', 'TOO_DEEP')))));
    expect(innerCode(deep)).toEqual({ code: undefined, source: deep });
  });

  it('copes with what is not an error', () => {
    expect(innerCode(undefined)).toEqual({ code: undefined, source: undefined });
    expect(innerCode(null)).toEqual({ code: undefined, source: null });
    expect(innerCode('text').code).toBeUndefined();
  });
});

describe('hiddenCause', () => {
  const network = (cause: unknown): AxiosError => Object.assign(new AxiosError('Network Error', 'ERR_NETWORK'), { cause });

  it("the cause's message, which names its code", () => {
    expect(hiddenCause(network(coded('connect ECONNREFUSED 127.0.0.1:8080', 'ECONNREFUSED')))).toBe('connect ECONNREFUSED 127.0.0.1:8080');
  });

  it('the code and the message, when the message does not name it', () => {
    expect(hiddenCause(network(coded('getaddrinfo failed', 'ENOTFOUND')))).toBe('ENOTFOUND: getaddrinfo failed');
  });

  it('the code alone, when the cause has no message (an AggregateError of both addresses)', () => {
    expect(hiddenCause(network(Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' })))).toBe('ECONNREFUSED');
  });

  it('nothing for another code, or an ERR_NETWORK with nothing under it', () => {
    expect(hiddenCause(coded('connect ECONNREFUSED', 'ECONNREFUSED'))).toBeUndefined();
    expect(hiddenCause(new AxiosError('timeout of 10ms exceeded', 'ECONNABORTED'))).toBeUndefined();
    expect(hiddenCause(network(undefined))).toBeUndefined();
    expect(hiddenCause(network(new Error('fetch failed')))).toBeUndefined();
    expect(hiddenCause(undefined)).toBeUndefined();
  });
});
