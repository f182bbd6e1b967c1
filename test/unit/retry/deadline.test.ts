import axios, { AxiosError, AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadline, deadlineError, deadlineReason } from '../../../src/retry/deadline.js';
import { failureOf } from '../../../src/retry/failure.js';

// A call's deadline on a fake clock: its timer, the timeout cut of each attempt, and why it ended.

const config = (extra: Partial<InternalAxiosRequestConfig> = {}): InternalAxiosRequestConfig => ({ headers: new AxiosHeaders(), ...extra });
const response = (status: number, data: unknown = ''): AxiosResponse => ({ status, statusText: '', headers: {}, data, config: config(), request: {} });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Deadline', () => {
  it("cuts an attempt's timeout to the time left when that is shorter, and gives 0 once none is left", () => {
    const deadline = new Deadline(1000, config());
    expect(deadline.timeoutFor(5000)).toBe(1000);
    expect(deadline.timeoutFor('300')).toBe(300);
    expect(deadline.timeoutFor(0)).toBe(1000);
    vi.advanceTimersByTime(600);
    expect(deadline.timeoutFor(300)).toBe(300);
    expect(deadline.timeoutFor(undefined)).toBe(400);
    vi.advanceTimersByTime(400);
    expect(deadline.timeoutFor(300)).toBe(0);
    deadline.release(undefined);
  });

  it('tells whether a wait would end at or past it', () => {
    const deadline = new Deadline(1000, config());
    vi.advanceTimersByTime(400);
    expect(deadline.outlasts(599)).toBe(false);
    expect(deadline.outlasts(600)).toBe(true);
    deadline.release(undefined);
  });

  it('aborts its signal when it passes, and ends the call with the cancel that caused: during an attempt, or before the next', () => {
    const deadline = new Deadline(1000, config());
    vi.advanceTimersByTime(1000);
    expect(deadline.signal.aborted).toBe(true);
    const cancel = failureOf(config(), undefined, new axios.CanceledError());
    expect(deadline.endedBy(cancel, 2, true)).toBe('deadlineMs (1000 ms) ran out during attempt 2');
    // Once ended, the reason stays.
    expect(deadline.endedBy(cancel, 2, false)).toBe('deadlineMs (1000 ms) ran out during attempt 2');
  });

  it("a caller's abort is no deadline: it ends nothing", () => {
    const controller = new AbortController();
    const deadline = new Deadline(1000, config({ signal: controller.signal }));
    controller.abort();
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.endedBy(failureOf(config(), undefined, new axios.CanceledError()), 1, true)).toBeUndefined();
    deadline.release(undefined);
  });

  it('an attempt whose cut timeout fired at the deadline ended the call; one with its own shorter timeout did not', () => {
    const timeout = failureOf(config(), undefined, new AxiosError('timeout of 1000ms exceeded', 'ECONNABORTED'));
    const cut = new Deadline(1000, config());
    cut.timeoutFor(5000);
    vi.advanceTimersByTime(999);
    expect(cut.endedBy(timeout, 1, true)).toBe('deadlineMs (1000 ms) ran out during attempt 1');
    cut.release(undefined);

    const own = new Deadline(1000, config());
    own.timeoutFor(300);
    vi.advanceTimersByTime(300);
    expect(own.endedBy(timeout, 1, true)).toBeUndefined();
    own.release(undefined);
  });

  it('settles with the failure being retried when it cut the next attempt short, else with a deadline error', () => {
    const deadline = new Deadline(1000, config());
    const retrying = failureOf(config(), response(503), undefined);
    const cancel = failureOf(config(), undefined, new axios.CanceledError());
    expect(deadline.outcome(cancel, retrying, config())).toBe(retrying);
    // A failure it did not cut short (a 503 whose retry would have ended too late) as it is.
    const late = failureOf(config(), response(503), undefined);
    expect(deadline.outcome(late, retrying, config())).toBe(late);

    deadline.end('ran out before attempt 1 was sent');
    const caller = config({ url: '/files/1' });
    const { error } = deadline.outcome(cancel, undefined, caller);
    expect(error).toBeInstanceOf(AxiosError);
    expect((error as AxiosError).code).toBe('ETIMEDOUT');
    expect((error as AxiosError).config).toBe(caller);
    expect(deadlineReason(error)).toBe('deadlineMs (1000 ms) ran out before attempt 1 was sent');
    // The deadline's own cancel is no cause worth keeping.
    expect((error as { cause?: unknown }).cause).toBeUndefined();
    deadline.release(undefined);
  });

  it('keeps a cut attempt as the cause of its deadline error, with the caller\'s config', () => {
    const deadline = new Deadline(1000, config());
    deadline.timeoutFor(5000);
    vi.advanceTimersByTime(1000);
    const attempt = config({ url: 'attempt copy' });
    const timedOut = new AxiosError('timeout of 1000ms exceeded', 'ECONNABORTED', attempt);
    deadline.endedBy(failureOf(attempt, undefined, timedOut), 1, true);
    const caller = config({ url: '/files/1' });
    const { error } = deadline.outcome(failureOf(attempt, undefined, timedOut), undefined, caller);
    expect((error as { cause?: unknown }).cause).toBe(timedOut);
    expect(timedOut.config).toBe(caller);
  });

  it("stays linked to the caller's cancel until a streamed answer closes, then lets go", () => {
    const reading = new AbortController();
    const open = new Deadline(1000, config({ signal: reading.signal }));
    open.release(response(200, new PassThrough()));
    reading.abort();
    expect(open.signal.aborted).toBe(true);

    const controller = new AbortController();
    const deadline = new Deadline(1000, config({ signal: controller.signal }));
    const body = new PassThrough();
    deadline.release(response(200, body));
    expect(vi.getTimerCount()).toBe(0);
    body.destroy();
    return new Promise<void>((resolve) => {
      body.once('close', () => {
        controller.abort();
        expect(deadline.signal.aborted).toBe(false);
        resolve();
      });
    });
  });

  it('marks its errors with their reason; other errors have none', () => {
    expect(deadlineReason(deadlineError(config(), 'why'))).toBe('why');
    expect(deadlineReason(new Error('other'))).toBeUndefined();
    expect(deadlineReason(null)).toBeUndefined();
  });
});
