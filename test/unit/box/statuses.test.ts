import { describe, expect, it } from 'vitest';
import { BoxApiError, BoxClientError, BoxRateLimitError, BoxServerError } from '../../../src/errors/box-error-classes.js';
import { boxErrorClass } from '../../../src/errors/box-error-classes.js';
import { defaultRetriedStatuses, isRetryableStatus, statusTreatment, type StatusTreatment } from '../../../src/box/statuses.js';
import { BOX_RETRY_DEFAULTS } from '../../../src/options/policy.js';

// The table: how each of Box's statuses is treated, read where every part of the plugin reads it.
describe('statusTreatment', () => {
  const row = (final: boolean, retried: StatusTreatment['retried'], actedOn: boolean, pauses: StatusTreatment['pauses'], cost: StatusTreatment['cost'], healthy: boolean, error: StatusTreatment['error']): StatusTreatment =>
    ({ final, retried, actedOn, pauses, cost, healthy, error });

  it.each<[number, StatusTreatment]>([
    [200, row(true, 'never', true, 'never', 'retryCost', true, 'api')],
    [201, row(true, 'never', true, 'never', 'retryCost', true, 'api')],
    [202, row(false, 'with-retry-after', false, 'never', 'free', true, 'api')],
    [204, row(true, 'never', true, 'never', 'retryCost', true, 'api')],
    [302, row(true, 'never', true, 'never', 'retryCost', true, 'api')],
    [304, row(true, 'never', true, 'never', 'retryCost', true, 'api')],
    [400, row(false, 'if-listed', true, 'never', 'retryCost', true, 'client')],
    [401, row(false, 'if-listed', true, 'never', 'retryCost', true, 'client')],
    [404, row(false, 'if-listed', true, 'never', 'retryCost', true, 'client')],
    [429, row(false, 'default', false, 'always', 'throttledRetryCost', false, 'rate-limit')],
    [500, row(false, 'default', true, 'never', 'retryCost', false, 'server')],
    [501, row(false, 'if-listed', true, 'never', 'retryCost', false, 'server')],
    [503, row(false, 'default', true, 'with-retry-after', 'retryCost', false, 'server')],
    [505, row(false, 'if-listed', true, 'never', 'retryCost', false, 'server')],
    [507, row(false, 'if-listed', true, 'never', 'retryCost', false, 'server')],
    [599, row(false, 'default', true, 'never', 'retryCost', false, 'server')],
    [100, row(true, 'never', true, 'never', 'retryCost', true, 'api')],
    [600, row(true, 'never', true, 'never', 'retryCost', true, 'api')],
    [0, row(true, 'never', true, 'never', 'retryCost', true, 'api')],
    [-1, row(true, 'never', true, 'never', 'retryCost', true, 'api')],
    [503.5, row(true, 'never', true, 'never', 'retryCost', true, 'api')],
    [Number.NaN, row(true, 'never', true, 'never', 'retryCost', true, 'api')],
  ])('%s', (status, treatment) => {
    expect(statusTreatment(status)).toEqual(treatment);
  });

  it('a final status is any that is not a 4xx, a 5xx or a 202', () => {
    for (let status = 0; status < 700; status += 1) {
      expect(statusTreatment(status).final, String(status)).toBe(!(status >= 400 && status <= 599) && status !== 202);
    }
  });

  it('what is retried by default is the defaults\' statuses: 429 and every 5xx but 501, 505 and 507', () => {
    expect(defaultRetriedStatuses()).toEqual([...BOX_RETRY_DEFAULTS.statuses]);
    expect(defaultRetriedStatuses()).toEqual([429, ...Array.from({ length: 100 }, (_, i) => 500 + i).filter((s) => ![501, 505, 507].includes(s))]);
  });

  it('the error column is the class a call ending with the status rejects with', () => {
    const classes = { api: BoxApiError, client: BoxClientError, 'rate-limit': BoxRateLimitError, server: BoxServerError };
    for (const status of [200, 302, 400, 404, 429, 500, 503, 600]) expect(boxErrorClass(status)).toBe(classes[statusTreatment(status).error]);
  });
});

describe('isRetryableStatus', () => {
  const defaults: ReadonlySet<number> = new Set(BOX_RETRY_DEFAULTS.statuses);

  it('202 is retryable only with a Retry-After', () => {
    expect(isRetryableStatus(202, undefined, defaults)).toBe(false);
    expect(isRetryableStatus(202, 0, defaults)).toBe(true);
    expect(isRetryableStatus(202, 5000, defaults)).toBe(true);
  });

  it('202 ignores the statuses set either way', () => {
    expect(isRetryableStatus(202, undefined, new Set([202]))).toBe(false);
    expect(isRetryableStatus(202, 1000, new Set())).toBe(true);
  });

  it.each<[number, boolean]>([
    [200, false],
    [201, false],
    [204, false],
    [302, false],
    [400, false],
    [401, false],
    [404, false],
    [409, false],
    [412, false],
    [429, true],
    [500, true],
    [501, false],
    [502, true],
    [503, true],
    [504, true],
    [505, false],
    [506, true],
    [507, false],
    [508, true],
    [599, true],
  ])('with the default statuses, %s is retryable: %s', (status, retryable) => {
    expect(isRetryableStatus(status, undefined, defaults)).toBe(retryable);
  });

  it('a Retry-After does not make a non-202 status retryable, nor a retryable one not', () => {
    expect(isRetryableStatus(404, 1000, defaults)).toBe(false);
    expect(isRetryableStatus(200, 1000, defaults)).toBe(false);
    expect(isRetryableStatus(503, 1000, defaults)).toBe(true);
    expect(isRetryableStatus(429, 0, defaults)).toBe(true);
  });

  it('follows a custom statuses set', () => {
    const custom = new Set([404, 409]);
    expect(isRetryableStatus(404, undefined, custom)).toBe(true);
    expect(isRetryableStatus(409, undefined, custom)).toBe(true);
    expect(isRetryableStatus(503, undefined, custom)).toBe(false);
    expect(isRetryableStatus(429, 1000, custom)).toBe(false);
    expect(isRetryableStatus(503, undefined, new Set())).toBe(false);
  });
});
