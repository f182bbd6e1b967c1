// No credential in any rendering of a refresh's error, at any depth: util.inspect, JSON.stringify
// and spreads of the error and of every cause (AggregateError errors, Map and Set values, a
// non-axios error's response: got's and ky's own errors, from the real packages), and
// JSON.stringify of the onRetry event.
import { inspect } from 'node:util';
import axios from 'axios';
import got from 'got';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { attachBoxStatus, createBoxAuth, isBoxAuthRefreshError, type BoxAuthOptions, type BoxRetryEvent } from '../../src/index.js';
import { ok, unavailable } from '../helpers/box-server.js';
import { rejection } from '../helpers/client.js';
import { everyCause, shownSecrets } from '../helpers/renderings.js';
import { useTokenWorld } from '../helpers/token-world.js';

const world = useTokenWorld();
const STALE = 'stale-access-token-4f1c2b';

/** The refresh error of a call whose 401 made `refresh` run and throw. */
async function refreshError(refresh: BoxAuthOptions['refresh']): Promise<any> {
  world.script('/files/1', [ok]);
  const auth = createBoxAuth({ origins: [world.api.url], initialToken: STALE, refresh });
  const instance = axios.create({ baseURL: world.api.url });
  attachBoxStatus(instance, { auth });
  const error = await rejection(instance.get('/files/1'));
  expect(isBoxAuthRefreshError(error)).toBe(true);
  return error;
}

/** A refresh service of the app's own that takes the old token and answers 401 quoting it. */
function echoingService(): string {
  world.tokens.script('/refresh-service', (_count, request) => ({
    status: 401,
    body: { error: 'invalid_token', detail: `token ${request.headers.authorization} is revoked` },
  }));
  return `${world.tokens.url}/refresh-service`;
}

describe('what a refresh threw, at any depth', () => {
  it.each<[string, (token: string) => unknown]>([
    ['an AggregateError of errors quoting it', (token) => new AggregateError([new Error('first try'), new Error(`second try with ${token}`)], 'every try failed')],
    [
      'a cause chain 10 deep, the token at the bottom',
      (token) => {
        let error = new Error(`vault said no to ${token}`);
        for (let level = 0; level < 10; level += 1) error = new Error(`level ${level}`, { cause: error });
        return error;
      },
    ],
    ['a Map field holding it', (token) => Object.assign(new Error('refused'), { attempts: new Map([['last', { token }]]) })],
    ['a Set field holding it', (token) => Object.assign(new Error('refused'), { seen: new Set([`Bearer ${token}`]) })],
    [
      "a non-axios error's response (the shape got and ky give theirs)",
      (token) => Object.assign(new Error('HTTP 401'), { response: { statusCode: 401, body: `bad ${token}`, headers: { authorization: `Bearer ${token}` } } }),
    ],
    ['an AggregateError inside a cause inside an AggregateError', (token) => new AggregateError([new Error('outer', { cause: new AggregateError([new Error(token)]) })])],
    [
      'a cycle of causes, and an object that holds itself',
      (token) => {
        const a = new Error('a');
        const b = new Error(`b ${token}`, { cause: a });
        const looped: Record<string, unknown> = { token };
        looped['self'] = looped;
        return Object.assign(a, { cause: b, looped });
      },
    ],
    ['a symbol-keyed field holding it (util.inspect shows those)', (token) => Object.assign(new Error('refused'), { [Symbol('request')]: { headers: { authorization: `Bearer ${token}` } } })],
    ['a frozen error quoting it, with a cause', (token) => Object.freeze(new Error(`frozen with ${token}`, { cause: new Error(`and below ${token}`) }))],
    [
      'a field that cannot be redefined (non-configurable), and one a getter gives',
      (token) => {
        const error = new Error('refused');
        Object.defineProperty(error, 'detail', { value: { token }, enumerable: true });
        return Object.defineProperty(error, 'header', { get: () => `Bearer ${token}`, enumerable: true });
      },
    ],
    ['a DOMException, whose message its class keeps inside', (token) => new Error('wrapped', { cause: new DOMException(`aborted with ${token}`, 'AbortError') })],
    ['a frozen error inside an AggregateError and a Map', (token) => new AggregateError([Object.freeze(new Error(token))], 'all failed', { cause: new Map([['last', Object.freeze(new Error(token))]]) })],
  ])('%s: shown nowhere', async (_label, make) => {
    const error = await refreshError(async ({ rejectedToken }) => {
      throw make(rejectedToken as string);
    });
    expect(shownSecrets(error, [STALE])).toEqual([]);
    for (const [, cause] of everyCause(error)) expect(inspect(cause, { depth: Infinity, showHidden: true })).not.toContain(STALE);
  });

  it('a chain of causes deeper than any walk: what is past the limit is cut, not shown', async () => {
    const error = await refreshError(async ({ rejectedToken }) => {
      let deep = new Error(`the bottom holds ${rejectedToken}`);
      for (let level = 0; level < 200; level += 1) deep = new Error(`level ${level}`, { cause: deep });
      throw deep;
    });
    expect(shownSecrets(error, [STALE])).toEqual([]);
    expect(everyCause(error).length).toBeLessThan(40);
  });
});

describe('what a refresh threw, whatever it is', () => {
  it.each<[string, () => unknown]>([
    ['a null-prototype object (no string form)', () => Object.assign(Object.create(null), { error: 'denied' })],
    ['a revoked Proxy (every look at it throws)', () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    }],
    ['an object whose toString throws', () => ({ toString: () => { throw new Error('no text'); } })],
  ])('%s: every waiting call rejects at once with a BoxAuthRefreshError, not at refreshTimeoutMs', async (_label, make) => {
    world.script('/files/1', [ok]);
    const auth = createBoxAuth({ origins: [world.api.url], initialToken: STALE, refreshTimeoutMs: 5000, refresh: async () => { throw make(); } });
    const instance = axios.create({ baseURL: world.api.url });
    attachBoxStatus(instance, { auth });
    const started = performance.now();
    const errors = await Promise.all([rejection(instance.get('/files/1')), rejection(instance.get('/files/1'))]);
    expect(performance.now() - started).toBeLessThan(2500);
    for (const error of errors) {
      expect(isBoxAuthRefreshError(error)).toBe(true);
      expect(error.timedOutAfterMs).toBeUndefined();
      // The first call's own refresh failed; the second's 401 may have come after it, in its cooldown.
      expect(error.message).toMatch(/^Box token refresh \(reason unauthorized\) .*failed: (a value with no string form|\[REDACTED: unreadable\])/);
      expect(() => [JSON.stringify(error), inspect(error, { depth: Infinity })]).not.toThrow();
    }
  });
});

describe('errors of the HTTP clients a refresh may use', () => {
  it("got's HTTPError (its options, request and response hold the token): shown nowhere, its status still readable", async () => {
    const url = echoingService();
    const error = await refreshError(async ({ rejectedToken }) =>
      got.post(url, { headers: { authorization: `Bearer ${rejectedToken}` }, retry: { limit: 0 } }).json(),
    );
    expect(error.cause.name).toBe('HTTPError');
    expect(error.cause.response.statusCode).toBe(401);
    expect(shownSecrets(error, [STALE])).toEqual([]);
  });

  it("ky's HTTPError (its request and options hold the token): shown nowhere, its response still readable", async () => {
    const url = echoingService();
    const error = await refreshError(async ({ rejectedToken }) =>
      ky.post(url, { headers: { authorization: `Bearer ${rejectedToken}` }, retry: 0 }).json(),
    );
    expect(error.cause.name).toBe('HTTPError');
    expect(error.cause.response.status).toBe(401);
    expect(shownSecrets(error, [STALE])).toEqual([]);
  });
});

describe('the onRetry event', () => {
  it('JSON.stringify and util.inspect of it show neither the managed token nor the instance\'s own, and config is still the config', async () => {
    world.script('/files/1', [unavailable, ok]);
    const managed = world.mint();
    const events: BoxRetryEvent[] = [];
    const auth = createBoxAuth({ origins: [world.api.url], initialToken: managed, refresh: async () => world.mint() });
    const instance = axios.create({ baseURL: world.api.url });
    attachBoxStatus(instance, { auth, retry: { baseDelayMs: 1, onRetry: (event) => void events.push(event) } });
    await instance.get('/files/1');
    const own = axios.create({ baseURL: world.api.url, headers: { Authorization: `Bearer ${managed}` } });
    world.script('/own', [unavailable, ok]);
    attachBoxStatus(own, { retry: { baseDelayMs: 1, onRetry: (event) => void events.push(event) } });
    await own.get('/own?access_token=query-secret-123');
    expect(events).toHaveLength(2);
    for (const event of events) {
      for (const shown of [JSON.stringify(event), inspect(event, { depth: Infinity })]) {
        expect(shown).not.toContain(managed);
        expect(shown).not.toContain('query-secret-123');
      }
      expect(JSON.parse(JSON.stringify(event))).toMatchObject({ attempt: 2, reason: 'status 503', config: { method: 'GET' } });
      expect(event.config.headers).toBeDefined();
    }
    expect(events[1]?.config.headers.Authorization).toBe(`Bearer ${managed}`);
  });
});
