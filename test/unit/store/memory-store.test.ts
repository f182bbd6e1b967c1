import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, it } from 'vitest';
import { defaultScope, scopeFunction } from '../../../src/pacing/gates.js';
import { createMemoryStore } from '../../../src/store/memory-store.js';
import { resolveOptions } from '../../../src/options/attach-options.js';
import { ScopedPauses } from '../../../src/pacing/pause.js';
import { BOX_RATE_LIMITS, resolveRateLimit, windowsFor } from '../../../src/pacing/rate-limits.js';
import { SlidingWindows } from '../../../src/pacing/sliding-window.js';

const request = (fields: Partial<InternalAxiosRequestConfig>): InternalAxiosRequestConfig =>
  ({ headers: new AxiosHeaders(), method: 'get', ...fields }) as InternalAxiosRequestConfig;

describe('SlidingWindows', () => {
  it('in no window of perMs does a scope count more than max', () => {
    const windows = new SlidingWindows();
    const rules = [{ name: 'calls', max: 3, perMs: 100 }];
    const granted: number[] = [];
    for (let now = 0; now < 1000; now += 7) {
      if (windows.acquire('u', rules, now) === 0) granted.push(now);
    }
    for (const start of granted) {
      expect(granted.filter((t) => t >= start && t < start + 100).length).toBeLessThanOrEqual(3);
    }
    // And the limit is used: 3 per 100 ms, over 1000 ms.
    expect(granted.length).toBeGreaterThanOrEqual(27);
  });

  it('answers how long until the fullest window has room, and counts a refused request nowhere', () => {
    const windows = new SlidingWindows();
    const rules = [
      { name: 'second', max: 2, perMs: 1000 },
      { name: 'minute', max: 3, perMs: 60_000 },
    ];
    expect(windows.acquire('u', rules, 0)).toBe(0);
    expect(windows.acquire('u', rules, 10)).toBe(0);
    expect(windows.acquire('u', rules, 20)).toBe(980);
    expect(windows.acquire('u', rules, 1000)).toBe(0);
    // The minute window is full now: room when the first request leaves it.
    expect(windows.acquire('u', rules, 1500)).toBe(58_500);
    expect(windows.acquire('v', rules, 1500)).toBe(0);
  });

  it('a time is kept past its window: a window widened later (a larger latency margin) still counts it', () => {
    const windows = new SlidingWindows();
    const narrow = [{ name: 'calls', max: 2, perMs: 100 }];
    expect(windows.acquire('u', narrow, 0)).toBe(0);
    expect(windows.acquire('u', narrow, 110)).toBe(0);
    // Widened to 200 ms at 150: the requests at 0 and 110 are both in it, so the next waits for 0 to leave.
    expect(windows.acquire('u', [{ name: 'calls', max: 2, perMs: 200 }], 150)).toBe(50);
  });

  it('forgets the scopes that went quiet: one log per user must not grow forever', () => {
    const windows = new SlidingWindows();
    const rules = [{ name: 'calls', max: 5, perMs: 100 }];
    for (let user = 0; user < 5000; user += 1) windows.acquire(`user-${user}`, rules, user);
    // Every sweep keeps only the logs with a time in their last 200 ms.
    expect(windows.size).toBeLessThanOrEqual(1024 + 200);
  });

  it('a share keeps to that part of each limit, and never to less than one', () => {
    const windows = new SlidingWindows();
    const rules = [{ name: 'calls', max: 10, perMs: 1000 }];
    const granted = Array.from({ length: 6 }, (_, i) => windows.acquire('u', rules, i, 1 / 4)).filter((w) => w === 0);
    expect(granted).toHaveLength(2);
    const tiny = new SlidingWindows();
    expect(tiny.acquire('u', rules, 0, 1 / 100)).toBe(0);
    expect(tiny.acquire('u', rules, 1, 1 / 100)).toBeGreaterThan(0);
  });
});

describe('ScopedPauses', () => {
  it('per scope, only ever lengthened, with the longest at hand', () => {
    const pauses = new ScopedPauses();
    expect(pauses.pauseMs(undefined, 0)).toBe(0);
    pauses.pause('a', 1000, 0);
    pauses.pause('a', 200, 0);
    pauses.pause('b', 300, 0);
    expect(pauses.pauseMs('a', 100)).toBe(900);
    expect(pauses.pauseMs('b', 100)).toBe(200);
    expect(pauses.pauseMs('c', 100)).toBe(0);
    expect(pauses.pauseMs(undefined, 100)).toBe(900);
    expect(pauses.pauseMs('b', 400)).toBe(0);
    expect(pauses.pauseMs(undefined, 1000)).toBe(0);
  });
});

describe('createMemoryStore', () => {
  it('keeps pauses, windows, tokens and the refresh lock', async () => {
    const store = createMemoryStore();
    store.pause('u', 500);
    expect(store.pauseMs('u')).toBeGreaterThan(400);
    expect(store.pauseMs()).toBeGreaterThan(400);
    expect(await store.acquire('u', [{ name: 'x', max: 1, perMs: 1000 }])).toBe(0);
    expect(await store.acquire('u', [{ name: 'x', max: 1, perMs: 1000 }])).toBeGreaterThan(0);
    const token = { accessToken: 'memory-token-00', expiresAt: 5 };
    store.writeToken('k', token);
    token.accessToken = 'changed';
    expect(store.readToken('k')).toEqual({ accessToken: 'memory-token-00', expiresAt: 5 });
    expect(store.lockRefresh('k', 1000)).toBe(true);
    expect(store.lockRefresh('k', 1000)).toBe(false);
    store.unlockRefresh('k');
    expect(store.lockRefresh('k', 1000)).toBe(true);
  });

  it('a lock whose holder went quiet expires', async () => {
    const store = createMemoryStore();
    expect(store.lockRefresh('k', 10)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.lockRefresh('k', 10)).toBe(true);
  });
});

describe('rate limits', () => {
  it('BOX_RATE_LIMITS: Box\'s documented per-user limits', () => {
    expect(BOX_RATE_LIMITS).toEqual([
      { name: 'calls', max: 1000, perMs: 60_000, match: 'all' },
      { name: 'uploads', max: 240, perMs: 60_000, match: 'upload' },
      { name: 'searches per second', max: 6, perMs: 1000, match: 'search' },
      { name: 'searches per minute', max: 60, perMs: 60_000, match: 'search' },
    ]);
    expect(Object.isFrozen(BOX_RATE_LIMITS)).toBe(true);
    expect(resolveOptions({ rateLimit: true }).rateLimit.map((rule) => rule.name)).toEqual(BOX_RATE_LIMITS.map((rule) => rule.name));
    expect(resolveOptions({ rateLimit: {} }).rateLimit).toHaveLength(4);
    expect(resolveOptions({ rateLimit: false }).rateLimit).toEqual([]);
    expect(resolveOptions({}).rateLimit).toEqual([]);
  });

  it.each<[string, Partial<InternalAxiosRequestConfig>, string[]]>([
    ['a GET of a file', { baseURL: 'https://api.box.com/2.0', url: '/files/1' }, ['calls']],
    ['an upload', { baseURL: 'https://upload.box.com/api/2.0', url: '/files/content', method: 'post' }, ['calls', 'uploads']],
    ['a new version', { baseURL: 'https://upload.box.com/api/2.0', url: '/files/12/content', method: 'post' }, ['calls', 'uploads']],
    ['an upload session part, on upload.box.com', { url: 'https://upload.box.com/api/2.0/files/upload_sessions/A1', method: 'put' }, ['calls', 'uploads']],
    ['an upload through another base', { baseURL: 'http://127.0.0.1:9', url: '/files/content', method: 'post' }, ['calls', 'uploads']],
    ['a download', { baseURL: 'https://api.box.com/2.0', url: '/files/1/content' }, ['calls']],
    ['a search', { baseURL: 'https://api.box.com/2.0', url: '/search', params: { query: 'x' } }, ['calls', 'searches per second', 'searches per minute']],
    ['a search with its query in the URL', { url: 'https://api.box.com/2.0/search?query=budget' }, ['calls', 'searches per second', 'searches per minute']],
  ])('%s counts in %j', (_label, fields, names) => {
    const rules = resolveRateLimit(true, 'rateLimit');
    expect(windowsFor(rules, request(fields)).map((rule) => rule.name)).toEqual(names);
  });

  it('a rule\'s match may be a function of the request', () => {
    const rules = resolveRateLimit({ rules: [{ name: 'metadata', max: 5, perMs: 1000, match: (c: InternalAxiosRequestConfig) => String(c.url).includes('metadata') }] }, 'rateLimit');
    expect(windowsFor(rules, request({ url: '/files/1/metadata' }))).toHaveLength(1);
    expect(windowsFor(rules, request({ url: '/files/1' }))).toHaveLength(0);
  });

  it.each<[string, unknown, string]>([
    ['a number', 5, 'rateLimit must be a boolean or { rules }, received 5'],
    ['no rules', { rules: [] }, 'rateLimit.rules must be a non-empty array of rules, received an array (0 items)'],
    ['a rule that is no object', { rules: ['calls'] }, 'rateLimit.rules[0] must be a rule { name, max, perMs, match? }, received "calls"'],
    ['a rule without max', { rules: [{ name: 'x', perMs: 10 }] }, 'rateLimit.rules[0].max must be set, received undefined'],
    ['a fractional max', { rules: [{ name: 'x', max: 1.5, perMs: 10 }] }, 'rateLimit.rules[0].max must be a whole number from 1 to 1000000000, received 1.5'],
    ['a zero window', { rules: [{ name: 'x', max: 1, perMs: 0 }] }, 'rateLimit.rules[0].perMs must be a number of milliseconds from 1 to 2147483647, received 0'],
    ['an unknown match', { rules: [{ name: 'x', max: 1, perMs: 10, match: 'download' }] }, `rateLimit.rules[0].match must be 'all', 'upload', 'search' or a function, received "download"`],
    ['a duplicate name', { rules: [{ name: 'x', max: 1, perMs: 10 }, { name: 'x', max: 2, perMs: 10 }] }, 'rateLimit.rules[1].name must be unique among the rules, received "x"'],
    ['an unknown field', { rules: [{ name: 'x', max: 1, perMs: 10, burst: 2 }] }, 'unknown option rateLimit.rules[0].burst (known: name, max, perMs, match)'],
    ['an unknown option', { rule: [] }, 'unknown option rateLimit.rule (known: rules)'],
  ])('refuses %s with a TypeError that names it', (_label, rateLimit, message) => {
    expect(() => resolveOptions({ rateLimit })).toThrow(new TypeError(`axios-box-status: ${message}`));
  });
});

describe('store and scope options', () => {
  it('a store must be a BoxStateStore', () => {
    const store = createMemoryStore();
    expect(resolveOptions({ store }).store).toBe(store);
    expect(() => resolveOptions({ store: { pause() {} } })).toThrow(
      new TypeError('axios-box-status: store must be a BoxStateStore (createMemoryStore(), createRedisStore()), received an object'),
    );
    // The pacing part alone (BoxPacingStore) is all an attachment uses; the token part alone is not enough.
    const pacing = { pauseMs: () => 0, pause() {}, acquire: () => 0 };
    expect(resolveOptions({ store: pacing }).store).toBe(pacing);
    const tokens = { readToken() {}, writeToken() {}, lockRefresh: () => true, unlockRefresh() {} };
    expect(() => resolveOptions({ store: tokens })).toThrow(
      new TypeError('axios-box-status: store must be a BoxStateStore (createMemoryStore(), createRedisStore()), received an object'),
    );
    expect(() => resolveOptions({ scope: 'user-1' })).toThrow(
      new TypeError('axios-box-status: scope must be a function, received "user-1"'),
    );
  });

  it('the default scope is the As-User header, in any case, else default', () => {
    expect(defaultScope(request({ headers: new AxiosHeaders({ 'As-User': '12345' }) }))).toBe('12345');
    expect(defaultScope(request({ headers: new AxiosHeaders({ 'as-user': '678' }) }))).toBe('678');
    expect(defaultScope(request({}))).toBe('default');
    expect(scopeFunction(undefined)).toBe(defaultScope);
  });

  it('a scope function must answer a non-empty string', () => {
    expect(scopeFunction(() => 'enterprise')(request({}))).toBe('enterprise');
    expect(() => scopeFunction(() => '' as string)(request({}))).toThrow(
      new TypeError('axios-box-status: scope(config) must be a non-empty string, received ""'),
    );
  });
});
