import { AxiosError, isAxiosError, isCancel, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BoxRateLimitError, BoxServerError, isBoxApiError } from '../../src/index.js';
import { ok, tooMany, unavailable, useBoxServer, type Reply } from '../helpers/box-server.js';
import { boxClient, rejection } from '../helpers/client.js';
import { sleep, timed, timers } from '../helpers/time.js';

const server = useBoxServer();
const slowUnavailable: Reply = { ...unavailable, delayMs: 120 };
// Timers fire late on a busy machine; a deadline that holds is never early and never much late.
const SLACK_MS = 80;

describe('deadlineMs', () => {
  it('a call with deadlineMs: 300 against a slow, failing endpoint settles within 300 ms and says the deadline ended it', async () => {
    server.script('/slow', [slowUnavailable]);
    const { instance, handle } = boxClient(server, { deadlineMs: 300 });
    const [error, took] = await timed(rejection(instance.get('/slow')));

    expect(took).toBeGreaterThanOrEqual(295);
    expect(took).toBeLessThan(300 + SLACK_MS);
    // Two 503s in 240 ms; the third attempt had the 60 ms left, and was cut. The caller gets the
    // last answer Box gave, with its request id, and why the call ended.
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.status).toBe(503);
    expect(error.requestId).toBe('req-unavailable');
    expect(error.attempts).toBe(3);
    expect(error.notRetriedReason).toBe('deadlineMs (300 ms) ran out during attempt 3');
    expect(error.message).toBe(
      'Box API 503 unavailable: Unavailable (request req-unavailable) after 3 attempts; not retried: deadlineMs (300 ms) ran out during attempt 3',
    );
    expect(server.count('/slow')).toBe(3);
    expect(handle.stats().callsEndedByDeadline).toBe(1);
    // The caller's config keeps its own timeout.
    expect(error.config.timeout).toBe(0);
  });

  it('no retry starts whose wait would end past the deadline: the 503 is returned at once', async () => {
    server.script('/later', [{ ...unavailable, headers: { 'retry-after': '1' } }, ok]);
    const { instance, events, handle } = boxClient(server, { deadlineMs: 300 });
    const [error, took] = await timed(rejection(instance.get('/later')));
    expect(took).toBeLessThan(100);
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.attempts).toBe(1);
    expect(error.retryAfterMs).toBe(1000);
    expect(error.notRetriedReason).toBe('deadlineMs (300 ms) would pass during the 1000 ms wait before attempt 2');
    expect(error.message).toContain('; not retried: deadlineMs (300 ms) would pass during the 1000 ms wait before attempt 2');
    expect(events).toEqual([]);
    expect(handle.stats()).toMatchObject({ callsEndedByDeadline: 1, tokens: 500, retries: 0 });
  });

  it('a first attempt that would hang is cut at the deadline: a deadline error', async () => {
    server.script('/hang', [{ hang: true }]);
    const { instance } = boxClient(server, { deadlineMs: 150 });
    const baseline = timers();
    const [error, took] = await timed(rejection(instance.get('/hang')));
    expect(took).toBeLessThan(150 + SLACK_MS);
    expect(isAxiosError(error)).toBe(true);
    expect(isBoxApiError(error)).toBe(false);
    expect(error.code).toBe('ETIMEDOUT');
    expect(error.message).toBe('deadline exceeded (not retried: deadlineMs (150 ms) ran out during attempt 1)');
    expect(error.boxAttempts).toBe(1);
    expect(error.boxNotRetriedReason).toBe('deadlineMs (150 ms) ran out during attempt 1');
    // Whichever fired first, the deadline's abort or the attempt's cut timeout, the cause is never
    // the plugin's own cancel, and carries the caller's config, not the plugin's copy of it.
    if (error.cause !== undefined) {
      expect(isCancel(error.cause)).toBe(false);
      expect(error.cause.config).toBe(error.config);
    }
    expect(error.config.validateStatus).toBeTypeOf('function');
    expect(timers()).toBeLessThanOrEqual(baseline);
  });

  it('a body that trickles in is cut at the deadline too', async () => {
    server.script('/trickle', [{ status: 200, body: 'x'.repeat(40), trickleMs: 25 }]);
    const { instance } = boxClient(server, { deadlineMs: 300 });
    const [error, took] = await timed(rejection(instance.get('/trickle')));
    expect(took).toBeLessThan(300 + SLACK_MS);
    expect(error.code).toBe('ETIMEDOUT');
    expect(error.boxNotRetriedReason).toBe('deadlineMs (300 ms) ran out during attempt 1');
  });

  it("a shorter timeout of the request's own still applies, and its timeouts are retried", async () => {
    server.script('/hang', [{ hang: true }, { hang: true }, ok]);
    const { instance, events } = boxClient(server, { deadlineMs: 2000 }, { timeout: 60 });
    const res = await instance.get('/hang');
    expect(res.boxStatus?.attempts).toBe(3);
    expect(events.map((e) => e.reason)).toEqual(['timeout', 'timeout']);
    expect(events.map((e) => e.config.timeout)).toEqual([60, 60]);
  });

  it('a timeout given as a string is read as axios reads it', async () => {
    server.script('/hang', [{ hang: true }, ok]);
    const { instance, events } = boxClient(server, { deadlineMs: 2000 }, { timeout: '60' as never });
    const [res, took] = await timed(instance.get('/hang'));
    expect(res.boxStatus?.attempts).toBe(2);
    // Its own 60 ms, not the 2 s left before the deadline.
    expect(took).toBeLessThan(1000);
    expect(events[0]?.reason).toBe('timeout');
  });

  it('the deadline cuts the axios timeout of the request when that is longer', async () => {
    server.script('/hang', [{ hang: true }]);
    const { instance } = boxClient(server, { deadlineMs: 100 }, { timeout: 5000 });
    const [error, took] = await timed(rejection(instance.get('/hang')));
    expect(took).toBeLessThan(100 + SLACK_MS);
    expect(error.boxNotRetriedReason).toBe('deadlineMs (100 ms) ran out during attempt 1');
    expect(error.config.timeout).toBe(5000);
  });

  it('an onRetry slower than the time left: the call ends at the deadline with the failure it was retrying', async () => {
    server.script('/down', [unavailable, ok]);
    const { instance, handle } = boxClient(server, {
      deadlineMs: 100,
      onRetry: () => sleep(250),
    });
    const [error, took] = await timed(rejection(instance.get('/down')));
    expect(took).toBeLessThan(100 + SLACK_MS);
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.attempts).toBe(1);
    expect(error.notRetriedReason).toBe('deadlineMs (100 ms) ran out before attempt 2 was sent');
    await sleep(200);
    expect(server.count('/down')).toBe(1);
    // The retry was granted, then never sent: its tokens came back.
    expect(handle.stats()).toMatchObject({ tokens: 500, retries: 0, callsEndedByDeadline: 1 });
  });

  it('onRetry plus the backoff after it: the wait is cut at the deadline', async () => {
    server.script('/down', [{ ...unavailable, delayMs: 100 }, ok]);
    // Granted at 100 ms (a 150 ms wait ends before 300), then onRetry takes 100 ms before the wait.
    const { instance } = boxClient(server, { deadlineMs: 300, baseDelayMs: 150, maxDelayMs: 150, onRetry: () => sleep(100) });
    const [error, took] = await timed(rejection(instance.get('/down')));
    expect(took).toBeLessThan(300 + SLACK_MS);
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.notRetriedReason).toBe('deadlineMs (300 ms) ran out before attempt 2 was sent');
    expect(server.count('/down')).toBe(1);
  });

  it('a rate-limit pause longer than the time left fails the call at once, sending nothing', async () => {
    server.script('/limited', [tooMany('0.5'), ok]);
    server.script('/other', [ok]);
    const { instance } = boxClient(server);
    const limited = instance.get('/limited');
    await sleep(30);
    const [error, took] = await timed(rejection(instance.get('/other', { boxRetry: { deadlineMs: 200 } })));
    expect(took).toBeLessThan(50);
    expect(error.code).toBe('ETIMEDOUT');
    expect(error.message).toMatch(/^deadline exceeded \(not retried: deadlineMs \(200 ms\) would pass during the instance's rate-limit pause \(\d+ ms left\) before attempt 1\)$/);
    expect(error.boxAttempts).toBe(0);
    // A deadline error is never retried, though its code is a timeout's.
    expect(server.count('/other')).toBe(0);
    await limited;
  });

  it("a pause another call starts during a retry's wait, past the deadline, ends the call with its last failure", async () => {
    server.script('/a', [unavailable, ok]);
    server.script('/b', [
      { ...tooMany('1'), delayMs: 20 },
      ok,
    ]);
    const { instance } = boxClient(server, { baseDelayMs: 100, maxDelayMs: 100 });
    const a = rejection(instance.get('/a', { boxRetry: { deadlineMs: 400 } }));
    const b = instance.get('/b');
    const [error, took] = await timed(a);
    // The retry was due at 100 ms; the pause started at 20 ms runs to about 1 s, past 400.
    expect(took).toBeLessThan(200);
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.notRetriedReason).toMatch(
      /^deadlineMs \(400 ms\) would pass during the instance's rate-limit pause \(\d+ ms left\) before attempt 2$/,
    );
    expect(server.count('/a')).toBe(1);
    await b;
  });

  it('a 429 that the deadline keeps from being retried stays a BoxRateLimitError', async () => {
    server.script('/limited', [tooMany('0.5')]);
    const { instance } = boxClient(server, { deadlineMs: 200 });
    const error = await rejection(instance.get('/limited'));
    expect(error).toBeInstanceOf(BoxRateLimitError);
    expect(error.retryAfterMs).toBe(500);
    expect(error.notRetriedReason).toBe('deadlineMs (200 ms) would pass during the 500 ms wait before attempt 2');
  });

  it('per request: a deadline on one call only; a call within its deadline is untouched', async () => {
    server.script('/slow', [slowUnavailable]);
    server.script('/fine', [{ ...ok, delayMs: 30 }]);
    const { instance, handle } = boxClient(server);
    const baseline = timers();
    const res = await instance.get('/fine', { boxRetry: { deadlineMs: 1000 } });
    expect(res.status).toBe(200);
    expect(res.config.timeout).toBe(0);
    // The deadline's timer is cleared with the call.
    expect(timers()).toBeLessThanOrEqual(baseline);
    const error = await rejection(instance.get('/slow', { boxRetry: { deadlineMs: 200 } }));
    expect(error).toBeInstanceOf(BoxServerError);
    expect(error.notRetriedReason).toBe('deadlineMs (200 ms) ran out during attempt 2');
    expect(handle.stats().callsEndedByDeadline).toBe(1);
  });

  it('a network error being retried when the deadline passes is what the caller gets', async () => {
    server.script('/reset', [{ destroy: true }, { hang: true }]);
    const { instance } = boxClient(server, { deadlineMs: 200 });
    const [error, took] = await timed(rejection(instance.get('/reset')));
    expect(took).toBeLessThan(200 + SLACK_MS);
    expect(isBoxApiError(error)).toBe(false);
    expect(error.code).toBe('ECONNRESET');
    expect(error.boxAttempts).toBe(2);
    expect(error.message).toBe('socket hang up (after 2 attempts; not retried: deadlineMs (200 ms) ran out during attempt 2)');
  });

  it('a timeout error long before the deadline is an ordinary timeout, and retried', async () => {
    let sent = 0;
    const adapter = async (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
      sent += 1;
      if (sent === 1) throw new AxiosError('connect ETIMEDOUT 10.0.0.1:443', 'ETIMEDOUT', config);
      return { data: '{}', status: 200, statusText: 'OK', headers: {}, config, request: {} };
    };
    const { instance, handle } = boxClient(server, { deadlineMs: 60_000 }, { adapter });
    const res = await instance.get('/files/1');
    expect(res.boxStatus?.attempts).toBe(2);
    expect(handle.stats().callsEndedByDeadline).toBe(0);
  });

  it("a timeout onRetry sets is honoured, within the deadline", async () => {
    server.script('/hang', [{ hang: true }, { hang: true }, ok]);
    const { instance, events } = boxClient(server, {
      deadlineMs: 5000,
      onRetry: (event) => {
        event.config.timeout = 40;
      },
    }, { timeout: 60 });
    const [res, took] = await timed(instance.get('/hang'));
    expect(res.boxStatus?.attempts).toBe(3);
    // Attempt 2 ran with onRetry's 40 ms (attempt 1 with the request's 60).
    expect(events.map((e) => (e.error as Error).message)).toEqual(['timeout of 60ms exceeded', 'timeout of 40ms exceeded']);
    // 60 + 40 ms of timeouts, not 60 + 5000.
    expect(took).toBeLessThan(1000);
  });

  it("the caller's abort still reaches a streamed body after the deadline's call has settled", async () => {
    server.script('/download', [{ status: 200, body: 'x'.repeat(100), trickleMs: 20 }]);
    const { instance } = boxClient(server, { deadlineMs: 5000 });
    const controller = new AbortController();
    const res = await instance.get<Readable>('/download', { responseType: 'stream', signal: controller.signal });
    const closed = new Promise<unknown>((resolve) => {
      res.data.on('error', resolve);
      res.data.on('close', () => resolve(undefined));
    });
    res.data.resume();
    controller.abort();
    const [, took] = await timed(closed);
    expect(took).toBeLessThan(200);
    expect(res.data.destroyed).toBe(true);
  });

  it("the caller's abort before the deadline stays a cancel", async () => {
    server.script('/hang', [{ hang: true }]);
    const { instance, handle } = boxClient(server, { deadlineMs: 1000 });
    const controller = new AbortController();
    const pending = rejection(instance.get('/hang', { signal: controller.signal }));
    await sleep(30);
    controller.abort();
    const error = await pending;
    expect(error.code).toBe('ERR_CANCELED');
    expect(error.boxNotRetriedReason).toBeUndefined();
    expect(handle.stats().callsEndedByDeadline).toBe(0);
  });

  it('without deadlineMs, retries run their course', async () => {
    server.script('/slow', [{ ...unavailable, delayMs: 20 }]);
    const { instance } = boxClient(server);
    const error = await rejection(instance.get('/slow'));
    expect(error.attempts).toBe(5);
  });
});
