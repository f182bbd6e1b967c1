import axios, {
  AxiosError,
  type AxiosInstance,
  type AxiosRequestConfig,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { describe, expectTypeOf, it } from 'vitest';
import {
  attachBoxStatus,
  BOX_RETRY_DEFAULTS,
  BoxAuthRefreshError,
  boxClientCredentialsGrant,
  boxRefreshTokenGrant,
  createBoxAuth,
  isBoxAuthRefreshError,
  type BoxAuth,
  type BoxAuthOptions,
  type BoxAuthRefreshContext,
  type BoxToken,
  type BoxTokenPair,
  BoxApiError,
  BoxClientError,
  BoxRateLimitError,
  BoxServerError,
  classifyStatus,
  isBoxApiError,
  isBoxClientError,
  isBoxRateLimitError,
  isBoxServerError,
  parseRetryAfter,
  type BoxEffectiveLimit,
  type BoxErrorName,
  type BoxPlainErrorFields,
  type BoxRequestRetry,
  type BoxRetryBudget,
  type BoxRetryEvent,
  type BoxRetryPolicy,
  type BoxStatus,
  type BoxStatusHandle,
  type BoxStatusKind,
  type BoxStatusOptions,
  type BoxStatusStats,
  BOX_CHANNELS,
  withBoxStatus,
  type BoxAxiosInstance,
  type BoxAxiosResponse,
  type BoxChannel,
  type BoxGiveUpMessage,
  type BoxPauseMessage,
  type BoxRefreshMessage,
  type BoxRetryMessage,
  type BoxWaitMessage,
} from '../src/index.js';

declare const instance: AxiosInstance;
declare const unknownError: unknown;

describe('response.boxStatus through declare module', () => {
  it('is BoxStatus | undefined on instance.get() results, without a cast', async () => {
    const res = await instance.get('/folders/0');
    expectTypeOf(res.boxStatus).toEqualTypeOf<BoxStatus | undefined>();
    const typed = await instance.get<{ id: string }>('/folders/0');
    expectTypeOf(typed.boxStatus).toEqualTypeOf<BoxStatus | undefined>();
    expectTypeOf(typed.data).toEqualTypeOf<{ id: string }>();
    const viaAxios = await axios.request({ url: '/x' });
    expectTypeOf(viaAxios.boxStatus).toEqualTypeOf<BoxStatus | undefined>();
    expectTypeOf<AxiosResponse['boxStatus']>().toEqualTypeOf<BoxStatus | undefined>();
  });

  it('BoxStatus fields', () => {
    expectTypeOf<BoxStatus['status']>().toEqualTypeOf<number>();
    expectTypeOf<BoxStatus['kind']>().toEqualTypeOf<BoxStatusKind>();
    expectTypeOf<BoxStatus['retryable']>().toEqualTypeOf<boolean>();
    expectTypeOf<BoxStatus['attempts']>().toEqualTypeOf<number>();
    expectTypeOf<BoxStatus['requestId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<BoxStatus['retryAfterMs']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<BoxStatus['waitedMs']>().toEqualTypeOf<number>();
    expectTypeOf<BoxStatus['durationMs']>().toEqualTypeOf<number>();
  });

  it('BoxStatusKind is the five-member union', () => {
    expectTypeOf<BoxStatusKind>().toEqualTypeOf<'success' | 'redirect' | 'client-error' | 'server-error' | 'unknown'>();
    expectTypeOf(classifyStatus).toEqualTypeOf<(status: number) => BoxStatusKind>();
    // @ts-expect-error not a kind
    const bad: BoxStatusKind = 'error';
    void bad;
  });

  it('parseRetryAfter signature', () => {
    expectTypeOf(parseRetryAfter).parameters.toEqualTypeOf<[value: unknown, now?: number]>();
    expectTypeOf(parseRetryAfter).returns.toEqualTypeOf<number | undefined>();
  });
});

describe('config.boxRetry', () => {
  it('accepts false, a partial policy and idempotent', () => {
    void instance.get('/x', { boxRetry: false });
    void instance.get('/x', { boxRetry: {} });
    void instance.get('/x', { boxRetry: { retries: 2 } });
    void instance.post('/x', {}, { boxRetry: { idempotent: true } });
    void instance.post('/x', {}, { boxRetry: { idempotent: false, retries: 1, jitter: 'none', statuses: [503] } });
    void instance.get('/x', {
      boxRetry: {
        onRetry: (event) => {
          expectTypeOf(event).toEqualTypeOf<BoxRetryEvent>();
        },
      },
    });
    void instance.get('/x', { boxRetry: undefined });
    expectTypeOf<AxiosRequestConfig['boxRetry']>().toEqualTypeOf<BoxRequestRetry | undefined>();
  });

  it('rejects wrong types and unknown keys', () => {
    // @ts-expect-error retries is a number
    void instance.get('/x', { boxRetry: { retries: '3' } });
    // @ts-expect-error unknown key
    void instance.get('/x', { boxRetry: { retry: 3 } });
    // @ts-expect-error true is not allowed
    void instance.get('/x', { boxRetry: true });
    // @ts-expect-error jitter is a known word
    void instance.get('/x', { boxRetry: { jitter: 'random' } });
    // @ts-expect-error idempotent is a boolean
    void instance.post('/x', {}, { boxRetry: { idempotent: 'yes' } });
  });

  it('BoxRequestRetry is false or the policy plus idempotent', () => {
    expectTypeOf<false>().toExtend<BoxRequestRetry>();
    expectTypeOf<{ idempotent: true }>().toExtend<BoxRequestRetry>();
    expectTypeOf<BoxRetryPolicy>().toExtend<BoxRequestRetry>();
    expectTypeOf<true>().not.toExtend<BoxRequestRetry>();
  });
});

describe('attachBoxStatus and options', () => {
  it('returns a handle with eject(): void', () => {
    const handle = attachBoxStatus(instance);
    expectTypeOf(handle).toEqualTypeOf<BoxStatusHandle>();
    expectTypeOf(handle.eject).toEqualTypeOf<() => void>();
    expectTypeOf(handle.stats).toEqualTypeOf<() => BoxStatusStats>();
    expectTypeOf(attachBoxStatus).parameters.toEqualTypeOf<[instance: AxiosInstance, options?: BoxStatusOptions]>();
  });

  it('accepts retry false and every policy field', () => {
    attachBoxStatus(instance, { retry: false });
    attachBoxStatus(instance, {});
    attachBoxStatus(instance, {
      retry: {
        retries: 4,
        baseDelayMs: 1000,
        maxDelayMs: 30_000,
        jitter: 'equal',
        maxRetryAfterMs: 60_000,
        statuses: [429, 503],
        onRetry: async (event) => {
          expectTypeOf(event).toEqualTypeOf<BoxRetryEvent>();
        },
        budget: { maxTokens: 500, retryCost: 5, throttledRetryCost: 1, successReward: 1 },
        shareRateLimit: true,
        deadlineMs: 10_000,
      },
    });
    attachBoxStatus(instance, { retry: { budget: false, shareRateLimit: false } });
    attachBoxStatus(instance, { retry: { budget: {} } });
    attachBoxStatus(instance, { retry: { statuses: BOX_RETRY_DEFAULTS.statuses } });
  });

  it('rejects bad options', () => {
    // @ts-expect-error jitter 'random' is not a jitter
    attachBoxStatus(instance, { retry: { jitter: 'random' } });
    // @ts-expect-error retry: true is not allowed
    attachBoxStatus(instance, { retry: true });
    // @ts-expect-error idempotent is per request only
    attachBoxStatus(instance, { retry: { idempotent: true } });
    // @ts-expect-error unknown option
    attachBoxStatus(instance, { retries: 3 });
    // @ts-expect-error retries is a number
    attachBoxStatus(instance, { retry: { retries: '3' } });
    // @ts-expect-error onRetry is a function
    attachBoxStatus(instance, { retry: { onRetry: 'log' } });
    // @ts-expect-error an instance is required
    attachBoxStatus();
    // @ts-expect-error budget: true is not allowed (it is on by default)
    attachBoxStatus(instance, { retry: { budget: true } });
    // @ts-expect-error unknown budget field
    attachBoxStatus(instance, { retry: { budget: { capacity: 10 } } });
    // @ts-expect-error deadlineMs is a number
    attachBoxStatus(instance, { retry: { deadlineMs: '1s' } });
    // @ts-expect-error shareRateLimit is a boolean
    attachBoxStatus(instance, { retry: { shareRateLimit: 'yes' } });
  });

  it('BoxRetryEvent fields', () => {
    expectTypeOf<BoxRetryEvent['attempt']>().toEqualTypeOf<number>();
    expectTypeOf<BoxRetryEvent['delayMs']>().toEqualTypeOf<number>();
    expectTypeOf<BoxRetryEvent['delaySource']>().toEqualTypeOf<'retry-after' | 'backoff' | 'rate-limit' | 'refresh'>();
    expectTypeOf<BoxRetryEvent['reason']>().toEqualTypeOf<string>();
    expectTypeOf<BoxRetryEvent['status']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<BoxRetryEvent['retryAfterMs']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<BoxRetryEvent['error']>().toEqualTypeOf<unknown>();
    expectTypeOf<BoxRetryEvent['config']>().toEqualTypeOf<InternalAxiosRequestConfig>();
    expectTypeOf<BoxRetryPolicy['onRetry']>().toEqualTypeOf<
      ((event: BoxRetryEvent) => void | Promise<void>) | undefined
    >();
  });

  it('budget, shareRateLimit, deadlineMs and stats()', () => {
    expectTypeOf<BoxRetryPolicy['budget']>().toEqualTypeOf<false | BoxRetryBudget | undefined>();
    expectTypeOf<BoxRetryPolicy['shareRateLimit']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<BoxRetryPolicy['deadlineMs']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Required<BoxRetryBudget>>().toEqualTypeOf<{
      maxTokens: number | undefined;
      retryCost: number | undefined;
      throttledRetryCost: number | undefined;
      successReward: number | undefined;
    }>();
    expectTypeOf<BoxStatusStats>().toEqualTypeOf<{
      calls: number;
      attempts: number;
      retries: number;
      retriesRefusedByBudget: number;
      callsEndedByDeadline: number;
      resends: number;
      tokens: number | undefined;
      maxTokens: number | undefined;
      rateLimitPauseMs: number;
      rateLimits: BoxEffectiveLimit[];
    }>();
    expectTypeOf<BoxEffectiveLimit>().toEqualTypeOf<{
      scope: string;
      name: string;
      max: number;
      effectiveMax: number;
      perMs: number;
    }>();
    const config: AxiosRequestConfig = { boxRetry: { budget: false, deadlineMs: 500, shareRateLimit: false } };
    void config;
  });
});

describe('errors', () => {
  it('guards narrow unknown to the classes', () => {
    if (isBoxApiError(unknownError)) expectTypeOf(unknownError).toEqualTypeOf<BoxApiError>();
    if (isBoxClientError(unknownError)) expectTypeOf(unknownError).toEqualTypeOf<BoxClientError>();
    if (isBoxRateLimitError(unknownError)) expectTypeOf(unknownError).toEqualTypeOf<BoxRateLimitError>();
    if (isBoxServerError(unknownError)) expectTypeOf(unknownError).toEqualTypeOf<BoxServerError>();
    expectTypeOf(isBoxApiError).guards.toEqualTypeOf<BoxApiError>();
    expectTypeOf(isBoxClientError).guards.toEqualTypeOf<BoxClientError>();
    expectTypeOf(isBoxRateLimitError).guards.toEqualTypeOf<BoxRateLimitError>();
    expectTypeOf(isBoxServerError).guards.toEqualTypeOf<BoxServerError>();
  });

  it('Box fields', () => {
    expectTypeOf<BoxApiError['boxCode']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<BoxApiError['boxMessage']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<BoxApiError['requestId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<BoxApiError['helpUrl']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<BoxApiError['contextInfo']>().toEqualTypeOf<Record<string, unknown> | undefined>();
    expectTypeOf<BoxApiError['retryAfterMs']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<BoxApiError['attempts']>().toEqualTypeOf<number>();
    expectTypeOf<BoxApiError['status']>().toEqualTypeOf<number>();
    expectTypeOf<BoxApiError['boxStatus']>().toEqualTypeOf<BoxStatus>();
    expectTypeOf<BoxApiError['response']>().toEqualTypeOf<AxiosResponse<unknown, any>>();
    expectTypeOf<BoxApiError['code']>().toEqualTypeOf<string | undefined>();
    if (isBoxClientError(unknownError)) expectTypeOf(unknownError.boxCode).toEqualTypeOf<string | undefined>();
  });

  it('the class hierarchy', () => {
    expectTypeOf<BoxRateLimitError>().toExtend<BoxClientError>();
    expectTypeOf<BoxRateLimitError>().toExtend<BoxApiError>();
    expectTypeOf<BoxRateLimitError>().toExtend<AxiosError>();
    expectTypeOf<BoxClientError>().toExtend<BoxApiError>();
    expectTypeOf<BoxServerError>().toExtend<BoxApiError>();
    expectTypeOf<BoxServerError>().toExtend<AxiosError>();
    expectTypeOf<BoxApiError>().toExtend<AxiosError>();
    expectTypeOf<BoxApiError>().toExtend<Error>();
    expectTypeOf<BoxServerError>().not.toExtend<BoxClientError>();
    expectTypeOf<BoxApiError>().not.toExtend<BoxServerError>();
  });

  it('name literal types', () => {
    expectTypeOf<BoxApiError['name']>().toEqualTypeOf<BoxErrorName>();
    expectTypeOf<BoxErrorName>().toEqualTypeOf<
      'BoxApiError' | 'BoxClientError' | 'BoxRateLimitError' | 'BoxServerError'
    >();
    expectTypeOf<BoxClientError['name']>().toEqualTypeOf<'BoxClientError' | 'BoxRateLimitError'>();
    expectTypeOf<BoxRateLimitError['name']>().toEqualTypeOf<'BoxRateLimitError'>();
    expectTypeOf<BoxServerError['name']>().toEqualTypeOf<'BoxServerError'>();
  });

  it('plain errors: BoxPlainErrorFields types boxAttempts and boxNotRetriedReason', () => {
    type Plain = AxiosError & BoxPlainErrorFields;
    expectTypeOf<Plain['boxAttempts']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Plain['boxNotRetriedReason']>().toEqualTypeOf<string | undefined>();
    // AxiosError itself is not augmented: axios's CommonJS types make it a type alias.
    // @ts-expect-error boxAttempts is not on AxiosError
    void ((null as unknown as AxiosError).boxAttempts);
  });

  it('boxStatus carries why a retryable final response was not retried', () => {
    expectTypeOf<BoxStatus['notRetriedReason']>().toEqualTypeOf<string | undefined>();
  });
});

describe('managed credentials', () => {
  it('createBoxAuth and its options', () => {
    const auth = createBoxAuth({ refresh: async () => 'token' });
    expectTypeOf(auth).toEqualTypeOf<BoxAuth>();
    expectTypeOf(auth.token).toEqualTypeOf<() => Promise<string>>();
    expectTypeOf(auth.invalidate).toEqualTypeOf<() => void>();
    expectTypeOf<BoxAuthOptions['refresh']>().toEqualTypeOf<(context: BoxAuthRefreshContext) => Promise<BoxToken | string>>();
    expectTypeOf<BoxAuthRefreshContext['reason']>().toEqualTypeOf<'missing' | 'expiring' | 'unauthorized'>();
    expectTypeOf<BoxAuthRefreshContext['signal']>().toEqualTypeOf<AbortSignal>();
    expectTypeOf<BoxToken>().toEqualTypeOf<{
      accessToken: string;
      expiresAt?: number | undefined;
      expiresIn?: number | undefined;
      refreshToken?: string | undefined;
    }>();
    createBoxAuth({ refresh: async () => ({ accessToken: 'a', expiresIn: 3600 }), origins: ['https://api.box.com'] });
    // @ts-expect-error refresh is required
    createBoxAuth({ initialToken: 'a' });
    // @ts-expect-error refresh resolves to a token
    createBoxAuth({ refresh: async () => 42 });
    attachBoxStatus(axios.create(), { auth });
  });

  it('config.boxAuth takes only false', () => {
    const request: AxiosRequestConfig = { boxAuth: false };
    void request;
    // @ts-expect-error boxAuth is false or unset
    const wrong: AxiosRequestConfig = { boxAuth: true };
    void wrong;
  });

  it('BoxAuthRefreshError and its guard', () => {
    const error: unknown = null;
    if (isBoxAuthRefreshError(error)) {
      expectTypeOf(error).toEqualTypeOf<BoxAuthRefreshError>();
      expectTypeOf(error.reason).toEqualTypeOf<'missing' | 'expiring' | 'unauthorized'>();
      expectTypeOf(error).toMatchTypeOf<AxiosError>();
    }
  });

  it('the grants return a refresh function', () => {
    const ccg = boxClientCredentialsGrant({ clientId: 'i', clientSecret: 's', subjectType: 'enterprise', subjectId: '1' });
    const oauth = boxRefreshTokenGrant({
      clientId: 'i',
      clientSecret: 's',
      refreshToken: 'r',
      onTokens: (tokens) => {
        expectTypeOf(tokens).toEqualTypeOf<BoxTokenPair>();
      },
    });
    expectTypeOf(ccg).toEqualTypeOf<BoxAuthOptions['refresh']>();
    expectTypeOf(oauth).toEqualTypeOf<BoxAuthOptions['refresh']>();
    // @ts-expect-error subjectType is enterprise or user
    boxClientCredentialsGrant({ clientId: 'i', clientSecret: 's', subjectType: 'group', subjectId: '1' });
  });
});

describe('typed without a cast: withBoxStatus and handle.instance', () => {
  it('withBoxStatus gives an instance whose responses carry boxStatus, not optional, under strict', async () => {
    const box = withBoxStatus(axios.create({ baseURL: 'https://api.box.com/2.0' }), { retry: { retries: 2 } });
    expectTypeOf(box).toEqualTypeOf<BoxAxiosInstance>();
    const res = await box.get<{ id: string }>('/folders/0');
    expectTypeOf(res.boxStatus).toEqualTypeOf<BoxStatus>();
    expectTypeOf(res.boxStatus.attempts).toEqualTypeOf<number>();
    expectTypeOf(res.data).toEqualTypeOf<{ id: string }>();
    expectTypeOf(res).toEqualTypeOf<BoxAxiosResponse<{ id: string }>>();
    expectTypeOf((await box.post('/folders', { name: 'x' })).boxStatus.kind).toEqualTypeOf<BoxStatusKind>();
    expectTypeOf((await box.put('/files/1', {})).boxStatus).toEqualTypeOf<BoxStatus>();
    expectTypeOf((await box.patch('/files/1', {})).boxStatus).toEqualTypeOf<BoxStatus>();
    expectTypeOf((await box.delete('/files/1')).boxStatus).toEqualTypeOf<BoxStatus>();
    expectTypeOf((await box.head('/files/1')).boxStatus).toEqualTypeOf<BoxStatus>();
    expectTypeOf((await box.options('/files/1')).boxStatus).toEqualTypeOf<BoxStatus>();
    expectTypeOf((await box.request({ url: '/files/1' })).boxStatus).toEqualTypeOf<BoxStatus>();
    expectTypeOf((await box({ url: '/files/1' })).boxStatus).toEqualTypeOf<BoxStatus>();
    expectTypeOf((await box('/files/1')).boxStatus).toEqualTypeOf<BoxStatus>();
    expectTypeOf((await box.postForm('/files/content', {})).boxStatus).toEqualTypeOf<BoxStatus>();
    // The caller's own response type still wins.
    expectTypeOf(await box.get<unknown, { custom: true }>('/x')).toEqualTypeOf<{ custom: true }>();
  });

  it('handle.instance is the same, typed; and it goes wherever an AxiosInstance goes', () => {
    const handle = attachBoxStatus(instance);
    expectTypeOf(handle.instance).toEqualTypeOf<BoxAxiosInstance>();
    const takesAxios = (given: AxiosInstance): AxiosInstance => given;
    takesAxios(handle.instance);
    expectTypeOf(handle.instance.defaults).toEqualTypeOf<AxiosInstance['defaults']>();
    expectTypeOf(handle.instance.interceptors).toEqualTypeOf<AxiosInstance['interceptors']>();
  });

  it('a plain AxiosInstance still types boxStatus as optional', async () => {
    const res = await instance.get('/folders/0');
    // @ts-expect-error possibly undefined on a plain instance (TS18048)
    void res.boxStatus.attempts;
  });
});

describe('BOX_CHANNELS and their messages', () => {
  it('names the five channels', () => {
    expectTypeOf(BOX_CHANNELS).toEqualTypeOf<{
      readonly retry: 'axios-box-status:retry';
      readonly pause: 'axios-box-status:pause';
      readonly wait: 'axios-box-status:wait';
      readonly refresh: 'axios-box-status:refresh';
      readonly giveUp: 'axios-box-status:give-up';
    }>();
    expectTypeOf<BoxChannel>().toEqualTypeOf<'retry' | 'pause' | 'wait' | 'refresh' | 'giveUp'>();
  });

  it('message fields', () => {
    expectTypeOf<BoxRetryMessage['delaySource']>().toEqualTypeOf<BoxRetryEvent['delaySource']>();
    expectTypeOf<BoxRetryMessage['status']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<BoxRetryMessage['code']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<BoxPauseMessage>().toEqualTypeOf<{ scope: string; ms: number; status: number }>();
    expectTypeOf<BoxWaitMessage['holder']>().toEqualTypeOf<'pause' | 'rate-limit'>();
    expectTypeOf<BoxRefreshMessage['reason']>().toEqualTypeOf<'missing' | 'expiring' | 'unauthorized'>();
    expectTypeOf<BoxGiveUpMessage['attempts']>().toEqualTypeOf<number>();
    expectTypeOf<BoxGiveUpMessage['reason']>().toEqualTypeOf<string>();
  });
});
