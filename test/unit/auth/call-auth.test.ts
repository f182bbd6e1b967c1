import axios, { AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, it } from 'vitest';
import { CallAuth, requestOrigin } from '../../../src/auth/call-auth.js';
import type { BoxAuth } from '../../../src/auth/types.js';
import { BoxAuthRefreshError, isBoxAuthRefreshError } from '../../../src/errors/auth-refresh-error.js';
import { failureOf } from '../../../src/retry/failure.js';
import type { Cancellation } from '../../../src/util/wait.js';

// One call's use of a BoxAuth, against a BoxAuth of the test's own: which attempts carry its token,
// which 401 earns the call's one re-send, and what a failed refresh becomes for the call.

const config = (extra: Partial<InternalAxiosRequestConfig> = {}): InternalAxiosRequestConfig => ({
  headers: new AxiosHeaders(),
  baseURL: 'https://api.box.com/2.0',
  url: '/files/1',
  ...extra,
});
const unauthorized = (request: unknown = {}): AxiosResponse => ({ status: 401, statusText: '', headers: {}, data: '', config: config(), request });
const none: Cancellation = { signal: undefined, token: undefined };

/** A BoxAuth whose token() and renew() answer as the test says, and what the CallAuth told it. */
function fakeAuth(token: () => Promise<string>, renew: () => Promise<void> = async () => {}) {
  const told = { refused: [] as string[], accepted: [] as string[], renewed: [] as string[] };
  const auth: BoxAuth = {
    origins: ['https://api.box.com'],
    token,
    invalidate() {},
    renew: async (rejected) => {
      told.renewed.push(rejected);
      await renew();
    },
  };
  const caller = config();
  const call = new CallAuth(auth, caller, (t) => told.refused.push(t), (t) => told.accepted.push(t));
  return { call, told, caller };
}

describe('CallAuth', () => {
  it("gives an attempt to one of the auth's origins its token, and none to any other origin", async () => {
    let asked = 0;
    const { call } = fakeAuth(async () => {
      asked += 1;
      return 'token-0123456789';
    });
    expect(await call.tokenFor(config(), none, undefined)).toBe('token-0123456789');
    expect(await call.tokenFor(config({ url: 'https://dl.boxcloud.com/d/1' }), none, undefined)).toBeUndefined();
    expect(asked).toBe(1);
  });

  it("a refresh that fails is the call's own BoxAuthRefreshError: its config, and the 401 that made it wait", async () => {
    const shared = new BoxAuthRefreshError({ reason: 'unauthorized', cause: new Error('token endpoint down') });
    const { call, caller } = fakeAuth(() => Promise.reject(shared));
    const response = unauthorized();
    const failure = await call.tokenFor(config(), none, response);
    expect(typeof failure === 'object' && isBoxAuthRefreshError(failure.error)).toBe(true);
    const error = (failure as { error: BoxAuthRefreshError }).error;
    expect(error).not.toBe(shared);
    expect(error.config).toBe(caller);
    expect(error.response).toBe(response);
    expect(response.config).toBe(caller);
    expect(error.message).toBe('Box token refresh (reason unauthorized) failed: token endpoint down');
  });

  it('a cancel while the token is awaited ends the call with the cancel', async () => {
    const controller = new AbortController();
    const { call } = fakeAuth(() => new Promise<string>(() => {}));
    const pending = call.tokenFor(config(), { signal: controller.signal, token: undefined }, undefined);
    controller.abort();
    const failure = await pending;
    expect(typeof failure === 'object' && axios.isCancel(failure.error)).toBe(true);
  });

  it('a 401 to the token sent earns one re-send, and spends that token; a second 401 earns none', async () => {
    const { call, told } = fakeAuth(async () => 'token-0123456789');
    await call.tokenFor(config(), none, undefined);
    const resend = call.resendFor(failureOf(config(), unauthorized(), undefined));
    expect(told.refused).toEqual(['token-0123456789']);
    expect(await resend?.renew(none)).toBeUndefined();
    expect(told.renewed).toEqual(['token-0123456789']);
    expect(call.resendFor(failureOf(config(), unauthorized(), undefined))).toBeUndefined();
    expect(told.refused).toEqual(['token-0123456789', 'token-0123456789']);
  });

  it('earns nothing for a failure that is no 401 to its token: another status, no token sent, a 401 from where a redirect led', async () => {
    const { call, told } = fakeAuth(async () => 'token-0123456789');
    expect(call.resendFor(failureOf(config(), unauthorized(), undefined))).toBeUndefined();
    await call.tokenFor(config(), none, undefined);
    expect(call.resendFor(failureOf(config(), { ...unauthorized(), status: 403 }, undefined))).toBeUndefined();
    expect(call.resendFor(failureOf(config(), unauthorized({ res: { responseUrl: 'https://dl.boxcloud.com/d/1' } }), undefined))).toBeUndefined();
    expect(call.resendFor(failureOf(config(), undefined, new Error('reset')))).toBeUndefined();
    expect(told.refused).toEqual([]);
    // A redirect that stayed on the auth's origin (the XHR's responseURL) is Box's answer.
    expect(call.resendFor(failureOf(config(), unauthorized({ responseURL: 'https://api.box.com/2.0/files/1' }), undefined))).toBeDefined();
  });

  it("the re-send's renewal: a failed refresh ends the call; a cancel meanwhile ends it with the cancel", async () => {
    const failing = fakeAuth(async () => 'token-0123456789', () => Promise.reject(new BoxAuthRefreshError({ reason: 'unauthorized', cause: 'down' })));
    await failing.call.tokenFor(config(), none, undefined);
    const failed = await failing.call.resendFor(failureOf(config(), unauthorized(), undefined))?.renew(none);
    expect(isBoxAuthRefreshError(failed?.error)).toBe(true);

    const controller = new AbortController();
    const hanging = fakeAuth(async () => 'token-0123456789', () => new Promise<void>(() => {}));
    await hanging.call.tokenFor(config(), none, undefined);
    const pending = hanging.call.resendFor(failureOf(config(), unauthorized(), undefined))?.renew({ signal: controller.signal, token: undefined });
    controller.abort();
    expect(axios.isCancel((await pending)?.error)).toBe(true);
  });

  it('an answer other than 401 proves the token sent', async () => {
    const { call, told } = fakeAuth(async () => 'token-0123456789');
    call.answered({ ...unauthorized(), status: 200 });
    expect(told.accepted).toEqual([]);
    await call.tokenFor(config(), none, undefined);
    call.answered(unauthorized());
    call.answered({ ...unauthorized(), status: 404 });
    expect(told.accepted).toEqual(['token-0123456789']);
  });
});

describe('requestOrigin', () => {
  it.each<[string, Record<string, unknown>, string | undefined]>([
    ['a base URL and a path', { baseURL: 'https://api.box.com/2.0', url: '/files/1' }, 'https://api.box.com'],
    ['an absolute URL over the base', { baseURL: 'https://api.box.com/2.0', url: 'https://upload.box.com/api/2.0/files/content' }, 'https://upload.box.com'],
    ['an absolute URL when absolute URLs are not allowed', { baseURL: 'https://api.box.com', url: 'https://evil.example/x', allowAbsoluteUrls: false }, 'https://api.box.com'],
    ['a port', { url: 'http://127.0.0.1:8080/x' }, 'http://127.0.0.1:8080'],
    ['an absolute URL alone', { url: 'https://api.box.com/2.0/users/me' }, 'https://api.box.com'],
    ['a relative URL with no base (Node)', { url: '/files/1' }, undefined],
    ['nothing at all', {}, undefined],
  ])('%s', (_label, config, origin) => {
    expect(requestOrigin(config)).toBe(origin);
  });
});
