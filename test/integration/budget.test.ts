import { isAxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { describe, expect, it } from 'vitest';
import { attachBoxStatus, BoxServerError, isBoxApiError, type BoxPlainErrorFields } from '../../src/index.js';
import { boxError, ok, refusedPort, unavailable, useBoxServer } from '../helpers/box-server.js';
import { boxClient, rejection } from '../helpers/client.js';
import { mulberry32 } from '../helpers/random.js';

const server = useBoxServer();
const BUDGET_EMPTY = /^the retry budget is empty \(\d+ of \d+ tokens left, this retry costs [\d.]+; calls that succeed refill it\)$/;

type Outcome = { response: AxiosResponse } | { error: any };

/** Run `total` calls, at most `concurrency` at a time, and keep every outcome in call order. */
async function runCalls(total: number, concurrency: number, call: (i: number) => Promise<AxiosResponse>): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(total);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      try {
        outcomes[i] = { response: await call(i) };
      } catch (error) {
        outcomes[i] = { error };
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

function attemptsOf(outcome: Outcome): number {
  if ('response' in outcome) return outcome.response.boxStatus?.attempts ?? Number.NaN;
  const error = outcome.error;
  return isBoxApiError(error) ? error.attempts : ((error as BoxPlainErrorFields).boxAttempts ?? Number.NaN);
}

async function exhaust(instance: AxiosInstance, calls: number): Promise<void> {
  server.script('/down', [unavailable]);
  await runCalls(calls, 50, () => instance.get('/down'));
}

describe('the retry budget', () => {
  it('a full outage: 1,000 GETs with default retries cost the server at most 1,100 requests', async () => {
    server.script('/outage', [unavailable]);
    const { instance, handle, events } = boxClient(server);
    const outcomes = await runCalls(1000, 100, () => instance.get('/outage'));

    expect(server.count('/outage')).toBeLessThanOrEqual(1100);
    // Without the budget the same outage costs 5,000 requests: the bucket (500 tokens, 5 a retry)
    // allowed exactly 100 retries.
    expect(server.count('/outage')).toBe(1100);
    const stats = handle.stats();
    expect(stats).toMatchObject({ calls: 1000, attempts: 1100, retries: 100, tokens: 0, maxTokens: 500 });
    expect(events).toHaveLength(100);
    // Every call failed as a BoxServerError; attempts reported to callers add up to the server's count.
    expect(outcomes.every((o) => 'error' in o && o.error instanceof BoxServerError)).toBe(true);
    expect(outcomes.reduce((sum, o) => sum + attemptsOf(o), 0)).toBe(server.count('/outage'));
    const refused = outcomes.filter((o) => 'error' in o && BUDGET_EMPTY.test(o.error.notRetriedReason ?? ''));
    expect(refused.length).toBe(stats.retriesRefusedByBudget);
    expect(refused.length).toBeGreaterThanOrEqual(900);
    const first = refused[0] as { error: BoxServerError };
    expect(first.error.message).toContain('; not retried: the retry budget is empty (');
    expect(first.error.boxStatus.notRetriedReason).toBe(first.error.notRetriedReason);
  });

  it('10% of attempts fail at random with 503: at least 99.9% of 2,000 GETs succeed', async () => {
    const random = mulberry32(20261124);
    server.script('/flaky', () => (random() < 0.1 ? unavailable : ok));
    const { instance, handle } = boxClient(server);
    const outcomes = await runCalls(2000, 50, () => instance.get('/flaky'));

    const succeeded = outcomes.filter((o) => 'response' in o).length;
    expect(succeeded / 2000).toBeGreaterThanOrEqual(0.999);
    expect(handle.stats().retriesRefusedByBudget).toBe(0);
    expect(handle.stats().retries).toBeGreaterThan(100);
    expect(outcomes.reduce((sum, o) => sum + attemptsOf(o), 0)).toBe(server.count('/flaky'));
    // The budget stays full: successes earn back at least what retries spend.
    expect(handle.stats().tokens).toBeGreaterThan(450);
  });

  it('after an outage, five successes buy the next retry', async () => {
    const { instance, handle } = boxClient(server);
    await exhaust(instance, 200);
    expect(handle.stats().tokens).toBe(0);

    server.script('/ok', [ok]);
    for (let i = 0; i < 4; i += 1) await instance.get('/ok');
    expect(handle.stats().tokens).toBe(4);
    server.script('/once', [unavailable, ok]);
    const refused = await rejection(instance.get('/once'));
    expect(refused).toBeInstanceOf(BoxServerError);
    expect(refused.attempts).toBe(1);
    expect(refused.notRetriedReason).toBe(
      'the retry budget is empty (4 of 500 tokens left, this retry costs 5; calls that succeed refill it)',
    );

    await instance.get('/ok');
    expect(handle.stats().tokens).toBe(5);
    server.script('/again', [unavailable, ok]);
    const res = await instance.get('/again');
    expect(res.boxStatus?.attempts).toBe(2);
    // The retry's 5 tokens came back with its success.
    expect(handle.stats().tokens).toBe(5);
  });

  it('a 4xx answer is a healthy server: it refills the bucket too', async () => {
    const { instance, handle } = boxClient(server);
    await exhaust(instance, 120);
    const before = handle.stats().tokens as number;
    server.script('/missing', [{ status: 404, body: boxError(404, 'not_found', 'Not Found') }]);
    await rejection(instance.get('/missing'));
    await rejection(instance.get('/down'));
    expect(handle.stats().tokens).toBe(before + 1);
  });

  it('a 429 retry costs 1 token, a 5xx retry 5, a 202 poll nothing; success refunds the last cost', async () => {
    const seen: (number | undefined)[] = [];
    const { instance, handle } = boxClient(server, {
      onRetry: () => {
        seen.push(handle.stats().tokens);
      },
    });
    server.script('/throttled', [{ status: 429, headers: { 'retry-after': '0' } }, ok]);
    server.script('/broken', [unavailable, unavailable, ok]);
    server.script('/pending', [
      { status: 202, headers: { 'retry-after': '0' } },
      { status: 202, headers: { 'retry-after': '0' } },
      ok,
    ]);
    await instance.get('/throttled');
    expect(seen).toEqual([499]);
    expect(handle.stats().tokens).toBe(500);
    await instance.get('/broken');
    expect(seen).toEqual([499, 495, 490]);
    expect(handle.stats().tokens).toBe(495);
    await instance.get('/pending');
    expect(seen).toEqual([499, 495, 490, 495, 495]);
    // A success reached without spending: the 1-token reward.
    expect(handle.stats().tokens).toBe(496);
  });

  it('budget costs are configurable: a smaller bucket stops an outage sooner', async () => {
    const { instance, handle } = boxClient(server, { budget: { maxTokens: 20, retryCost: 10 } });
    await exhaust(instance, 30);
    expect(server.count('/down')).toBe(32);
    expect(handle.stats()).toMatchObject({ retries: 2, tokens: 0, maxTokens: 20 });
  });

  it('budget: false retries every call in full', async () => {
    const { instance, handle } = boxClient(server, { budget: false });
    await exhaust(instance, 50);
    expect(server.count('/down')).toBe(250);
    expect(handle.stats()).toMatchObject({ retries: 200, retriesRefusedByBudget: 0, tokens: undefined, maxTokens: undefined });
  });

  it('per request, budget: false retries outside an empty bucket; a cost of 0 is free', async () => {
    const { instance, handle } = boxClient(server);
    await exhaust(instance, 200);
    server.script('/a', [unavailable, ok]);
    server.script('/b', [unavailable, ok]);
    const outside = await instance.get('/a', { boxRetry: { budget: false } });
    expect(outside.boxStatus?.attempts).toBe(2);
    const free = await instance.get('/b', { boxRetry: { budget: { retryCost: 0 } } });
    expect(free.boxStatus?.attempts).toBe(2);
    // Neither spent; the free one earned its success reward, the one outside the budget nothing.
    expect(handle.stats().tokens).toBe(1);
  });

  it('a network error refused by the budget says so; onRetry is not called for it', async () => {
    const port = await refusedPort();
    const { instance, events, handle } = boxClient(server, { budget: { maxTokens: 5 } });
    const first = await rejection(instance.get(`http://127.0.0.1:${port}/x`));
    expect(isAxiosError(first)).toBe(true);
    expect(isBoxApiError(first)).toBe(false);
    expect(first.code).toBe('ECONNREFUSED');
    expect(first.boxAttempts).toBe(2);
    expect(first.boxNotRetriedReason).toMatch(BUDGET_EMPTY);
    expect(first.message).toContain('(after 2 attempts; not retried: the retry budget is empty (0 of 5 tokens left');
    expect(events.map((e) => e.reason)).toEqual(['ECONNREFUSED']);
    expect(handle.stats()).toMatchObject({ calls: 1, attempts: 2, retries: 1, retriesRefusedByBudget: 1 });
  });

  it('a retry granted but never sent gives its tokens back: abort during the backoff, onRetry throwing', async () => {
    server.script('/down', [unavailable, ok]);
    const { instance, handle } = boxClient(server, { baseDelayMs: 200, maxDelayMs: 200 });
    const controller = new AbortController();
    const pending = rejection(instance.get('/down', { signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(handle.stats().tokens).toBe(495);
    controller.abort();
    expect((await pending).code).toBe('ERR_CANCELED');
    expect(handle.stats()).toMatchObject({ tokens: 500, attempts: 1, retries: 0 });

    server.script('/down2', [unavailable, ok]);
    const stopped = new Error('stop');
    const error = await rejection(
      instance.get('/down2', {
        boxRetry: {
          onRetry: () => {
            throw stopped;
          },
        },
      }),
    );
    expect(error).toBe(stopped);
    expect(handle.stats()).toMatchObject({ tokens: 500, retries: 0 });
  });

  it('a call settles once: a final status the engine takes but the plugin rejects earns once', async () => {
    const statuses = [503, 503, 503, 503, 503, 199];
    let sent = 0;
    const { instance, handle } = boxClient(
      server,
      { retries: 3, budget: { maxTokens: 100, retryCost: 25 } },
      {
        adapter: async (config) => ({
          data: '',
          status: statuses[Math.min(sent++, statuses.length - 1)] as number,
          statusText: '',
          headers: {},
          config,
          request: {},
        }),
      },
    );
    // Three paid retries, then the budget is down to 25.
    await rejection(instance.get('/down'));
    expect(handle.stats().tokens).toBe(25);
    // 503, retried (25 spent), then 199: outside Box's table, refused by validateStatus.
    sent = 4;
    const error = await rejection(instance.get('/odd'));
    expect(isBoxApiError(error)).toBe(true);
    expect(error.status).toBe(199);
    expect(isBoxApiError(error.cause)).toBe(false);
    // Its retry's 25 tokens came back once.
    expect(handle.stats().tokens).toBe(25);
  });

  it("the first attempt's validateStatus is the caller's again on every path", async () => {
    const port = await refusedPort();
    server.script('/ok', [ok]);
    server.script('/down', [unavailable]);
    const { instance } = boxClient(server, { retries: 0 });
    const own = instance.defaults.validateStatus;
    expect(typeof own).toBe('function');
    expect((await instance.get('/ok')).config.validateStatus).toBe(own);
    expect((await rejection(instance.get('/down'))).config.validateStatus).toBe(own);
    expect((await rejection(instance.get(`http://127.0.0.1:${port}/x`))).config.validateStatus).toBe(own);
    expect((await rejection(instance.get(`http://127.0.0.1:${port}/x`, { boxRetry: { retries: 1 } }))).config.validateStatus).toBe(own);
  });

  it('a POST 503 is not retried at all, so it spends nothing', async () => {
    server.script('/post', [unavailable]);
    const { instance, handle } = boxClient(server);
    const error = await rejection(instance.post('/post', { a: 1 }));
    expect(error.notRetriedReason).toMatch(/^POST is not idempotent/);
    expect(handle.stats()).toMatchObject({ tokens: 500, retriesRefusedByBudget: 0 });
  });

  it('each instance has its own bucket; attaching again starts a fresh one', async () => {
    const a = boxClient(server);
    const b = boxClient(server);
    await exhaust(a.instance, 150);
    expect(a.handle.stats().tokens).toBe(0);
    expect(b.handle.stats().tokens).toBe(500);
    const again = attachBoxStatus(a.instance, { retry: { baseDelayMs: 1, jitter: 'none' } });
    expect(again.stats()).toMatchObject({ calls: 0, attempts: 0, tokens: 500 });
    server.script('/back', [unavailable, ok]);
    expect((await a.instance.get('/back')).boxStatus?.attempts).toBe(2);
  });

  it('with retry: false, a request that turns retries on uses the default budget', async () => {
    const { instance, handle } = boxClient(server, false);
    expect(handle.stats()).toMatchObject({ tokens: 500, maxTokens: 500 });
    server.script('/r', [unavailable, ok]);
    const res = await instance.get('/r', { boxRetry: { baseDelayMs: 1 } });
    expect(res.boxStatus?.attempts).toBe(2);
    expect(handle.stats()).toMatchObject({ calls: 1, attempts: 2, retries: 1, tokens: 500 });
  });
});

describe('handle.stats()', () => {
  it('counts calls, attempts and retries, and is a fresh object each time', async () => {
    server.script('/x', [unavailable, unavailable, ok]);
    server.script('/y', [ok]);
    const { instance, handle } = boxClient(server);
    const empty = handle.stats();
    expect(empty).toEqual({
      calls: 0,
      attempts: 0,
      retries: 0,
      retriesRefusedByBudget: 0,
      callsEndedByDeadline: 0,
      resends: 0,
      tokens: 500,
      maxTokens: 500,
      rateLimitPauseMs: 0,
      rateLimits: [],
    });
    await instance.get('/x');
    await instance.get('/y');
    const after = handle.stats();
    expect(after).toMatchObject({ calls: 2, attempts: 4, retries: 2 });
    expect(empty.calls).toBe(0);
    expect(after).not.toBe(handle.stats());
    handle.eject();
    await instance.get('/y');
    // After eject the instance is plain axios: the counts stay as they were.
    expect(handle.stats()).toMatchObject({ calls: 2, attempts: 4 });
  });
});

